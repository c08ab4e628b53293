//! A REST request's way through: find the service, choose the method, read the query
//! and the body, call the app, answer.

use std::future::Future;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use http::uri::Uri;
use serde_json::{json, Map, Value};

use super::settings::RestSettings;
use super::{body, response, verb, Rest};
use feathers_core::query::qs;

use feathers_core::HookContext;
use feathers_core::Id;
use feathers_core::PreparedCall;
use feathers_core::{Error, Result};
use feathers_core::{Params, Provider};

/// The catch-all handler. The request is read as far as it can be at once, before the
/// returned future: the future (which axum moves and boxes) then holds only the
/// prepared call and the body still to read, not the request.
pub(super) fn handle(
    State(rest): State<Arc<Rest>>,
    request: Request,
) -> impl Future<Output = Response> + Send {
    let head = request.method() == http::Method::HEAD;
    let prepared = prepare(&rest, request);
    async move {
        let outcome = match prepared {
            Ok((call, body)) => run(&rest.settings, call, body).await,
            Err(err) => Err(err),
        };
        match outcome {
            Ok(mut ctx) => response::success(&mut ctx, head),
            Err(err) => response::failure(&err, head),
        }
    }
}

/// Reads the body into the call's data, then runs the call.
async fn run(
    settings: &RestSettings,
    mut call: PreparedCall,
    body: Option<Body>,
) -> Result<Box<HookContext>> {
    if let Some(body) = body {
        let ctx = call.context_mut();
        ctx.data = body::read(body, &ctx.params.headers, settings).await?;
    }
    call.run().await
}

/// The call a request asks for, and its body when the method takes data.
fn prepare(rest: &Rest, request: Request) -> Result<(PreparedCall, Option<Body>)> {
    let app = &rest.app;
    let (parts, body) = request.into_parts();
    let Some((lookup, id)) = app.lookup_with_id(parts.uri.path()) else {
        return Err(page_not_found(&parts.uri));
    };
    let method = verb::service_method(&parts.method, &parts.headers, id.is_some(), lookup.entry())?;
    let query = match parts.uri.query() {
        Some(query) => qs::parse(query, &rest.settings.query_limits())?,
        None => Map::new(),
    };
    let body = method.takes_data().then_some(body);
    // `POST /path/:id` and custom methods drop the id, as Feathers does.
    let id = if method.takes_id() {
        id.map(Id::Str)
    } else {
        None
    };
    // The peer address, when the server records it (`App::listen`, `serve`), for
    // hooks such as login rate limits.
    let remote_address = crate::peer::peer_address(&parts.extensions)
        .map(|address| Value::String(crate::peer::address_text(address)));
    let mut params = Params {
        query,
        query_from_url: true,
        provider: Some(Provider::Rest),
        headers: std::sync::Arc::new(parts.headers),
        ..Params::default()
    };
    if let Some(address) = remote_address {
        params.extra.insert("remoteAddress".into(), address);
    }
    // The response is built from the result alone, so the events may keep the params.
    let call = app
        .prepare_call(&lookup, method, id, Value::Null, params)
        .params_to_events();
    Ok((call, body))
}

/// Express's `notFound()`: the URL as requested, query included.
fn page_not_found(uri: &Uri) -> Error {
    let url = uri.path_and_query().map_or("/", |url| url.as_str());
    Error::not_found("Page not found").with_data(json!({ "url": url }))
}

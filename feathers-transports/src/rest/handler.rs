//! A REST request's way through: find the service, choose the method, read the query
//! and the body, call the app, answer.

use axum::extract::{Request, State};
use axum::response::Response;
use http::uri::Uri;
use serde_json::{json, Map, Value};

use super::{body, response, verb};
use feathers_core::query::qs;
use feathers_core::App;
use feathers_core::HookContext;
use feathers_core::Id;
use feathers_core::{Error, Result};
use feathers_core::{Params, Provider};

/// The catch-all handler.
pub(super) async fn handle(State(app): State<App>, request: Request) -> Response {
    let head = request.method() == http::Method::HEAD;
    match call(&app, request).await {
        Ok(ctx) => response::success(ctx, head),
        Err(err) => response::failure(&err, head),
    }
}

async fn call(app: &App, request: Request) -> Result<HookContext> {
    let (parts, body) = request.into_parts();
    let Some((lookup, id)) = app.lookup_with_id(parts.uri.path()) else {
        return Err(page_not_found(&parts.uri));
    };
    let method = verb::service_method(&parts.method, &parts.headers, id.is_some(), lookup.entry())?;
    let config = app.config();
    let query = match parts.uri.query() {
        Some(query) => qs::parse(query, &config.query_limits())?,
        None => Map::new(),
    };
    let data = if method.takes_data() {
        body::read(body, &parts.headers, config).await?
    } else {
        Value::Null
    };
    // `POST /path/:id` and custom methods drop the id, as Feathers does.
    let id = if method.takes_id() {
        id.map(Id::Str)
    } else {
        None
    };
    // The peer address, when the server records it (`App::listen`, `serve`), for
    // hooks such as login rate limits.
    let remote_address = crate::peer::peer_address(&parts.extensions)
        .map(|address| Value::String(address.to_string()));
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
    app.call(&lookup, method, id, data, params).await
}

/// Express's `notFound()`: the URL as requested, query included.
fn page_not_found(uri: &Uri) -> Error {
    let url = uri.path_and_query().map_or("/", |url| url.as_str());
    Error::not_found("Page not found").with_data(json!({ "url": url }))
}

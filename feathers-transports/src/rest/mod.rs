//! The REST transport (docs/protocol.md, "REST"), wire-compatible with
//! `@feathersjs/rest-client` 5.x.
//!
//! One catch-all handler serves every service: it finds the service for the path (the
//! last segment may be the id), maps the verb to a method, reads the query string and
//! the body into `params.query` and `data`, calls the app, and answers with Feathers'
//! status codes and JSON bodies.
//!
//! - `handler.rs`: the request's way through, start to end.
//! - `verb.rs`: the HTTP verb and `X-Service-Method` to a service method.
//! - `body.rs`: reading the body within the size limit, and decoding it.
//! - `response.rs`: status, headers and JSON bodies of answers and errors.
//! - `settings.rs`: the body and query-string limits.

mod body;
mod handler;
mod response;
mod settings;
mod verb;

use std::sync::Arc;

use axum::Router;

use feathers_core::App;
pub use settings::{RestBuilderExt, RestSettings};

/// What every REST request reads: the app, and its REST settings (read once, when the
/// router is made).
struct Rest {
    app: App,
    settings: Arc<RestSettings>,
}

/// The REST routes of `app`: a fallback that answers every path.
pub(crate) fn router(app: App) -> Router {
    let settings = app.settings::<RestSettings>();
    Router::new()
        .fallback(handler::handle)
        .with_state(Arc::new(Rest { app, settings }))
}

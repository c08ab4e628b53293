//! The REST transport (PROTOCOL.md section 2).

use axum::Router;

use crate::app::App;

/// The REST routes of `app`.
pub(crate) fn router(app: App) -> Router {
    let _ = app;
    Router::new()
}

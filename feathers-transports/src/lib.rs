//! The transports of feathers-rs: REST, Socket.io and Primus on one axum router. Each
//! decodes its wire into calls of the app and frames the answers and events; each is a
//! cargo feature (`rest`, `socketio`, `primus`, all on by default), and so is the
//! Prometheus scrape endpoint (`metrics-endpoint`, on by default, served only when
//! [`WebSettings::metrics_endpoint`] names a path).
//!
//! Each transport has its settings, with safe defaults, set through
//! [`AppBuilder::configure`](feathers_core::AppBuilder::configure): [`RestSettings`],
//! [`SocketIoSettings`], [`PrimusSettings`] and [`WebSettings`] (the real-time
//! connection limits both socket transports share are `feathers_realtime`'s
//! `RealtimeSettings`).
//!
//! [`router`] is what `feathers_runtime::serve()` serves.
#![warn(missing_docs, unreachable_pub)]

use feathers_core::App;

#[cfg(any(feature = "socketio", feature = "primus"))]
mod json_text;
#[cfg(feature = "metrics-endpoint")]
mod metrics_endpoint;
mod peer;
#[cfg(feature = "primus")]
mod primus;
#[cfg(feature = "rest")]
mod rest;
#[cfg(feature = "socketio")]
mod socketio;
mod web;

#[cfg(feature = "primus")]
pub use primus::PrimusSettings;
#[cfg(feature = "rest")]
pub use rest::{RestBuilderExt, RestSettings};
#[cfg(feature = "socketio")]
pub use socketio::SocketIoSettings;
pub use web::{WebBuilderExt, WebSettings};
#[cfg(any(feature = "socketio", feature = "primus"))]
mod ws_loop;

/// The network parsers, for the fuzz targets in `fuzz/` and the corpus tests. Not a
/// public API.
#[doc(hidden)]
pub mod __fuzz {
    #[cfg(feature = "primus")]
    pub use crate::primus::fuzz_frame as primus_frame;
    #[cfg(feature = "socketio")]
    pub use crate::socketio::{fuzz_frame as socketio_frame, fuzz_payload as socketio_payload};
}

/// The axum router serving `app` over every enabled transport: Socket.io at
/// `/socket.io/`, Primus at `/primus`, and REST for every other path; with the files
/// of [`WebSettings::static_dir`] where they exist, and CORS for
/// [`WebSettings::cors_origins`].
///
/// An origin in `cors_origins` that is not a valid header value is logged and the
/// router answers without CORS; [`check_config`] finds such mistakes at startup.
pub fn router(app: &App) -> axum::Router {
    let web = app.settings::<WebSettings>();
    let mut router = transports(app, &web);
    if let Some(dir) = &web.static_dir {
        router = web::static_files::with_static_files(app, router, dir);
    }
    match web::cors::layer(&web.cors_origins) {
        Ok(Some(cors)) => router.layer(cors),
        Ok(None) => router,
        Err(err) => {
            tracing::error!("{err}");
            router
        }
    }
}

/// Checks the web settings of `app`: every CORS origin is a valid origin.
pub fn check_config(app: &App) -> feathers_core::Result<()> {
    web::cors::layer(&app.settings::<WebSettings>().cors_origins).map(|_| ())
}

fn transports(app: &App, web: &WebSettings) -> axum::Router {
    #[allow(unused_mut)]
    let mut router = axum::Router::new();
    #[cfg(feature = "socketio")]
    {
        router = router.merge(socketio::router(app.clone()));
    }
    #[cfg(feature = "primus")]
    {
        router = router.merge(primus::router(app.clone()));
    }
    #[cfg(feature = "metrics-endpoint")]
    if let Some(path) = &web.metrics_endpoint {
        router = router.merge(metrics_endpoint::router(app.clone(), path));
    }
    #[cfg(feature = "rest")]
    {
        router = router.merge(rest::router(app.clone()));
    }
    #[cfg(not(feature = "rest"))]
    let _ = app;
    #[cfg(not(feature = "metrics-endpoint"))]
    let _ = web;
    router
}

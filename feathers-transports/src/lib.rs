//! The transports of feathers-rs: REST, Socket.io and Primus on one axum router. Each
//! decodes its wire into calls of the app and frames the answers and events; each is a
//! cargo feature (`rest`, `socketio`, `primus`, all on by default), and so is the
//! Prometheus scrape endpoint (`metrics-endpoint`, on by default, served only when
//! `Config::metrics_endpoint` names a path).
//!
//! [`router`] is what `feathers_runtime::serve()` serves.
#![warn(missing_docs, unreachable_pub)]

use feathers_core::App;

#[cfg(feature = "metrics-endpoint")]
mod metrics_endpoint;
mod peer;
#[cfg(feature = "primus")]
mod primus;
#[cfg(feature = "rest")]
mod rest;
#[cfg(feature = "socketio")]
mod socketio;
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
/// `/socket.io/`, Primus at `/primus`, and REST for every other path.
pub fn router(app: &App) -> axum::Router {
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
    if let Some(path) = &app.config().metrics_endpoint {
        router = router.merge(metrics_endpoint::router(app.clone(), path));
    }
    #[cfg(feature = "rest")]
    {
        router = router.merge(rest::router(app.clone()));
    }
    #[cfg(not(feature = "rest"))]
    let _ = app;
    router
}

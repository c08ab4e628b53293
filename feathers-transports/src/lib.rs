//! The transports of feathers-rs: REST, Socket.io and Primus on one axum router. Each
//! decodes its wire into calls of the app and frames the answers and events; each is a
//! cargo feature (`rest`, `socketio`, `primus`, all on by default).
//!
//! [`router`] is what `feathers_runtime::serve()` serves.
#![warn(missing_docs, unreachable_pub)]

use feathers_core::App;

#[cfg(feature = "primus")]
mod primus;
#[cfg(feature = "rest")]
mod rest;
#[cfg(feature = "socketio")]
mod socketio;
#[cfg(any(feature = "socketio", feature = "primus"))]
mod ws_loop;

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
    #[cfg(feature = "rest")]
    {
        router = router.merge(rest::router(app.clone()));
    }
    #[cfg(not(feature = "rest"))]
    let _ = app;
    router
}

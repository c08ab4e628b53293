//! Graceful shutdown of the real-time side: running socket calls finish and their acks
//! go out, then every client is told to reconnect (to another instance, if there is
//! one), all within a drain timeout after which the rest are dropped.

use std::time::Duration;

use tokio::time::Instant;

use feathers_core::{App, CloseReason};

use crate::lifecycle::end_connection;
use crate::state::state;

/// How a drain went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DrainReport {
    /// Connections open when the drain began.
    pub connections: usize,
    /// Socket calls running when the drain began.
    pub calls: usize,
    /// Connections still open at the timeout, ended without a goodbye.
    pub dropped: usize,
}

/// Drains the real-time connections of `app`, bounded by `timeout`:
///
/// 1. new connections and new socket calls are refused (calls get a 503 Unavailable
///    ack, which the client may retry elsewhere);
/// 2. running socket calls finish, and their acks are queued;
/// 3. every connection is closed with [`CloseReason::Shutdown`]: Socket.io clients get
///    an Engine.IO close and Primus clients a plain websocket close, after which both
///    reconnect (the application's own close, `Connection::close`, tells them not to);
/// 4. at the timeout, connections still open are ended without more ado.
///
/// `Server::shutdown` and `serve()` (on SIGINT or SIGTERM) call this with
/// the server's shutdown deadline (`HttpLimits::drain_timeout` in the runtime), through
/// [`RealtimeApp::drain_realtime`](crate::RealtimeApp::drain_realtime).
pub async fn drain(app: &App, timeout: Duration) -> DrainReport {
    let deadline = Instant::now() + timeout;
    let realtime = state(app);
    let live = &realtime.live;
    live.start_draining();
    let report = DrainReport {
        connections: live.len(),
        calls: live.calls(),
        dropped: 0,
    };
    let calls_done = tokio::time::timeout_at(deadline, live.wait_until(|l| l.calls() == 0));
    if calls_done.await.is_err() {
        tracing::warn!(
            running = live.calls(),
            "shutdown: socket calls still running at the drain timeout"
        );
    }
    for connection in live.connections() {
        connection.close_with(CloseReason::Shutdown);
    }
    let all_gone = tokio::time::timeout_at(deadline, live.wait_until(|l| l.len() == 0));
    if all_gone.await.is_ok() {
        return report;
    }
    let stragglers = live.connections();
    for connection in &stragglers {
        end_connection(app, connection);
    }
    tracing::warn!(
        dropped = stragglers.len(),
        "shutdown: real-time connections dropped at the drain timeout"
    );
    DrainReport {
        dropped: stragglers.len(),
        ..report
    }
}

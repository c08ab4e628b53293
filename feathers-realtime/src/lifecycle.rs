//! The life of a real-time connection, whatever its transport: it is tracked from the
//! moment it opens, announced to the connection handlers once the client is connected,
//! and ended in exactly one place, however it ends (the client closes or goes silent,
//! a heartbeat or an upgrade times out, the client falls behind or breaks the protocol,
//! the server shuts down).

use feathers_core::{App, CloseReason, Connection};

use crate::state::{run_disconnect_handlers, state};
use feathers_core::connection::TransportConnection;

/// Starts tracking a new connection of a transport; false while the app shuts down
/// (the transport then refuses the connection).
pub fn track_connection(app: &App, connection: &Connection) -> bool {
    if !state(app).live.insert(connection) {
        return false;
    }
    feathers_core::metrics::connection_opened(connection.provider());
    true
}

/// Ends a connection, once: it is closed (as the client's doing unless a reason was
/// recorded), leaves every channel, stops being tracked, and the disconnect handlers
/// run when the connection handlers ran for it. Later calls do nothing.
pub fn end_connection(app: &App, connection: &Connection) {
    if !connection.is_closed() {
        connection.close_with(CloseReason::Client);
    }
    if !connection.mark_ended() {
        return;
    }
    let realtime = state(app);
    realtime.channels.leave_all(connection);
    if connection.was_announced() {
        run_disconnect_handlers(app, connection);
    }
    feathers_core::metrics::connection_closed(connection.provider(), connection.close_reason());
    // Last: the drain at shutdown waits for the table to empty.
    realtime.live.remove(connection);
    tracing::debug!(
        connection = %connection.id(),
        provider = %connection.provider(),
        reason = ?connection.close_reason(),
        "real-time connection ended"
    );
}

/// Counts an Engine.IO session opened in the Socket.io session table.
pub fn session_opened(app: &App) {
    state(app).live.session_opened();
}

/// Counts an Engine.IO session removed from the Socket.io session table.
pub fn session_closed(app: &App) {
    state(app).live.session_closed();
}

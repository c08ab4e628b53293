//! The settings of the Socket.io transport.

use std::time::Duration;

/// How the Socket.io transport times its sessions; the defaults are Socket.io's own.
/// Change them with [`AppBuilder::configure`](feathers_core::AppBuilder::configure):
///
/// ```
/// use std::time::Duration;
/// use feathers_transports::SocketIoSettings;
///
/// let app = feathers_core::App::builder()
///     .configure(|socketio: &mut SocketIoSettings| {
///         socketio.ping_interval = Duration::from_secs(10);
///     })
///     .build()
///     .unwrap();
/// assert_eq!(app.settings::<SocketIoSettings>().ping_interval, Duration::from_secs(10));
/// ```
///
/// The size of a message and the outbound queue are the real-time connection's limits
/// (`feathers_realtime::RealtimeSettings`), shared with Primus.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SocketIoSettings {
    /// How often the server pings each client. Default 25 s.
    pub ping_interval: Duration,
    /// How long a client may take to answer a ping before it is disconnected.
    /// Default 20 s.
    pub ping_timeout: Duration,
    /// How long a client may take to upgrade a long-polling session to a websocket,
    /// from the websocket's opening to the upgrade packet. Default 10 s (Engine.IO's).
    pub upgrade_timeout: Duration,
}

impl Default for SocketIoSettings {
    fn default() -> SocketIoSettings {
        SocketIoSettings {
            ping_interval: Duration::from_secs(25),
            ping_timeout: Duration::from_secs(20),
            upgrade_timeout: Duration::from_secs(10),
        }
    }
}

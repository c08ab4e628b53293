//! Engine.IO, from the protocol crate, with the open packet timed by the app's settings.

pub(super) use feathers_socketio_protocol::engine::{
    parse, EnginePacket, CLOSE, NOOP, PING, SEPARATOR,
};

use super::settings::SocketIoSettings;

/// The open packet, with the timing of the transport's settings and the largest
/// message a client may send.
pub(super) fn open_packet(
    sid: &str,
    upgrades: bool,
    settings: &SocketIoSettings,
    max_payload: usize,
) -> String {
    let timing = feathers_socketio_protocol::engine::OpenTiming {
        ping_interval: settings.ping_interval,
        ping_timeout: settings.ping_timeout,
        max_payload,
    };
    feathers_socketio_protocol::engine::open_packet(sid, upgrades, &timing)
}

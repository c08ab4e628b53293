//! Engine.IO, from the protocol crate, with the open packet timed by the app's settings.

pub(super) use feathers_socketio_protocol::engine::{
    parse, EnginePacket, CLOSE, NOOP, PING, SEPARATOR,
};

use super::SocketIo;

/// The open packet, with the timing of the transport's settings.
pub(super) fn open_packet(sid: &str, upgrades: bool, state: &SocketIo) -> String {
    let timing = feathers_socketio_protocol::engine::OpenTiming {
        ping_interval: state.settings.ping_interval,
        ping_timeout: state.settings.ping_timeout,
        max_payload: state.realtime.max_message,
    };
    feathers_socketio_protocol::engine::open_packet(sid, upgrades, &timing)
}

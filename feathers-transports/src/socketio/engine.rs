//! Engine.IO, from the protocol crate, with the open packet timed by the app's settings.

use feathers_core::Config;
pub(super) use feathers_socketio_protocol::engine::{
    parse, EnginePacket, CLOSE, NOOP, PING, SEPARATOR,
};

/// The open packet, with the timing of `config`.
pub(super) fn open_packet(sid: &str, upgrades: bool, config: &Config) -> String {
    let timing = feathers_socketio_protocol::engine::OpenTiming {
        ping_interval: config.ping_interval,
        ping_timeout: config.ping_timeout,
        max_payload: config.max_message,
    };
    feathers_socketio_protocol::engine::open_packet(sid, upgrades, &timing)
}

//! The Socket.io parsers as the fuzz targets reach them (see `crate::__fuzz`).

use super::engine::{self, EnginePacket};
use super::packet::{self, SocketPacket};

/// One Engine.IO packet, and the Socket.IO packet inside when it is a message.
pub fn fuzz_frame(text: &str) {
    if let EnginePacket::Message(inner) = engine::parse(text) {
        if let Ok(SocketPacket::Event { event, .. }) = packet::parse(inner) {
            // An event came out of a non-empty frame.
            assert!(!text.is_empty(), "event {event:?} from an empty frame");
        }
    }
}

/// A polling payload, split as the transport splits it.
pub fn fuzz_payload(text: &str) {
    for part in text.split(engine::SEPARATOR) {
        fuzz_frame(part);
    }
}

//! Frames on their way to a connection. An event is encoded once, and framed once per
//! transport (Socket.io and Primus wrap the same JSON differently); every receiving
//! connection shares those bytes.

use std::sync::{Arc, OnceLock};

use axum::extract::ws::Utf8Bytes;
use serde_json::Value;

/// How a transport wraps an event name and its JSON payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Framing {
    /// Engine.IO message + Socket.IO EVENT: `42["<name>",<payload>]`.
    SocketIo,
    /// primus-emitter event: `{"type":0,"data":["<name>",<payload>]}`.
    Primus,
}

/// One event, encoded once, shared by every connection it goes to.
#[derive(Debug)]
pub struct EventFrame {
    name: String,
    payload: String,
    socketio: OnceLock<Utf8Bytes>,
    primus: OnceLock<Utf8Bytes>,
}

impl EventFrame {
    /// An event named `name` (`"messages created"`) with `payload`.
    pub fn new(name: String, payload: &Value) -> Arc<EventFrame> {
        Arc::new(EventFrame {
            name,
            payload: payload.to_string(),
            socketio: OnceLock::new(),
            primus: OnceLock::new(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The payload's JSON text.
    pub fn payload(&self) -> &str {
        &self.payload
    }

    /// The frame for a transport, built on first use.
    pub fn framed(&self, framing: Framing) -> Utf8Bytes {
        let name = Value::String(self.name.clone()).to_string();
        match framing {
            Framing::SocketIo => self
                .socketio
                .get_or_init(|| format!("42[{name},{}]", self.payload).into())
                .clone(),
            Framing::Primus => self
                .primus
                .get_or_init(|| format!("{{\"type\":0,\"data\":[{name},{}]}}", self.payload).into())
                .clone(),
        }
    }
}

/// A frame queued for one connection.
#[derive(Clone, Debug)]
pub(crate) enum Frame {
    /// An event shared with other connections.
    Event(Arc<EventFrame>),
    /// A frame for this connection alone, already in the transport's wire form.
    Text(Utf8Bytes),
}

impl Frame {
    /// The wire text of this frame for a transport.
    pub(crate) fn text(&self, framing: Framing) -> Utf8Bytes {
        match self {
            Frame::Event(event) => event.framed(framing),
            Frame::Text(text) => text.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn events_are_framed_per_transport_and_cached() {
        let frame = EventFrame::new("todos created".into(), &json!({"id": 1, "text": "a\"b"}));
        let socketio = frame.framed(Framing::SocketIo);
        assert_eq!(
            socketio.as_str(),
            r#"42["todos created",{"id":1,"text":"a\"b"}]"#
        );
        assert_eq!(
            frame.framed(Framing::Primus).as_str(),
            r#"{"type":0,"data":["todos created",{"id":1,"text":"a\"b"}]}"#
        );
        let again = frame.framed(Framing::SocketIo);
        assert_eq!(
            again.as_ptr(),
            socketio.as_ptr(),
            "the same bytes are shared"
        );
    }
}

//! Frames on their way to a connection. An event is encoded once, and framed once per
//! transport (Socket.io and Primus wrap the same JSON differently); every receiving
//! connection shares those bytes.

use std::fmt;
use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use serde_json::Value;

/// How many framings an event caches: Socket.io and Primus take two, and a transport
/// of an application's own may take the others.
pub const FRAMING_SLOTS: usize = 4;

/// How a transport wraps an event name and its JSON payload into its wire text.
///
/// Each transport declares one as a constant with its own slot (Socket.io 0, Primus
/// 1), so that an event framed for it once is shared by every connection of it.
#[derive(Clone, Copy)]
pub struct Framing {
    slot: usize,
    frame: fn(name: &str, payload: &str) -> String,
}

impl Framing {
    /// A framing that caches in `slot` (below [`FRAMING_SLOTS`]) and builds the wire
    /// text with `frame(name, payload)`, where `name` is the event name as a JSON
    /// string (quoted and escaped) and `payload` the payload's JSON text.
    pub const fn new(slot: usize, frame: fn(name: &str, payload: &str) -> String) -> Framing {
        assert!(
            slot < FRAMING_SLOTS,
            "a framing slot is below FRAMING_SLOTS"
        );
        Framing { slot, frame }
    }
}

impl fmt::Debug for Framing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Framing").field("slot", &self.slot).finish()
    }
}

/// Text known to be UTF-8, in bytes that clones share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireText(Bytes);

impl WireText {
    /// The text.
    pub fn as_str(&self) -> &str {
        // Only ever built from `String` and `&'static str`.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The bytes (valid UTF-8).
    pub fn into_bytes(self) -> Bytes {
        self.0
    }
}

impl From<String> for WireText {
    fn from(text: String) -> WireText {
        WireText(Bytes::from(text))
    }
}

impl From<&'static str> for WireText {
    fn from(text: &'static str) -> WireText {
        WireText(Bytes::from_static(text.as_bytes()))
    }
}

/// One event, encoded once, shared by every connection it goes to.
pub struct EventFrame {
    name: String,
    payload: String,
    framed: [OnceLock<WireText>; FRAMING_SLOTS],
}

impl fmt::Debug for EventFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventFrame")
            .field("name", &self.name)
            .field("payload", &self.payload)
            .finish()
    }
}

impl EventFrame {
    /// An event named `name` (`"messages created"`) with `payload`.
    pub fn new(name: String, payload: &Value) -> Arc<EventFrame> {
        Arc::new(EventFrame {
            name,
            payload: payload.to_string(),
            framed: Default::default(),
        })
    }

    /// The event name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The payload's JSON text.
    pub fn payload(&self) -> &str {
        &self.payload
    }

    /// The frame for a transport, built on first use.
    pub fn framed(&self, framing: Framing) -> WireText {
        self.framed[framing.slot]
            .get_or_init(|| {
                let name = Value::String(self.name.clone()).to_string();
                (framing.frame)(&name, &self.payload).into()
            })
            .clone()
    }
}

/// A frame queued for one connection.
#[derive(Clone, Debug)]
pub enum Frame {
    /// An event shared with other connections.
    Event(Arc<EventFrame>),
    /// A frame for this connection alone, already in the transport's wire form.
    Text(WireText),
}

impl Frame {
    /// About how many bytes the frame holds, for the queue's byte bound: an event's name
    /// and payload, or the text.
    pub fn len(&self) -> usize {
        match self {
            Frame::Event(event) => event.name.len() + event.payload.len(),
            Frame::Text(text) => text.0.len(),
        }
    }

    /// True for a frame without text.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The wire text of this frame for a transport.
    pub fn text(&self, framing: Framing) -> WireText {
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

    const BRACKETS: Framing = Framing::new(0, |name, payload| format!("[{name},{payload}]"));
    const TAGGED: Framing = Framing::new(1, |name, payload| format!("<{name}|{payload}>"));

    #[test]
    fn events_are_framed_per_transport_and_cached() {
        let frame = EventFrame::new("todos created".into(), &json!({"id": 1, "text": "a\"b"}));
        let brackets = frame.framed(BRACKETS);
        assert_eq!(
            brackets.as_str(),
            r#"["todos created",{"id":1,"text":"a\"b"}]"#
        );
        assert_eq!(
            frame.framed(TAGGED).as_str(),
            r#"<"todos created"|{"id":1,"text":"a\"b"}>"#
        );
        let again = frame.framed(BRACKETS);
        assert_eq!(
            again.into_bytes().as_ptr(),
            brackets.into_bytes().as_ptr(),
            "the same bytes are shared"
        );
    }
}

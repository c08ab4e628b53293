//! Frames on their way to a connection. An event is encoded once, and framed once per
//! transport (each transport wraps the same JSON in its own way); every receiving
//! connection shares those bytes.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use serde_json::Value;

/// How many framings an event caches: the transports of a server take a few (Socket.io
/// and Primus take two); a framing beyond these frames every event anew, uncached.
pub const FRAMING_SLOTS: usize = 4;

/// The next cache slot a framing takes, on its first use.
static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);

/// How a transport wraps an event name and its JSON payload into its wire text.
///
/// Each transport declares one `static` (not a `const`: the framing takes a cache slot
/// of its own on first use), so that an event framed for it once is shared by every
/// connection of that transport:
///
/// ```
/// use feathers_core::connection::Framing;
/// static BRACKETS: Framing = Framing::new(|name, payload| format!("[{name},{payload}]"));
/// ```
pub struct Framing {
    slot: OnceLock<usize>,
    frame: fn(name: &str, payload: &str) -> String,
}

impl Framing {
    /// A framing that builds the wire text with `frame(name, payload)`, where `name` is
    /// the event name as a JSON string (quoted and escaped) and `payload` the payload's
    /// JSON text.
    pub const fn new(frame: fn(name: &str, payload: &str) -> String) -> Framing {
        Framing {
            slot: OnceLock::new(),
            frame,
        }
    }

    /// This framing's cache slot, when it has one.
    fn slot(&self) -> Option<usize> {
        let slot = *self
            .slot
            .get_or_init(|| NEXT_SLOT.fetch_add(1, Ordering::Relaxed));
        (slot < FRAMING_SLOTS).then_some(slot)
    }
}

impl fmt::Debug for Framing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Framing")
            .field("slot", &self.slot.get())
            .finish()
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
    pub fn framed(&self, framing: &Framing) -> WireText {
        let build = || {
            let name = Value::String(self.name.clone()).to_string();
            WireText::from((framing.frame)(&name, &self.payload))
        };
        match framing.slot() {
            Some(slot) => self.framed[slot].get_or_init(build).clone(),
            None => build(),
        }
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
    pub fn text(&self, framing: &Framing) -> WireText {
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

    static BRACKETS: Framing = Framing::new(|name, payload| format!("[{name},{payload}]"));
    static TAGGED: Framing = Framing::new(|name, payload| format!("<{name}|{payload}>"));

    #[test]
    fn events_are_framed_per_transport_and_cached() {
        let frame = EventFrame::new("todos created".into(), &json!({"id": 1, "text": "a\"b"}));
        let brackets = frame.framed(&BRACKETS);
        assert_eq!(
            brackets.as_str(),
            r#"["todos created",{"id":1,"text":"a\"b"}]"#
        );
        assert_eq!(
            frame.framed(&TAGGED).as_str(),
            r#"<"todos created"|{"id":1,"text":"a\"b"}>"#
        );
        let again = frame.framed(&BRACKETS);
        assert_eq!(
            again.into_bytes().as_ptr(),
            brackets.into_bytes().as_ptr(),
            "the same bytes are shared"
        );
        framings_beyond_the_cache_slots_still_frame_every_event();
    }

    /// Run after the caching checks: the slots are claimed for the process's life, so
    /// a test that used them all first would leave the framings above uncached.
    fn framings_beyond_the_cache_slots_still_frame_every_event() {
        static MORE: [Framing; FRAMING_SLOTS + 1] =
            [const { Framing::new(|name, payload| format!("{name}={payload}")) };
                FRAMING_SLOTS + 1];
        let frame = EventFrame::new("e".into(), &json!(1));
        for framing in &MORE {
            assert_eq!(frame.framed(framing).as_str(), r#""e"=1"#);
        }
    }
}

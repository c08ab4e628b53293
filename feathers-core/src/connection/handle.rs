//! The [`Connection`] handle: identity, handshake headers, fields and outbox.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use parking_lot::RwLock;

use http::HeaderMap;
use serde_json::{Map, Value};

use super::frame::{EventFrame, Frame, WireText};
use super::outbox::{CloseReason, Outbox, QueueLimits};
use crate::provider::Provider;

/// A connection's process-unique id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnectionId(u64);

impl fmt::Display for ConnectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

pub(super) struct Inner {
    id: ConnectionId,
    provider: Provider,
    headers: Arc<HeaderMap>,
    fields: RwLock<Map<String, Value>>,
    pub(super) outbox: Outbox,
    pub(super) calls_in_flight: AtomicUsize,
    /// The connection handlers ran for it (so the disconnect handlers will too).
    pub(super) announced: AtomicBool,
    /// It has ended: left every channel, disconnect handlers run.
    pub(super) ended: AtomicBool,
}

/// A connected real-time client. Cheap to clone; clones are the same connection.
///
/// Hooks and connection handlers set fields on it (`user` after a login, say); every
/// call made over the connection then carries them in its params.
#[derive(Clone)]
pub struct Connection {
    pub(super) inner: Arc<Inner>,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("id", &self.inner.id)
            .field("provider", &self.inner.provider)
            .finish()
    }
}

/// Headers of the websocket handshake itself, which say nothing to services.
const HANDSHAKE_ONLY: [http::HeaderName; 5] = [
    http::header::CONNECTION,
    http::header::UPGRADE,
    http::header::SEC_WEBSOCKET_KEY,
    http::header::SEC_WEBSOCKET_VERSION,
    http::header::SEC_WEBSOCKET_EXTENSIONS,
];

/// A copy of `headers` that owns its bytes, without the handshake's own headers.
/// Header values parsed by hyper share the connection's whole read buffer (8 KiB and
/// more); a long-lived connection keeping them would keep that buffer alive too.
fn owned_headers(headers: &HeaderMap) -> HeaderMap {
    let kept = headers
        .keys()
        .filter(|name| !HANDSHAKE_ONLY.contains(name))
        .count();
    let mut owned = HeaderMap::with_capacity(kept);
    for (name, value) in headers {
        if HANDSHAKE_ONLY.contains(name) {
            continue;
        }
        if let Ok(mut copy) = http::HeaderValue::from_bytes(value.as_bytes()) {
            copy.set_sensitive(value.is_sensitive());
            owned.append(name.clone(), copy);
        }
    }
    owned
}

impl PartialEq for Connection {
    fn eq(&self, other: &Connection) -> bool {
        self.inner.id == other.inner.id
    }
}

impl Eq for Connection {}

impl std::hash::Hash for Connection {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.inner.id.hash(state);
    }
}

impl Connection {
    /// A connection of `provider` whose outbox holds at most `queue_capacity` frames
    /// (and [`QueueLimits::DEFAULT_BYTES`]).
    pub fn new(provider: Provider, headers: &HeaderMap, queue_capacity: usize) -> Connection {
        Connection::with_limits(provider, headers, QueueLimits::frames(queue_capacity))
    }

    /// A connection of `provider` whose outbox is held to `limits`.
    pub fn with_limits(provider: Provider, headers: &HeaderMap, limits: QueueLimits) -> Connection {
        Connection {
            inner: Arc::new(Inner {
                id: ConnectionId(NEXT_ID.fetch_add(1, Ordering::Relaxed)),
                provider,
                headers: Arc::new(owned_headers(headers)),
                fields: RwLock::new(Map::new()),
                outbox: Outbox::with_limits(limits),
                calls_in_flight: AtomicUsize::new(0),
                announced: AtomicBool::new(false),
                ended: AtomicBool::new(false),
            }),
        }
    }

    /// The connection's process-unique id.
    pub fn id(&self) -> ConnectionId {
        self.inner.id
    }

    /// The transport it came through.
    pub fn provider(&self) -> &Provider {
        &self.inner.provider
    }

    /// The handshake headers, without the websocket handshake's own (`connection`,
    /// `upgrade`, `sec-websocket-key`, `-version` and `-extensions`).
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.headers
    }

    /// A field set on the connection (`"user"`, `"authentication"`, or any other).
    pub fn get(&self, field: &str) -> Option<Value> {
        self.read().get(field).cloned()
    }

    /// Sets a field; calls over this connection carry it in their params.
    pub fn set(&self, field: &str, value: Value) {
        self.write().insert(field.to_owned(), value);
    }

    /// Removes a field.
    pub fn remove(&self, field: &str) -> Option<Value> {
        self.write().remove(field)
    }

    /// Queues an event frame; false when the connection is closed (or just closed
    /// because its queue was full).
    pub fn send_event(&self, event: &Arc<EventFrame>) -> bool {
        self.queued(self.inner.outbox.push(Frame::Event(event.clone())))
    }

    /// Queues a frame already in the transport's wire form.
    pub fn send_text(&self, text: impl Into<WireText>) -> bool {
        self.queued(self.inner.outbox.push(Frame::Text(text.into())))
    }

    fn queued(&self, queued: bool) -> bool {
        if !queued {
            crate::metrics::frame_dropped(&self.inner.provider);
        }
        queued
    }

    /// Asks the transport to close the connection.
    pub fn close(&self) {
        self.inner.outbox.close(CloseReason::Server);
    }

    /// Asks the transport to close the connection, giving the reason.
    pub fn close_with(&self, reason: CloseReason) {
        self.inner.outbox.close(reason);
    }

    /// True once the connection is closed or closing.
    pub fn is_closed(&self) -> bool {
        self.inner.outbox.is_closed()
    }

    /// Waits until the connection is closed (at once when it already is).
    pub async fn closed(&self) {
        self.inner.outbox.closed().await;
    }

    /// True once the connection has ended: it left every channel and the disconnect
    /// handlers ran.
    pub fn has_ended(&self) -> bool {
        self.inner.ended.load(Ordering::Acquire)
    }

    /// Why the connection closed, once it has.
    pub fn close_reason(&self) -> Option<CloseReason> {
        self.inner.outbox.close_reason()
    }

    /// The handshake headers, shared (for the params of its calls).
    pub(crate) fn shared_headers(&self) -> &Arc<HeaderMap> {
        &self.inner.headers
    }

    /// The fields hooks set, for reading.
    pub(crate) fn read(&self) -> parking_lot::RwLockReadGuard<'_, Map<String, Value>> {
        self.inner.fields.read()
    }

    fn write(&self) -> parking_lot::RwLockWriteGuard<'_, Map<String, Value>> {
        self.inner.fields.write()
    }
}

//! A real-time connection (Feathers' `connection` object): its identity, handshake
//! headers, fields that hooks set (user, authentication, ...), and its outbox.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use parking_lot::RwLock;

use http::HeaderMap;
use serde_json::{Map, Value};

mod frame;
mod outbox;
mod transport;

use crate::params::{Params, Provider};
pub use frame::{EventFrame, Frame, Framing, WireText, FRAMING_SLOTS};
pub use outbox::{CloseReason, Outbox, QueueLimits};
pub use transport::TransportConnection;

/// A connection's process-unique id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnectionId(u64);

impl fmt::Display for ConnectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

struct Inner {
    id: ConnectionId,
    provider: Provider,
    headers: Arc<HeaderMap>,
    fields: RwLock<Map<String, Value>>,
    outbox: Outbox,
    calls_in_flight: AtomicUsize,
    /// The connection handlers ran for it (so the disconnect handlers will too).
    announced: AtomicBool,
    /// It has ended: left every channel, disconnect handlers run.
    ended: AtomicBool,
}

/// A connected real-time client. Cheap to clone; clones are the same connection.
///
/// Hooks and connection handlers set fields on it (`user` after a login, say); every
/// call made over the connection then carries them in its params.
#[derive(Clone)]
pub struct Connection {
    inner: Arc<Inner>,
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

    /// The params of a call made over this connection: provider, headers, the
    /// connection's fields (`user`, `authentication` and `authenticated` in their own
    /// fields, others in `extra`), and the connection itself.
    pub fn params(&self, query: Map<String, Value>) -> Params {
        let mut params = Params {
            query,
            provider: Some(self.inner.provider.clone()),
            headers: self.inner.headers.clone(),
            connection: Some(self.clone()),
            ..Params::default()
        };
        let fields = self.read();
        if fields.is_empty() {
            return params;
        }
        for (key, value) in fields.iter() {
            match key.as_str() {
                "user" => params.user = Some(value.clone()),
                "authentication" => params.authentication = Some(value.clone()),
                "authenticated" => params.authenticated = value == &Value::Bool(true),
                _ => {
                    params.extra.insert(key.clone(), value.clone());
                }
            }
        }
        params
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

    fn read(&self) -> parking_lot::RwLockReadGuard<'_, Map<String, Value>> {
        self.inner.fields.read()
    }

    fn write(&self) -> parking_lot::RwLockWriteGuard<'_, Map<String, Value>> {
        self.inner.fields.write()
    }
}

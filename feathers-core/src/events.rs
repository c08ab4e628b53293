//! Server-side events: `created`, `updated`, `patched`, `removed` after each successful
//! call (one per item of an array result), and the custom events a service declares.
//! Listen with a callback ([`ServiceRef::on`](crate::ServiceRef::on)) or a stream
//! ([`ServiceRef::subscribe`](crate::ServiceRef::subscribe)).

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use parking_lot::RwLock;
use std::task::{Context, Poll};

use futures_util::Stream;
use serde_json::Value;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

use crate::id::Id;
use crate::method::Method;
use crate::params::Params;

/// Where an event was produced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum EventOrigin {
    /// By a call or an `emit` in this process.
    #[default]
    Local,
    /// Elsewhere (another instance, through a broker), and handed to this app with
    /// [`App::emit_remote_event`](crate::App::emit_remote_event). Relays skip these,
    /// so an event is never sent back.
    Remote,
}

/// One event of one service.
#[derive(Clone, Debug)]
pub struct ServiceEvent {
    /// The service's registered path.
    pub path: Arc<str>,
    /// The event name: `created`, ..., or a custom one.
    pub event: String,
    /// The item, taken from the call's result.
    pub data: Value,
    /// The client-safe item (`dispatch[i]` for `result[i]`), when a hook set dispatch.
    pub dispatch: Option<Value>,
    /// The method whose call produced the event; `None` for custom events.
    pub method: Option<Method>,
    /// The params of that call (user, connection, ...); `None` for custom events.
    pub params: Option<Arc<Params>>,
    /// The id argument of that call (`patch(7, ..)`); `None` for calls without one
    /// and for custom events.
    pub id: Option<Id>,
    /// Whether the event was produced here or received from elsewhere.
    pub origin: EventOrigin,
}

impl ServiceEvent {
    /// What clients receive: the dispatch item when set, else the data.
    pub fn client_data(&self) -> &Value {
        self.dispatch.as_ref().unwrap_or(&self.data)
    }

    /// True for an event received from elsewhere ([`EventOrigin::Remote`]).
    pub fn is_remote(&self) -> bool {
        self.origin == EventOrigin::Remote
    }
}

type Listener = Arc<dyn Fn(&ServiceEvent) + Send + Sync>;

/// Identifies a listener, to remove it again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ListenerId(u64);

/// Listeners of every service's events (where channels and publishers plug in).
///
/// Listener lists are copied on write: delivery runs the listeners of a snapshot taken
/// without holding the lock, so a listener may add or remove listeners (of any
/// service, or of the app) without deadlocking; the change applies from the next event.
#[derive(Default)]
pub(crate) struct AppEvents {
    listeners: RwLock<Arc<Vec<(ListenerId, Listener)>>>,
}

impl AppEvents {
    pub(crate) fn add(&self, id: ListenerId, listener: Listener) {
        Arc::make_mut(&mut self.listeners.write()).push((id, listener));
    }

    pub(crate) fn remove(&self, id: ListenerId) -> bool {
        let mut listeners = self.listeners.write();
        let before = listeners.len();
        Arc::make_mut(&mut listeners).retain(|(other, _)| *other != id);
        listeners.len() != before
    }

    fn is_empty(&self) -> bool {
        self.listeners.read().is_empty()
    }

    fn deliver(&self, event: &ServiceEvent) {
        let listeners = self.listeners.read().clone();
        for (_, listener) in listeners.iter() {
            call_listener(listener, event);
        }
    }
}

static NEXT_LISTENER: AtomicU64 = AtomicU64::new(1);

pub(crate) fn next_listener_id() -> ListenerId {
    ListenerId(NEXT_LISTENER.fetch_add(1, Ordering::Relaxed))
}

/// A service's listeners, each for one event or (`None`) for all of them.
type ServiceListeners = Vec<(ListenerId, Option<String>, Listener)>;

/// The events of one service.
pub(crate) struct EventEmitter {
    path: Arc<str>,
    /// Copied on write, like [`AppEvents`]' listeners.
    listeners: RwLock<Arc<ServiceListeners>>,
    stream: broadcast::Sender<Arc<ServiceEvent>>,
    app: Arc<AppEvents>,
}

/// How many events a slow stream subscriber may fall behind before it skips ahead.
const STREAM_CAPACITY: usize = 1024;

impl EventEmitter {
    pub(crate) fn new(path: Arc<str>, app: Arc<AppEvents>) -> EventEmitter {
        let (stream, _) = broadcast::channel(STREAM_CAPACITY);
        EventEmitter {
            path,
            listeners: RwLock::new(Arc::new(Vec::new())),
            stream,
            app,
        }
    }

    pub(crate) fn on(&self, event: Option<String>, listener: Listener) -> ListenerId {
        let id = next_listener_id();
        Arc::make_mut(&mut self.listeners.write()).push((id, event, listener));
        id
    }

    pub(crate) fn off(&self, id: ListenerId) -> bool {
        let mut listeners = self.listeners.write();
        let before = listeners.len();
        Arc::make_mut(&mut listeners).retain(|(other, _, _)| *other != id);
        listeners.len() != before
    }

    pub(crate) fn subscribe(&self, event: Option<String>) -> EventStream {
        let inner =
            BroadcastStream::new(self.stream.subscribe()).filter_map(move |item| match item {
                Ok(ev) if event.as_deref().is_none_or(|name| name == ev.event) => Some(ev),
                Ok(_) => None,
                Err(lagged) => {
                    tracing::warn!("an event stream fell behind and skipped events: {lagged}");
                    None
                }
            });
        EventStream {
            inner: Box::pin(inner),
        }
    }

    /// The service's path.
    pub(crate) fn path(&self) -> &Arc<str> {
        &self.path
    }

    /// True when someone listens: a stream, a listener of the service or of the app.
    pub(crate) fn has_receivers(&self) -> bool {
        self.stream.receiver_count() > 0
            || !self.listeners.read().is_empty()
            || !self.app.is_empty()
    }

    /// Emits one event; `source` is the method and params of the call behind it.
    pub(crate) fn emit(
        &self,
        event: String,
        data: Value,
        dispatch: Option<Value>,
        source: Option<(Method, Arc<Params>)>,
    ) {
        let (method, params) = source.unzip();
        let event = ServiceEvent {
            path: self.path.clone(),
            event,
            data,
            dispatch,
            method,
            params,
            id: None,
            origin: EventOrigin::Local,
        };
        self.deliver(event);
    }

    /// Hands one event to this service's listeners, the app's listeners and streams.
    pub(crate) fn deliver(&self, event: ServiceEvent) {
        let listeners = self.listeners.read().clone();
        for (_, name, listener) in listeners.iter() {
            if name.as_deref().is_none_or(|name| name == event.event) {
                call_listener(listener, &event);
            }
        }
        self.app.deliver(&event);
        if self.stream.receiver_count() > 0 {
            // Sending fails only when every receiver is gone, which is no loss.
            let _ = self.stream.send(Arc::new(event));
        }
    }
}

/// A panicking listener is logged and skipped; it never fails the call.
fn call_listener(listener: &Listener, event: &ServiceEvent) {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| listener(event)));
    if outcome.is_err() {
        tracing::error!(service = %event.path, event = %event.event, "an event listener panicked");
    }
}

/// An async stream of a service's events.
pub struct EventStream {
    inner: Pin<Box<dyn Stream<Item = Arc<ServiceEvent>> + Send>>,
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EventStream")
    }
}

impl Stream for EventStream {
    type Item = Arc<ServiceEvent>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

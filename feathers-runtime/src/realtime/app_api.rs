//! The app's real-time API: channels, publishers, and connection handlers.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use super::channels::{deliver, ChannelRegistry, Publishers};
use super::{Channel, Connection, Publisher};
use crate::app::App;
use crate::error::{Error, Result};
use crate::events::ServiceEvent;
use crate::service_ref::ServiceRef;
use crate::sync::{read, write};

type ConnectionHandler = Arc<dyn Fn(&Connection, &App) + Send + Sync>;

/// The real-time state of an app.
#[derive(Default)]
pub(crate) struct RealtimeState {
    pub(crate) channels: Arc<ChannelRegistry>,
    /// The live connections and the calls running on them.
    pub(crate) live: super::live::Live,
    publishers: RwLock<Publishers>,
    on_connection: RwLock<Vec<ConnectionHandler>>,
    on_disconnect: RwLock<Vec<ConnectionHandler>>,
    /// Set once the first publisher is registered and events start flowing to channels.
    delivering: AtomicBool,
}

impl App {
    pub(crate) fn realtime(&self) -> &RealtimeState {
        &self.inner.realtime
    }

    /// The named channel, created on first use (`app.channel("everybody")`).
    pub fn channel(&self, name: &str) -> Channel {
        self.realtime().channels.channel(name)
    }

    /// Several named channels as one: each connection once.
    pub fn channels(&self, names: &[&str]) -> Channel {
        Channel::combine(names.iter().map(|name| self.channel(name)))
    }

    /// The names of the channels that have connections.
    pub fn channel_names(&self) -> Vec<String> {
        self.realtime().channels.names()
    }

    /// Publishes every event of every service to the channels `publisher` returns,
    /// unless a more specific publisher exists (service and event publishers win).
    pub fn publish(
        &self,
        publisher: impl Fn(&ServiceEvent, &App) -> Vec<Channel> + Send + Sync + 'static,
    ) {
        write(&self.realtime().publishers).set_app(None, Arc::new(publisher));
        self.start_delivery();
    }

    /// Publishes one event (of every service) to the channels `publisher` returns.
    pub fn publish_event(
        &self,
        event: &str,
        publisher: impl Fn(&ServiceEvent, &App) -> Vec<Channel> + Send + Sync + 'static,
    ) {
        write(&self.realtime().publishers).set_app(Some(event), Arc::new(publisher));
        self.start_delivery();
    }

    /// True when some publisher is registered.
    pub fn has_publishers(&self) -> bool {
        !read(&self.realtime().publishers).is_empty()
    }

    /// Runs `handler` for each new real-time connection: where apps join channels.
    pub fn on_connection(&self, handler: impl Fn(&Connection, &App) + Send + Sync + 'static) {
        write(&self.realtime().on_connection).push(Arc::new(handler));
    }

    /// Runs `handler` when a real-time connection ends (it has already left every channel).
    pub fn on_disconnect(&self, handler: impl Fn(&Connection, &App) + Send + Sync + 'static) {
        write(&self.realtime().on_disconnect).push(Arc::new(handler));
    }

    /// Called by transports once a connection is established: runs the connection
    /// handlers (once per connection).
    pub fn connected(&self, connection: &Connection) {
        if !connection.announce() {
            return;
        }
        let handlers = read(&self.realtime().on_connection).clone();
        for handler in handlers {
            guarded("connection", || handler(connection, self));
        }
    }

    /// Ends a connection: it closes, leaves every channel, and the disconnect handlers
    /// run if the connection handlers ran. Only the first call for a connection does
    /// anything, however many transports or paths report its end.
    pub fn disconnected(&self, connection: &Connection) {
        self.end_connection(connection);
    }

    pub(crate) fn run_disconnect_handlers(&self, connection: &Connection) {
        let handlers = read(&self.realtime().on_disconnect).clone();
        for handler in handlers {
            guarded("disconnect", || handler(connection, self));
        }
    }

    pub(crate) fn publisher_for(&self, path: &str, event: &str) -> Option<Publisher> {
        read(&self.realtime().publishers).find_publisher(path, event)
    }

    pub(crate) fn deliver_to_channels(&self, event: &ServiceEvent) {
        deliver(self, event);
    }

    pub(crate) fn set_service_publisher(
        &self,
        path: &str,
        event: Option<&str>,
        publisher: Publisher,
    ) {
        write(&self.realtime().publishers).set_service(path, event, publisher);
        self.start_delivery();
    }

    /// From the first publisher on, every event goes to the channels its publisher
    /// selects. Until then events are not even built for delivery.
    fn start_delivery(&self) {
        if self.realtime().delivering.swap(true, Ordering::AcqRel) {
            return;
        }
        let app = Arc::downgrade(&self.inner);
        self.inner.events.add(
            crate::events::next_listener_id(),
            Arc::new(move |event: &ServiceEvent| {
                if let Some(inner) = app.upgrade() {
                    App { inner }.deliver_to_channels(event);
                }
            }),
        );
    }
}

fn guarded(what: &str, f: impl FnOnce()) {
    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).is_err() {
        tracing::error!("a {what} handler panicked");
    }
}

impl ServiceRef {
    /// Publishes every event of this service to the channels `publisher` returns.
    pub fn publish(
        &self,
        publisher: impl Fn(&ServiceEvent, &App) -> Vec<Channel> + Send + Sync + 'static,
    ) {
        self.app()
            .set_service_publisher(self.path(), None, Arc::new(publisher));
    }

    /// Publishes one event of this service; the event must be one the service emits.
    pub fn publish_event(
        &self,
        event: &str,
        publisher: impl Fn(&ServiceEvent, &App) -> Vec<Channel> + Send + Sync + 'static,
    ) -> Result<()> {
        if !self.entry().has_event(event) {
            return Err(Error::general(format!(
                "'{event}' is not a valid service event"
            )));
        }
        self.app()
            .set_service_publisher(self.path(), Some(event), Arc::new(publisher));
        Ok(())
    }
}

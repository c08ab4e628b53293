//! The real-time state of an app, kept as one app extension: its channels, publishers,
//! connection handlers and live connections, and the few operations on it that the
//! rest of the crate shares. It sits below everything else of the crate but the
//! channels and the live set.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use parking_lot::RwLock;

use feathers_core::{App, Connection, ServiceEvent};

use crate::channels::{deliver, ChannelRegistry, Publisher, Publishers};
use crate::settings::RealtimeSettings;

pub(crate) type ConnectionHandler = Arc<dyn Fn(&Connection, &App) + Send + Sync>;

/// The real-time state of an app: its channels, publishers and connection handlers.
#[derive(Default)]
pub(crate) struct RealtimeState {
    /// The app's real-time settings, read once when the state is made (the app is
    /// built by then, its settings with it).
    pub(crate) settings: Arc<RealtimeSettings>,
    pub(crate) channels: Arc<ChannelRegistry>,
    /// The live connections and the calls running on them.
    pub(crate) live: crate::live::Live,
    pub(crate) publishers: RwLock<Publishers>,
    pub(crate) on_connection: RwLock<Vec<ConnectionHandler>>,
    pub(crate) on_disconnect: RwLock<Vec<ConnectionHandler>>,
    /// Set once the first publisher is registered and events start flowing to channels.
    delivering: AtomicBool,
}

pub(crate) fn state(app: &App) -> Arc<RealtimeState> {
    app.extension_or_insert_with(|| RealtimeState {
        settings: app.settings::<RealtimeSettings>(),
        ..RealtimeState::default()
    })
}

/// Runs the disconnect handlers for a connection that ended.
pub(crate) fn run_disconnect_handlers(app: &App, connection: &Connection) {
    let handlers = state(app).on_disconnect.read().clone();
    for handler in handlers {
        guarded("disconnect", || handler(connection, app));
    }
}

/// The publisher for an event of a service, by Feathers' precedence.
pub(crate) fn publisher_for(app: &App, path: &str, event: &str) -> Option<Publisher> {
    state(app).publishers.read().find_publisher(path, event)
}

pub(crate) fn set_service_publisher(
    app: &App,
    path: &str,
    event: Option<&str>,
    publisher: Publisher,
) {
    state(app)
        .publishers
        .write()
        .set_service(path, event, publisher);
    start_delivery(app);
}

/// From the first publisher on, every event goes to the channels its publisher
/// selects. Until then events are not even built for delivery.
pub(crate) fn start_delivery(app: &App) {
    if state(app).delivering.swap(true, Ordering::AcqRel) {
        return;
    }
    let weak = app.downgrade();
    app.on_any_event(move |event: &ServiceEvent| {
        if let Some(app) = weak.upgrade() {
            if let Some(publisher) = publisher_for(&app, &event.path, &event.event) {
                deliver(&app, event, &publisher);
            }
        }
    });
}

pub(crate) fn guarded(what: &str, f: impl FnOnce()) {
    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).is_err() {
        tracing::error!("a {what} handler panicked");
    }
}

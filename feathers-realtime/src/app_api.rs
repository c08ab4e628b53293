//! The app's real-time API: channels, publishers and connection handlers, added to
//! [`App`] and [`ServiceRef`] by the [`RealtimeApp`] and [`RealtimeService`] traits.
//! Their state is one app extension (`crate::state`).

use std::sync::Arc;

use feathers_core::{App, Connection, Error, Result, ServiceEvent, ServiceRef};

use crate::channels::Channel;
use crate::state::{set_service_publisher, start_delivery, state};

/// Channels, publishers and connection handlers on an [`App`]
/// (`use feathers_runtime::prelude::*` brings this trait in).
pub trait RealtimeApp {
    /// The named channel, created on first use (`app.channel("everybody")`).
    fn channel(&self, name: &str) -> Channel;

    /// Several named channels as one: each connection once.
    fn channels(&self, names: &[&str]) -> Channel;

    /// The channel of one record, `<prefix>/<id>`: `app.record_channel("user", &id)`
    /// is `user/42` for the id `42` and `user/abc` for the id `"abc"`. A string id is
    /// written without its JSON quotes, so the channel a login joins (with the id from
    /// the login result) and the channel an event goes to (with the id from the
    /// event's data) are the same channel. `format!("user/{id}")` on a JSON value
    /// would give `user/"abc"`.
    fn record_channel(&self, prefix: &str, id: &serde_json::Value) -> Channel;

    /// The names of the channels that have connections.
    fn channel_names(&self) -> Vec<String>;

    /// Publishes every event of every service to the channels `publisher` returns,
    /// unless a more specific publisher exists (service and event publishers win).
    fn publish(
        &self,
        publisher: impl Fn(&ServiceEvent, &App) -> Vec<Channel> + Send + Sync + 'static,
    );

    /// Publishes one event (of every service) to the channels `publisher` returns.
    fn publish_event(
        &self,
        event: &str,
        publisher: impl Fn(&ServiceEvent, &App) -> Vec<Channel> + Send + Sync + 'static,
    );

    /// Publishes every event of the service at `path`, as
    /// `app.service(path)?.publish(..)` does, without a lookup that could fail: the
    /// publisher waits for events from that path whenever the service is there.
    fn publish_service(
        &self,
        path: &str,
        publisher: impl Fn(&ServiceEvent, &App) -> Vec<Channel> + Send + Sync + 'static,
    );

    /// True when some publisher is registered.
    fn has_publishers(&self) -> bool;

    /// Runs `handler` for each new real-time connection: where apps join channels.
    fn on_connection(&self, handler: impl Fn(&Connection, &App) + Send + Sync + 'static);

    /// Runs `handler` when a real-time connection ends (it has already left every channel).
    fn on_disconnect(&self, handler: impl Fn(&Connection, &App) + Send + Sync + 'static);

    /// Every live real-time connection, whatever its transport.
    fn realtime_connections(&self) -> Vec<Connection>;

    /// A snapshot of the live connections, sessions, channels and running calls.
    fn realtime_stats(&self) -> crate::RealtimeStats;

    /// Drains the real-time connections at shutdown, bounded by `timeout` (see
    /// [`drain`](crate::shutdown::drain)).
    fn drain_realtime(
        &self,
        timeout: std::time::Duration,
    ) -> impl std::future::Future<Output = crate::DrainReport> + Send;

    /// True once [`RealtimeApp::drain_realtime`] has begun.
    fn is_draining(&self) -> bool;
}

impl RealtimeApp for App {
    fn channel(&self, name: &str) -> Channel {
        Channel::in_registry(&state(self).channels, name)
    }

    fn channels(&self, names: &[&str]) -> Channel {
        Channel::combine(names.iter().map(|name| self.channel(name)))
    }

    fn record_channel(&self, prefix: &str, id: &serde_json::Value) -> Channel {
        self.channel(&record_channel_name(prefix, id))
    }

    fn channel_names(&self) -> Vec<String> {
        state(self).channels.names()
    }

    fn publish(
        &self,
        publisher: impl Fn(&ServiceEvent, &App) -> Vec<Channel> + Send + Sync + 'static,
    ) {
        state(self)
            .publishers
            .write()
            .set_app(None, Arc::new(publisher));
        start_delivery(self);
    }

    fn publish_event(
        &self,
        event: &str,
        publisher: impl Fn(&ServiceEvent, &App) -> Vec<Channel> + Send + Sync + 'static,
    ) {
        state(self)
            .publishers
            .write()
            .set_app(Some(event), Arc::new(publisher));
        start_delivery(self);
    }

    fn publish_service(
        &self,
        path: &str,
        publisher: impl Fn(&ServiceEvent, &App) -> Vec<Channel> + Send + Sync + 'static,
    ) {
        set_service_publisher(self, path.trim_matches('/'), None, Arc::new(publisher));
    }

    fn has_publishers(&self) -> bool {
        !state(self).publishers.read().is_empty()
    }

    fn on_connection(&self, handler: impl Fn(&Connection, &App) + Send + Sync + 'static) {
        state(self).on_connection.write().push(Arc::new(handler));
    }

    fn on_disconnect(&self, handler: impl Fn(&Connection, &App) + Send + Sync + 'static) {
        state(self).on_disconnect.write().push(Arc::new(handler));
    }

    fn realtime_connections(&self) -> Vec<Connection> {
        state(self).live.connections()
    }

    fn realtime_stats(&self) -> crate::RealtimeStats {
        crate::stats::snapshot(self)
    }

    async fn drain_realtime(&self, timeout: std::time::Duration) -> crate::DrainReport {
        crate::shutdown::drain(self, timeout).await
    }

    fn is_draining(&self) -> bool {
        state(self).live.is_draining()
    }
}

/// Publishers for one service (`use feathers_runtime::prelude::*` brings this trait in).
pub trait RealtimeService {
    /// Publishes every event of this service to the channels `publisher` returns.
    fn publish(
        &self,
        publisher: impl Fn(&ServiceEvent, &App) -> Vec<Channel> + Send + Sync + 'static,
    );

    /// Publishes one event of this service; the event must be one the service emits.
    fn publish_event(
        &self,
        event: &str,
        publisher: impl Fn(&ServiceEvent, &App) -> Vec<Channel> + Send + Sync + 'static,
    ) -> Result<()>;
}

impl RealtimeService for ServiceRef {
    fn publish(
        &self,
        publisher: impl Fn(&ServiceEvent, &App) -> Vec<Channel> + Send + Sync + 'static,
    ) {
        set_service_publisher(self.app(), self.path(), None, Arc::new(publisher));
    }

    fn publish_event(
        &self,
        event: &str,
        publisher: impl Fn(&ServiceEvent, &App) -> Vec<Channel> + Send + Sync + 'static,
    ) -> Result<()> {
        if !self.entry().has_event(event) {
            return Err(Error::general(format!(
                "'{event}' is not a valid service event"
            )));
        }
        set_service_publisher(self.app(), self.path(), Some(event), Arc::new(publisher));
        Ok(())
    }
}

/// `<prefix>/<id>`, with a string id unquoted (see [`RealtimeApp::record_channel`]).
pub(crate) fn record_channel_name(prefix: &str, id: &serde_json::Value) -> String {
    match id {
        serde_json::Value::String(text) => format!("{prefix}/{text}"),
        other => format!("{prefix}/{other}"),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn string_and_number_ids_name_the_channel_without_quotes() {
        assert_eq!(
            super::record_channel_name("user", &json!("abc")),
            "user/abc"
        );
        assert_eq!(super::record_channel_name("user", &json!(42)), "user/42");
    }
}

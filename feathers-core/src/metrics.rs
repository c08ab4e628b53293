//! What an operator can watch, through the [`metrics`] facade: install any recorder
//! (the built-in Prometheus endpoint, see [`Config::metrics_endpoint`], or your own)
//! and these series appear. Without a recorder every call here is a no-op.
//!
//! Counters and histograms are recorded as things happen. The gauges of the real-time
//! state (connections, sessions, channels, calls in flight) are set from
//! `RealtimeApp::realtime_stats` by `feathers_realtime::metrics::record_realtime_gauges`,
//! which the Prometheus endpoint calls before each scrape; call it yourself for another
//! exporter. The recording functions here are for the crates of feathers-rs.
//!
//! [`Config::metrics_endpoint`]: crate::Config::metrics_endpoint

use std::sync::Arc;
use std::time::Duration;

use ::metrics::SharedString;

use crate::connection::CloseReason;
use crate::method::Method;
use crate::params::Provider;

/// Counter: real-time connections opened, by `transport`.
pub const CONNECTIONS_OPENED: &str = "feathers_realtime_connections_opened_total";
/// Counter: real-time connections ended, by `transport` and `reason`.
pub const CONNECTIONS_CLOSED: &str = "feathers_realtime_connections_closed_total";
/// Counter: connections cut off because they did not read fast enough, by `transport`.
pub const SLOW_CONSUMER_CUTOFFS: &str = "feathers_realtime_slow_consumer_cutoffs_total";
/// Counter: frames not queued because the connection was closed or its queue full.
pub const FRAMES_DROPPED: &str = "feathers_realtime_frames_dropped_total";
/// Counter: service events delivered to channels, by `service` and `event`.
pub const EVENTS_PUBLISHED: &str = "feathers_events_published_total";
/// Counter: event frames queued to connections, by `service` and `event`.
pub const EVENT_FRAMES_SENT: &str = "feathers_event_frames_sent_total";
/// Counter: service method calls, by `service`, `method`, `provider` and `outcome`
/// (`ok` or the error's class name).
pub const CALLS: &str = "feathers_calls_total";
/// Histogram: service method call durations in seconds, by `service` and `method`.
pub const CALL_DURATION: &str = "feathers_call_duration_seconds";
/// Gauge: service method calls running, over every transport.
pub const CALLS_RUNNING: &str = "feathers_calls_in_flight";
/// Gauge: live real-time connections, by `transport`.
pub const CONNECTIONS: &str = "feathers_realtime_connections";
/// Gauge: Engine.IO sessions in the Socket.io session table.
pub const SESSIONS: &str = "feathers_socketio_sessions";
/// Gauge: socket method calls running.
pub const SOCKET_CALLS_RUNNING: &str = "feathers_realtime_calls_in_flight";
/// Gauge: named channels.
pub const CHANNELS: &str = "feathers_channels";
/// Gauge: connections in a channel, by `channel` (the [`CHANNEL_SIZE_LIMIT`] largest).
pub const CHANNEL_CONNECTIONS: &str = "feathers_channel_connections";
/// How many channels get their own size series (the largest ones).
pub const CHANNEL_SIZE_LIMIT: usize = 100;

fn reason_label(reason: Option<&CloseReason>) -> &'static str {
    match reason {
        None | Some(CloseReason::Client) => "client",
        Some(CloseReason::Server) => "server",
        Some(CloseReason::SlowConsumer) => "slow_consumer",
        Some(CloseReason::Timeout) => "timeout",
        Some(CloseReason::Protocol(_)) => "protocol",
        Some(CloseReason::Shutdown) => "shutdown",
    }
}

/// Counts a real-time connection opened.
pub fn connection_opened(provider: &Provider) {
    ::metrics::counter!(CONNECTIONS_OPENED, "transport" => provider.as_str().to_owned())
        .increment(1);
}

/// Counts a real-time connection ended, and a slow-consumer cut-off.
pub fn connection_closed(provider: &Provider, reason: Option<CloseReason>) {
    let transport = provider.as_str().to_owned();
    if reason == Some(CloseReason::SlowConsumer) {
        ::metrics::counter!(SLOW_CONSUMER_CUTOFFS, "transport" => transport.clone()).increment(1);
    }
    ::metrics::counter!(
        CONNECTIONS_CLOSED,
        "transport" => transport,
        "reason" => reason_label(reason.as_ref())
    )
    .increment(1);
}

/// Counts a frame that was not queued.
pub fn frame_dropped(provider: &Provider) {
    ::metrics::counter!(FRAMES_DROPPED, "transport" => provider.as_str().to_owned()).increment(1);
}

/// Counts an event delivered to channels, and the frames it queued.
pub fn event_published(service: &str, event: &str, frames: u64) {
    ::metrics::counter!(
        EVENTS_PUBLISHED,
        "service" => service.to_owned(),
        "event" => event.to_owned()
    )
    .increment(1);
    if frames > 0 {
        ::metrics::counter!(
            EVENT_FRAMES_SENT,
            "service" => service.to_owned(),
            "event" => event.to_owned()
        )
        .increment(frames);
    }
}

/// A running service call: counted while alive, recorded when finished. Its labels
/// share the service's path and the method's name (no copies per call).
pub(crate) struct CallTimer {
    service: SharedString,
    method: SharedString,
    provider: &'static str,
    started: std::time::Instant,
}

impl CallTimer {
    pub(crate) fn start(
        service: &Arc<str>,
        method: &Method,
        provider: Option<&Provider>,
    ) -> CallTimer {
        ::metrics::gauge!(CALLS_RUNNING).increment(1.0);
        CallTimer {
            service: SharedString::from(service.clone()),
            method: method_label(method),
            provider: match provider {
                None => "internal",
                Some(Provider::Rest) => "rest",
                Some(Provider::SocketIo) => "socketio",
                Some(Provider::Primus) => "primus",
                Some(Provider::Other(_)) => "other",
            },
            started: std::time::Instant::now(),
        }
    }

    pub(crate) fn finish(self, outcome: Result<(), &crate::Error>) {
        let elapsed: Duration = self.started.elapsed();
        let outcome = match outcome {
            Ok(()) => "ok",
            Err(err) => err.kind().class_name(),
        };
        ::metrics::counter!(
            CALLS,
            "service" => self.service.clone(),
            "method" => self.method.clone(),
            "provider" => self.provider,
            "outcome" => outcome
        )
        .increment(1);
        ::metrics::histogram!(
            CALL_DURATION,
            "service" => self.service.clone(),
            "method" => self.method.clone()
        )
        .record(elapsed.as_secs_f64());
        // `finish` consumed self; Drop below lowers the running gauge.
    }
}

/// The method's name as a label: static for the standard methods, shared for custom.
fn method_label(method: &Method) -> SharedString {
    match method {
        Method::Custom(name) => SharedString::from(name.clone()),
        Method::Find => SharedString::const_str("find"),
        Method::Get => SharedString::const_str("get"),
        Method::Create => SharedString::const_str("create"),
        Method::Update => SharedString::const_str("update"),
        Method::Patch => SharedString::const_str("patch"),
        Method::Remove => SharedString::const_str("remove"),
    }
}

impl Drop for CallTimer {
    fn drop(&mut self) {
        ::metrics::gauge!(CALLS_RUNNING).decrement(1.0);
    }
}

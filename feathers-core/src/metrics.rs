//! What an operator can watch, through the [`metrics`] facade: install any recorder
//! (the built-in Prometheus endpoint, `WebSettings::metrics_endpoint` of the
//! transports, or your own) and these series appear. Without a recorder every call here is a no-op.
//!
//! Counters and histograms are recorded as things happen. The gauges of the real-time
//! state (connections, sessions, channels, calls in flight) are set from
//! `RealtimeApp::realtime_stats` by `feathers_realtime::metrics::record_realtime_gauges`,
//! which the Prometheus endpoint calls before each scrape; call it yourself for another
//! exporter. The recording functions here are for the crates of feathers-rs.
//!

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use ::metrics::{Key, Label, Level, Metadata, SharedString};

use crate::connection::CloseReason;
use crate::error::Error;
use crate::method::Method;
use crate::provider::Provider;

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

/// Counts an event delivered to channels, and the frames it queued. The labels share
/// the service's path and, for the standard events, a static name: no copies.
pub fn event_published(service: &Arc<str>, event: &str, frames: u64) {
    let event = match event {
        "created" => SharedString::const_str("created"),
        "updated" => SharedString::const_str("updated"),
        "patched" => SharedString::const_str("patched"),
        "removed" => SharedString::const_str("removed"),
        other => SharedString::from(other.to_owned()),
    };
    let service = SharedString::from(service.clone());
    if frames > 0 {
        ::metrics::counter!(
            EVENT_FRAMES_SENT,
            "service" => service.clone(),
            "event" => event.clone()
        )
        .increment(frames);
    }
    ::metrics::counter!(EVENTS_PUBLISHED, "service" => service, "event" => event).increment(1);
}

/// Where the call metrics are recorded from (the `target` recorders filter on).
static CALL_METADATA: Metadata<'static> =
    Metadata::new(module_path!(), Level::INFO, Some(module_path!()));

/// Providers, in the order of the key tables: internal, rest, socketio, primus, other.
const PROVIDERS: [&str; 5] = ["internal", "rest", "socketio", "primus", "other"];

fn provider_index(provider: Option<&Provider>) -> usize {
    match provider {
        None => 0,
        Some(Provider::Rest) => 1,
        Some(Provider::SocketIo) => 2,
        Some(Provider::Primus) => 3,
        Some(Provider::Other(_)) => 4,
    }
}

/// The six standard methods, in the order of the key tables; custom ones have none.
fn standard_index(method: &Method) -> Option<usize> {
    match method {
        Method::Find => Some(0),
        Method::Get => Some(1),
        Method::Create => Some(2),
        Method::Update => Some(3),
        Method::Patch => Some(4),
        Method::Remove => Some(5),
        Method::Custom(_) => None,
    }
}

/// One service's metric keys for successful calls of its standard methods, each built
/// on first use. Recording a call then copies no labels and hashes nothing (a key
/// carries its hash); the recorder is still asked on every call, so a recorder
/// installed later, or a thread's local one, sees every call.
#[derive(Default)]
pub(crate) struct CallKeys {
    /// `feathers_calls_total{outcome="ok"}`, by method and provider.
    ok: [[OnceLock<Key>; 5]; 6],
    /// `feathers_call_duration_seconds`, by method.
    duration: [OnceLock<Key>; 6],
}

impl std::fmt::Debug for CallKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallKeys").finish_non_exhaustive()
    }
}

/// A running service call: counted while alive, recorded when finished.
pub(crate) struct CallTimer {
    method: Method,
    provider: usize,
    started: std::time::Instant,
}

impl CallTimer {
    pub(crate) fn start(method: &Method, provider: Option<&Provider>) -> CallTimer {
        running_calls(1.0);
        CallTimer {
            method: method.clone(),
            provider: provider_index(provider),
            started: std::time::Instant::now(),
        }
    }

    /// Records the call of the service at `path`, whose keys are `keys`.
    pub(crate) fn finish(self, keys: &CallKeys, path: &Arc<str>, outcome: Result<(), &Error>) {
        let seconds = self.started.elapsed().as_secs_f64();
        let service = || SharedString::from(path.clone());
        let method = || method_label(&self.method);
        let provider = PROVIDERS[self.provider];
        let counted = match (outcome, standard_index(&self.method)) {
            (Ok(()), Some(index)) => Cow::Borrowed(
                keys.ok[index][self.provider]
                    .get_or_init(|| calls_key(service(), method(), provider, "ok")),
            ),
            (Ok(()), None) => Cow::Owned(calls_key(service(), method(), provider, "ok")),
            (Err(err), _) => Cow::Owned(calls_key(
                service(),
                method(),
                provider,
                err.kind().class_name(),
            )),
        };
        let timed = match standard_index(&self.method) {
            Some(index) => Cow::Borrowed(
                keys.duration[index].get_or_init(|| duration_key(service(), method())),
            ),
            None => Cow::Owned(duration_key(service(), method())),
        };
        ::metrics::with_recorder(|recorder| {
            recorder
                .register_counter(&counted, &CALL_METADATA)
                .increment(1);
            recorder
                .register_histogram(&timed, &CALL_METADATA)
                .record(seconds);
        });
        // `finish` consumed self; Drop below lowers the running gauge.
    }
}

/// Moves the running-calls gauge by `change`, under a key built at compile time.
fn running_calls(change: f64) {
    static KEY: Key = Key::from_static_name(CALLS_RUNNING);
    ::metrics::with_recorder(|recorder| {
        recorder
            .register_gauge(&KEY, &CALL_METADATA)
            .increment(change);
    });
}

fn calls_key(
    service: SharedString,
    method: SharedString,
    provider: &'static str,
    outcome: &'static str,
) -> Key {
    Key::from_parts(
        CALLS,
        vec![
            Label::new("service", service),
            Label::new("method", method),
            Label::new("provider", provider),
            Label::new("outcome", outcome),
        ],
    )
}

fn duration_key(service: SharedString, method: SharedString) -> Key {
    Key::from_parts(
        CALL_DURATION,
        vec![Label::new("service", service), Label::new("method", method)],
    )
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
        running_calls(-1.0);
    }
}

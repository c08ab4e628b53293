//! Gauges of the real-time state, for the metrics facade.

use feathers_core::metrics::{
    CHANNELS, CHANNEL_CONNECTIONS, CHANNEL_SIZE_LIMIT, CONNECTIONS, SESSIONS, SOCKET_CALLS_RUNNING,
};
use feathers_core::App;

use crate::RealtimeApp;

/// Sets the real-time gauges from `app`'s current state. The Prometheus endpoint calls
/// this before each scrape. Channels beyond the [`CHANNEL_SIZE_LIMIT`] largest get no
/// size series of their own; `previous` holds the channel names reported last time,
/// so that channels gone since drop to zero.
pub fn record_realtime_gauges(app: &App, previous: &mut Vec<String>) {
    let stats = app.realtime_stats();
    for transport in ["socketio", "primus"] {
        let live = stats.connections.get(transport).copied().unwrap_or(0);
        ::metrics::gauge!(CONNECTIONS, "transport" => transport).set(live as f64);
    }
    ::metrics::gauge!(SESSIONS).set(stats.sessions as f64);
    ::metrics::gauge!(SOCKET_CALLS_RUNNING).set(stats.calls_in_flight as f64);
    ::metrics::gauge!(CHANNELS).set(stats.channels.len() as f64);
    let mut sizes: Vec<(String, usize)> = stats.channels.into_iter().collect();
    sizes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sizes.truncate(CHANNEL_SIZE_LIMIT);
    for gone in previous.iter() {
        if !sizes.iter().any(|(name, _)| name == gone) {
            ::metrics::gauge!(CHANNEL_CONNECTIONS, "channel" => gone.clone()).set(0.0);
        }
    }
    previous.clear();
    for (name, size) in sizes {
        ::metrics::gauge!(CHANNEL_CONNECTIONS, "channel" => name.clone()).set(size as f64);
        previous.push(name);
    }
}

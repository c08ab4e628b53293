//! A snapshot of an app's real-time state, for tests, health checks and dashboards.

use std::collections::BTreeMap;

use feathers_core::App;

use crate::state::state;

/// What [`RealtimeApp::realtime_stats`](crate::RealtimeApp::realtime_stats) reports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RealtimeStats {
    /// Live connections by transport (`"socketio"`, `"primus"`).
    pub connections: BTreeMap<String, usize>,
    /// Engine.IO sessions in the Socket.io transport's session table (those that
    /// started with long-polling and may be polled or upgraded by their id).
    pub sessions: usize,
    /// The named channels that exist, with their number of connections.
    pub channels: BTreeMap<String, usize>,
    /// Socket method calls running on any connection.
    pub calls_in_flight: usize,
}

impl RealtimeStats {
    /// Live connections over every transport.
    pub fn total_connections(&self) -> usize {
        self.connections.values().sum()
    }

    /// True when nothing real-time is left: no connection, session, channel or call.
    pub fn is_idle(&self) -> bool {
        self.total_connections() == 0
            && self.sessions == 0
            && self.channels.is_empty()
            && self.calls_in_flight == 0
    }
}

/// The live connections, sessions, channels and running calls of `app`.
pub(crate) fn snapshot(app: &App) -> RealtimeStats {
    let realtime = state(app);
    let mut connections = BTreeMap::new();
    for connection in realtime.live.connections() {
        *connections
            .entry(connection.provider().as_str().to_owned())
            .or_insert(0) += 1;
    }
    RealtimeStats {
        connections,
        sessions: realtime.live.sessions(),
        channels: realtime.channels.sizes(),
        calls_in_flight: realtime.live.calls(),
    }
}

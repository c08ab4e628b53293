//! Every live real-time connection of an app, and the socket calls running on them:
//! what the end of a connection, the statistics and the drain at shutdown read.

use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::sync::Notify;

use feathers_core::{Connection, ConnectionId};

#[derive(Default)]
pub(crate) struct Live {
    connections: Mutex<HashMap<ConnectionId, Connection>>,
    /// Socket calls running on any connection of the app.
    calls: AtomicUsize,
    /// Engine.IO sessions in the Socket.io transport's session table.
    sessions: AtomicUsize,
    /// Set when the app shuts down: no new connection, no new call.
    draining: AtomicBool,
    /// Wakes the drain when a connection ends or a call finishes.
    changed: Notify,
}

impl Live {
    /// Adds a connection; false (and nothing added) while the app is shutting down.
    pub(crate) fn insert(&self, connection: &Connection) -> bool {
        let mut connections = self.connections.lock();
        if self.is_draining() {
            return false;
        }
        connections.insert(connection.id(), connection.clone());
        true
    }

    pub(crate) fn remove(&self, connection: &Connection) {
        self.connections.lock().remove(&connection.id());
        self.changed.notify_waiters();
    }

    pub(crate) fn connections(&self) -> Vec<Connection> {
        self.connections.lock().values().cloned().collect()
    }

    pub(crate) fn len(&self) -> usize {
        self.connections.lock().len()
    }

    /// Counts a call as running; false while the app is shutting down.
    pub(crate) fn start_call(&self) -> bool {
        if self.is_draining() {
            return false;
        }
        self.calls.fetch_add(1, Ordering::AcqRel);
        true
    }

    pub(crate) fn end_call(&self) {
        self.calls.fetch_sub(1, Ordering::AcqRel);
        self.changed.notify_waiters();
    }

    pub(crate) fn calls(&self) -> usize {
        self.calls.load(Ordering::Acquire)
    }

    pub(crate) fn session_opened(&self) {
        self.sessions.fetch_add(1, Ordering::AcqRel);
    }

    pub(crate) fn session_closed(&self) {
        self.sessions.fetch_sub(1, Ordering::AcqRel);
    }

    pub(crate) fn sessions(&self) -> usize {
        self.sessions.load(Ordering::Acquire)
    }

    /// From now on no connection is added and no call starts.
    pub(crate) fn start_draining(&self) {
        // Under the connections' lock, so no insert slips past the flag.
        let _connections = self.connections.lock();
        self.draining.store(true, Ordering::Release);
    }

    pub(crate) fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Acquire)
    }

    /// Waits until `done` holds, re-checking whenever a connection ends or a call
    /// finishes.
    pub(crate) async fn wait_until(&self, done: impl Fn(&Live) -> bool) {
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if done(self) {
                return;
            }
            changed.await;
        }
    }
}

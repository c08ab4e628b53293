//! An Engine.IO session: one Socket.IO connection, over long-polling, websocket, or
//! polling first and then upgraded to websocket.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use parking_lot::Mutex;

use tokio::sync::Notify;

use feathers_core::App;
use feathers_core::Provider;
use feathers_core::{CloseReason, Connection};

/// Which transport carries the session's frames to the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Carrier {
    Polling,
    /// A websocket answered the probe; polling requests now get noops.
    Upgrading,
    WebSocket,
}

pub(super) struct Session {
    pub(super) sid: Arc<str>,
    pub(super) connection: Connection,
    pub(super) app: App,
    carrier: Mutex<Carrier>,
    /// Wakes a waiting poll when the carrier changes.
    pub(super) carrier_changed: Notify,
    poll_active: AtomicBool,
    /// A websocket has claimed the upgrade of this polling session.
    upgrade_claimed: AtomicBool,
    awaiting_pong: AtomicBool,
    socket_connected: AtomicBool,
    finished: AtomicBool,
}

impl Session {
    /// A new session, tracked by the app; `None` while the app shuts down.
    pub(super) fn new(
        app: App,
        limits: feathers_core::connection::QueueLimits,
        headers: http::HeaderMap,
        carrier: Carrier,
        peer: Option<std::net::IpAddr>,
    ) -> Option<Arc<Session>> {
        let connection = Connection::with_limits(Provider::SocketIo, &headers, limits);
        crate::peer::record_peer(&connection, peer);
        if !feathers_realtime::lifecycle::track_connection(&app, &connection) {
            return None;
        }
        Some(Arc::new(Session {
            sid: random_id().into(),
            connection,
            app,
            carrier: Mutex::new(carrier),
            carrier_changed: Notify::new(),
            poll_active: AtomicBool::new(false),
            upgrade_claimed: AtomicBool::new(false),
            awaiting_pong: AtomicBool::new(false),
            socket_connected: AtomicBool::new(false),
            finished: AtomicBool::new(false),
        }))
    }

    /// Claims the upgrade for one websocket; false when another one has it, or the
    /// session no longer polls.
    pub(super) fn claim_upgrade(&self) -> bool {
        self.carrier() == Carrier::Polling && !self.upgrade_claimed.swap(true, Ordering::AcqRel)
    }

    /// Gives the upgrade up (the websocket failed before taking over).
    pub(super) fn release_upgrade(&self) {
        if self.carrier() == Carrier::Upgrading {
            self.set_carrier(Carrier::Polling);
        }
        self.upgrade_claimed.store(false, Ordering::Release);
    }

    pub(super) fn carrier(&self) -> Carrier {
        *self.carrier.lock()
    }

    pub(super) fn set_carrier(&self, carrier: Carrier) {
        *self.carrier.lock() = carrier;
        self.carrier_changed.notify_waiters();
    }

    /// Marks a poll as running; false when one already is (the protocol allows one).
    pub(super) fn start_poll(&self) -> bool {
        !self.poll_active.swap(true, Ordering::AcqRel)
    }

    pub(super) fn end_poll(&self) {
        self.poll_active.store(false, Ordering::Release);
    }

    /// Queues a ping; the client must answer before the ping timeout.
    pub(super) fn ping(&self) {
        self.start_ping();
        self.connection.send_text(super::engine::PING);
    }

    /// Marks a ping as sent: from now until the pong, `awaiting_pong` holds.
    pub(super) fn start_ping(&self) {
        self.awaiting_pong.store(true, Ordering::Release);
    }

    pub(super) fn pong(&self) {
        self.awaiting_pong.store(false, Ordering::Release);
    }

    pub(super) fn awaiting_pong(&self) -> bool {
        self.awaiting_pong.load(Ordering::Acquire)
    }

    /// Marks the Socket.IO namespace connected; false when it already was.
    pub(super) fn connect_socket(&self) -> bool {
        !self.socket_connected.swap(true, Ordering::AcqRel)
    }

    pub(super) fn socket_connected(&self) -> bool {
        self.socket_connected.load(Ordering::Acquire)
    }

    /// Waits until the session has finished, for up to `limit`.
    pub(super) async fn wait_finished(&self, limit: std::time::Duration) {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let changed = self.carrier_changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if self.finished.load(Ordering::Acquire) {
                return;
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return;
            }
        }
    }

    /// Ends the session once, however it ended: it leaves the session table, and its
    /// connection ends (every channel left, disconnect handlers run once).
    pub(super) fn finish(&self, sessions: &Sessions) {
        if self.finished.swap(true, Ordering::AcqRel) {
            return;
        }
        if !self.connection.is_closed() {
            self.connection.close_with(CloseReason::Client);
        }
        if sessions.remove(&self.sid) {
            feathers_realtime::lifecycle::session_closed(&self.app);
        }
        self.carrier_changed.notify_waiters();
        feathers_realtime::lifecycle::end_connection(&self.app, &self.connection);
        tracing::debug!(sid = %self.sid, reason = ?self.connection.close_reason(), "socket.io session ended");
    }
}

/// The sessions that polling requests and upgrades refer to by id.
#[derive(Default)]
pub(super) struct Sessions {
    by_sid: Mutex<HashMap<Arc<str>, Arc<Session>>>,
}

impl Sessions {
    fn lock(&self) -> parking_lot::MutexGuard<'_, HashMap<Arc<str>, Arc<Session>>> {
        self.by_sid.lock()
    }

    pub(super) fn insert(&self, session: &Arc<Session>) {
        if self
            .lock()
            .insert(session.sid.clone(), session.clone())
            .is_none()
        {
            feathers_realtime::lifecycle::session_opened(&session.app);
        }
    }

    pub(super) fn get(&self, sid: &str) -> Option<Arc<Session>> {
        self.lock().get(sid).cloned()
    }

    /// Removes a session; false when it was not there.
    pub(super) fn remove(&self, sid: &str) -> bool {
        self.lock().remove(sid).is_some()
    }
}

/// A random id of 20 URL-safe characters (120 bits). Falls back to a time-seeded
/// hash only if the OS has no randomness to give.
pub(super) fn random_id() -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bytes = [0u8; 15];
    if getrandom::fill(&mut bytes).is_err() {
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        let high = hasher.finish().to_le_bytes();
        hasher.write_u8(1);
        let low = hasher.finish().to_le_bytes();
        bytes[..8].copy_from_slice(&high);
        bytes[8..].copy_from_slice(&low[..7]);
    }
    let mut id = String::with_capacity(20);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16) | (u32::from(chunk[1]) << 8) | u32::from(chunk[2]);
        for shift in [18, 12, 6, 0] {
            id.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
        }
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_url_safe_and_distinct() {
        let a = random_id();
        let b = random_id();
        assert_eq!(a.len(), 20);
        assert_ne!(a, b);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }
}

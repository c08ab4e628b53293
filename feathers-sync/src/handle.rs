//! [`SyncHandle`]: a running relay, for its numbers and to stop it.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use tokio::task::AbortHandle;

use crate::relay::Relay;
use crate::stats::SyncStats;

/// A running relay. Cheap to clone; the app keeps one (see [`crate::stats`]).
#[derive(Clone)]
pub struct SyncHandle {
    pub(crate) relay: Arc<Relay>,
    pub(crate) tasks: Arc<Vec<AbortHandle>>,
}

impl std::fmt::Debug for SyncHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncHandle")
            .field("instance", &self.relay.instance)
            .field("key", &self.relay.key)
            .finish()
    }
}

impl SyncHandle {
    /// The relay's counters now.
    pub fn stats(&self) -> SyncStats {
        self.relay.stats()
    }

    /// This instance's id, carried by each message it publishes as `origin.instance`.
    pub fn instance_id(&self) -> &str {
        &self.relay.instance
    }

    /// The Redis channel the relay publishes and subscribes on.
    pub fn key(&self) -> &str {
        &self.relay.key
    }

    /// Waits until the subscription is confirmed: Redis accepted the `SUBSCRIBE` and
    /// counts a subscriber on the key (at start, or again after an outage or a
    /// refusal). Events other instances publish before then do not reach this one.
    pub async fn subscribed(&self) {
        let mut state = self.relay.subscribed.subscribe();
        // The sender lives as long as the relay, which `self` keeps.
        let _ = state.wait_for(|subscribed| *subscribed).await;
    }

    /// Stops relaying: local events are no longer published and the connections close.
    pub fn stop(&self) {
        self.relay.stopped.store(true, Ordering::Relaxed);
        for task in self.tasks.iter() {
            task.abort();
        }
        self.relay.subscribed.send_replace(false);
    }
}

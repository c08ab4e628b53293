//! What the relay has done, as numbers: read them with [`SyncHandle::stats`]
//! (`crate::SyncHandle::stats`) or [`stats`](crate::stats).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// A snapshot of the relay's counters. Counts are totals since the relay started.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncStats {
    /// Messages published to the broker.
    pub published: u64,
    /// Messages waiting to be published now (while the broker is unreachable, say).
    pub queued: u64,
    /// Messages dropped unpublished because the queue was full (the oldest go first).
    pub dropped: u64,
    /// Local events that could not be encoded (their data is not JSON-serialisable).
    pub encode_errors: u64,
    /// Messages read from the broker, including this instance's own.
    pub received: u64,
    /// Messages from other instances handed to this app's listeners and channels.
    pub delivered: u64,
    /// This instance's own messages coming back, skipped (they were delivered locally).
    pub own_skipped: u64,
    /// Messages seen twice (a publish retried after a lost reply), skipped.
    pub duplicates: u64,
    /// Messages of other feathers-rs instances that never arrived, from gaps in their
    /// sequence numbers (published while this instance was not subscribed, or dropped).
    pub missed: u64,
    /// Messages that were not feathers-sync JSON, or named an unknown service or event.
    pub rejected: u64,
    /// Whether the publishing connection is up.
    pub publisher_connected: bool,
    /// Whether the subscription is active.
    pub subscriber_connected: bool,
    /// How often a connection to the broker was lost or could not be made after
    /// having worked (publisher and subscriber counted separately).
    pub outages: u64,
    /// How often a lost connection was made again.
    pub recoveries: u64,
    /// Failed attempts to connect the publishing connection.
    pub publisher_connect_failures: u64,
    /// Failed attempts to connect and subscribe.
    pub subscriber_connect_failures: u64,
}

/// The live counters behind [`SyncStats`].
#[derive(Default)]
pub(crate) struct Counters {
    pub(crate) published: AtomicU64,
    pub(crate) dropped: AtomicU64,
    pub(crate) encode_errors: AtomicU64,
    pub(crate) received: AtomicU64,
    pub(crate) delivered: AtomicU64,
    pub(crate) own_skipped: AtomicU64,
    pub(crate) duplicates: AtomicU64,
    pub(crate) missed: AtomicU64,
    pub(crate) rejected: AtomicU64,
    pub(crate) publisher_connected: AtomicBool,
    pub(crate) subscriber_connected: AtomicBool,
    pub(crate) outages: AtomicU64,
    pub(crate) recoveries: AtomicU64,
    pub(crate) publisher_connect_failures: AtomicU64,
    pub(crate) subscriber_connect_failures: AtomicU64,
    /// Set while messages are being dropped, so the warning is logged once per episode.
    dropping: AtomicBool,
}

impl Counters {
    pub(crate) fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    pub(crate) fn dropped_one(&self, capacity: usize) {
        Counters::add(&self.dropped, 1);
        if !self.dropping.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                capacity,
                "feathers-sync: the publish queue is full; dropping the oldest events \
                 (they reach this instance's clients, not other instances')"
            );
        }
    }

    /// Marks a connection (publisher or subscriber) as up or down, logging and
    /// counting the changes.
    pub(crate) fn set_connected(&self, which: &AtomicBool, role: &str, up: bool, detail: &str) {
        let was = which.swap(up, Ordering::Relaxed);
        match (was, up) {
            (true, false) => {
                Counters::add(&self.outages, 1);
                tracing::warn!(role, "feathers-sync: lost the broker connection: {detail}");
            }
            (false, true) => {
                self.dropping.store(false, Ordering::Relaxed);
                tracing::info!(role, "feathers-sync: connected to the broker");
            }
            _ => {}
        }
    }

    pub(crate) fn recovered(&self, role: &str) {
        Counters::add(&self.recoveries, 1);
        tracing::info!(
            role,
            dropped = self.dropped.load(Ordering::Relaxed),
            "feathers-sync: broker connection recovered"
        );
    }

    pub(crate) fn snapshot(&self, queued: usize) -> SyncStats {
        let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        SyncStats {
            published: get(&self.published),
            queued: queued as u64,
            dropped: get(&self.dropped),
            encode_errors: get(&self.encode_errors),
            received: get(&self.received),
            delivered: get(&self.delivered),
            own_skipped: get(&self.own_skipped),
            duplicates: get(&self.duplicates),
            missed: get(&self.missed),
            rejected: get(&self.rejected),
            publisher_connected: self.publisher_connected.load(Ordering::Relaxed),
            subscriber_connected: self.subscriber_connected.load(Ordering::Relaxed),
            outages: get(&self.outages),
            recoveries: get(&self.recoveries),
            publisher_connect_failures: get(&self.publisher_connect_failures),
            subscriber_connect_failures: get(&self.subscriber_connect_failures),
        }
    }
}

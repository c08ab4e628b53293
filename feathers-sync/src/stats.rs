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
    /// Messages seen twice (a batch sent again after its connection closed before
    /// Redis' reply came), skipped.
    pub duplicates: u64,
    /// Messages of other feathers-rs instances that never arrived, from gaps in their
    /// sequence numbers (published while this instance was not subscribed, or dropped).
    pub missed: u64,
    /// Messages that were not feathers-sync JSON, or named an unknown service or event.
    pub rejected: u64,
    /// Messages sent whose reply never came in time (Redis hung, or the network
    /// stopped carrying data). They are not sent again, so that no receiver gets them
    /// twice: Redis may have published them, or not.
    pub unconfirmed: u64,
    /// Whether the publishing connection works: it answered a `PING` when it
    /// connected and its last publish went through (false while Redis refuses).
    pub publisher_connected: bool,
    /// Whether the subscription really exists: Redis confirmed it, counts a
    /// subscriber on the key, and the subscription still answers its pings.
    pub subscriber_connected: bool,
    /// How often a connection to the broker was lost or could not be made after
    /// having worked (publisher and subscriber counted separately).
    pub outages: u64,
    /// How often a lost connection was made again.
    pub recoveries: u64,
    /// Failed attempts to connect the publishing connection (it did not open, or
    /// did not answer its first `PING` with `PONG`).
    pub publisher_connect_failures: u64,
    /// Publishes that failed: refused by Redis (each refused message is queued again),
    /// closed before the reply (queued again) or unanswered (see `unconfirmed`).
    pub publish_failures: u64,
    /// Failed attempts to subscribe: the connection did not open, Redis refused the
    /// `SUBSCRIBE` (`NOAUTH`, `NOPERM`, ...), or the subscription could not be seen.
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
    pub(crate) unconfirmed: AtomicU64,
    pub(crate) publisher_connected: AtomicBool,
    pub(crate) subscriber_connected: AtomicBool,
    pub(crate) outages: AtomicU64,
    pub(crate) recoveries: AtomicU64,
    pub(crate) publisher_connect_failures: AtomicU64,
    pub(crate) publish_failures: AtomicU64,
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

    /// A connection works again: the next time the queue overflows is a new
    /// episode, with its own warning.
    pub(crate) fn end_dropping_episode(&self) {
        self.dropping.store(false, Ordering::Relaxed);
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
            unconfirmed: get(&self.unconfirmed),
            publisher_connected: self.publisher_connected.load(Ordering::Relaxed),
            subscriber_connected: self.subscriber_connected.load(Ordering::Relaxed),
            outages: get(&self.outages),
            recoveries: get(&self.recoveries),
            publisher_connect_failures: get(&self.publisher_connect_failures),
            publish_failures: get(&self.publish_failures),
            subscriber_connect_failures: get(&self.subscriber_connect_failures),
        }
    }
}

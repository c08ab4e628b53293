//! The state shared by the event listener, the publisher and the subscriber.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use feathers_core::{App, ErrorKind, ServiceEvent};
use tokio::sync::watch;

use crate::message::{decode, encode};
use crate::outbox::Outbox;
use crate::secrets::SecretFields;
use crate::stats::{Counters, SyncStats};

/// How long opening a connection to Redis may take before it counts as a failure.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// One relay between an app and the broker.
pub(crate) struct Relay {
    pub(crate) instance: String,
    pub(crate) key: String,
    pub(crate) secrets: SecretFields,
    pub(crate) outbox: Outbox,
    pub(crate) counters: Counters,
    pub(crate) max_backoff: Duration,
    /// How often the subscription is checked with a ping.
    pub(crate) ping_interval: Duration,
    /// How long a connection may take to open.
    pub(crate) connect_timeout: Duration,
    /// How long a reply may take before the request counts as failed.
    pub(crate) response_timeout: Duration,
    /// The last sequence number given out; only changed with the outbox locked.
    seq: AtomicU64,
    pub(crate) stopped: AtomicBool,
    pub(crate) subscribed: watch::Sender<bool>,
}

impl Relay {
    pub(crate) fn new(
        key: String,
        secrets: SecretFields,
        queue_capacity: usize,
        max_backoff: Duration,
        ping_interval: Duration,
        response_timeout: Duration,
    ) -> Relay {
        Relay {
            instance: instance_id(),
            key,
            secrets,
            outbox: Outbox::new(queue_capacity),
            counters: Counters::default(),
            max_backoff,
            ping_interval: ping_interval.max(Duration::from_millis(10)),
            connect_timeout: CONNECT_TIMEOUT,
            response_timeout: response_timeout.max(Duration::from_millis(10)),
            seq: AtomicU64::new(0),
            stopped: AtomicBool::new(false),
            subscribed: watch::channel(false).0,
        }
    }

    /// Queues a local event for publishing (events from elsewhere are not sent back).
    pub(crate) fn enqueue(&self, event: &ServiceEvent) {
        if event.is_remote() || self.stopped.load(Ordering::Relaxed) {
            return;
        }
        let mut queue = self.outbox.lock();
        let seq = self.seq.load(Ordering::Relaxed) + 1;
        match encode(event, &self.instance, seq, &self.secrets) {
            Ok(message) => {
                self.seq.store(seq, Ordering::Relaxed);
                self.outbox.push_locked(&mut queue, message, &self.counters);
            }
            Err(err) => {
                Counters::add(&self.counters.encode_errors, 1);
                tracing::warn!(service = %event.path, event = %event.event,
                    "feathers-sync: an event could not be encoded and stays local: {err}");
            }
        }
    }

    /// Handles one message from the broker; `last_seen` holds each other feathers-rs
    /// instance's last sequence number.
    pub(crate) fn receive(&self, app: &App, payload: &[u8], last_seen: &mut HashMap<String, u64>) {
        Counters::add(&self.counters.received, 1);
        let decoded = match decode(payload, &self.secrets) {
            Ok(decoded) => decoded,
            Err(err) => {
                Counters::add(&self.counters.rejected, 1);
                tracing::warn!(
                    "feathers-sync: a message on '{}' is not feathers-sync JSON: {err}",
                    self.key
                );
                return;
            }
        };
        if let Some(origin) = &decoded.origin {
            if origin.instance == self.instance {
                Counters::add(&self.counters.own_skipped, 1);
                return;
            }
            match last_seen.get(&origin.instance) {
                Some(&last) if origin.seq <= last => {
                    Counters::add(&self.counters.duplicates, 1);
                    return;
                }
                Some(&last) => Counters::add(&self.counters.missed, origin.seq - last - 1),
                None => {}
            }
            last_seen.insert(origin.instance.clone(), origin.seq);
        }
        let (path, name) = (decoded.event.path.clone(), decoded.event.event.clone());
        match app.emit_remote_event(decoded.event) {
            Ok(()) => Counters::add(&self.counters.delivered, 1),
            Err(err) => {
                Counters::add(&self.counters.rejected, 1);
                if err.kind() == ErrorKind::NotFound {
                    tracing::debug!("feathers-sync: no service '{path}' here for '{name}'");
                } else {
                    tracing::warn!(
                        "feathers-sync: '{path} {name}' from the broker was refused: {err}"
                    );
                }
            }
        }
    }

    pub(crate) fn stats(&self) -> SyncStats {
        self.counters.snapshot(self.outbox.len())
    }
}

/// A random id for this instance, carried by every message it publishes.
fn instance_id() -> String {
    let mut bytes = [0u8; 12];
    if getrandom::fill(&mut bytes).is_err() {
        // Without OS randomness, the process id and the time still tell instances apart.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        return format!("{:x}-{nanos:x}", std::process::id());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

//! The bounded queue of encoded messages waiting to be published. Beyond its capacity
//! the oldest message is dropped and counted, so a long outage costs bounded memory.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};

use tokio::sync::Notify;

use crate::stats::Counters;

/// Messages in the order they were produced.
pub(crate) struct Outbox {
    queue: Mutex<VecDeque<Vec<u8>>>,
    capacity: usize,
    ready: Notify,
}

impl Outbox {
    pub(crate) fn new(capacity: usize) -> Outbox {
        Outbox {
            queue: Mutex::new(VecDeque::new()),
            capacity: capacity.max(1),
            ready: Notify::new(),
        }
    }

    /// The queue, locked. Producers hold it while they number and encode a message,
    /// so that queue order and sequence numbers agree.
    pub(crate) fn lock(&self) -> MutexGuard<'_, VecDeque<Vec<u8>>> {
        // A panic while holding the lock leaves a valid queue behind.
        self.queue
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Appends a message to a locked queue, dropping the oldest beyond capacity.
    pub(crate) fn push_locked(
        &self,
        queue: &mut VecDeque<Vec<u8>>,
        message: Vec<u8>,
        counters: &Counters,
    ) {
        queue.push_back(message);
        self.trim(queue, counters);
        self.ready.notify_one();
    }

    /// Puts back messages that could not be published, ahead of newer ones.
    pub(crate) fn requeue_front(&self, batch: Vec<Vec<u8>>, counters: &Counters) {
        let mut queue = self.lock();
        for message in batch.into_iter().rev() {
            queue.push_front(message);
        }
        self.trim(&mut queue, counters);
    }

    fn trim(&self, queue: &mut VecDeque<Vec<u8>>, counters: &Counters) {
        while queue.len() > self.capacity {
            queue.pop_front();
            counters.dropped_one(self.capacity);
        }
    }

    /// Waits for messages and takes up to `max` of them, oldest first.
    pub(crate) async fn take(&self, max: usize) -> Vec<Vec<u8>> {
        loop {
            let notified = self.ready.notified();
            {
                let mut queue = self.lock();
                if !queue.is_empty() {
                    let count = queue.len().min(max);
                    return queue.drain(..count).collect();
                }
            }
            notified.await;
        }
    }

    /// How many messages wait.
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }
}

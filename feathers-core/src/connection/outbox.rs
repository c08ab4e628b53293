//! A connection's outbound queue: bounded in frames and in bytes, single consumer, no
//! allocation while empty.
//!
//! A client that stops reading fills its queue; the next frame then closes the
//! connection with [`CloseReason::SlowConsumer`] instead of blocking the publisher or
//! growing without bound.

use parking_lot::Mutex;
use std::collections::VecDeque;

use tokio::sync::Notify;

use super::frame::Frame;

/// Why a connection was closed by the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CloseReason {
    /// Its outbound queue was full: the client did not read fast enough.
    SlowConsumer,
    /// The application asked for it.
    Server,
    /// The client disconnected or went away.
    Client,
    /// The client missed its heartbeat.
    Timeout,
    /// The client sent something the protocol does not allow.
    Protocol(String),
    /// The server is shutting down; the client should reconnect (to another instance).
    Shutdown,
}

impl CloseReason {
    /// The reason in words, for logs and close frames.
    pub fn as_str(&self) -> &str {
        match self {
            CloseReason::SlowConsumer => "slow consumer: outbound queue full",
            CloseReason::Server => "server close",
            CloseReason::Client => "client disconnected",
            CloseReason::Timeout => "heartbeat timeout",
            CloseReason::Protocol(why) => why,
            CloseReason::Shutdown => "server shutting down",
        }
    }
}

/// How much a connection's outbound queue may hold before the connection is cut off
/// as a slow consumer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueLimits {
    /// Frames waiting (at least one).
    pub frames: usize,
    /// Bytes waiting, as [`Frame::len`] counts them. A frame larger than this is still
    /// queued when the queue is empty, so one large answer always goes out.
    pub bytes: usize,
}

impl QueueLimits {
    /// The default byte bound: 8 MiB.
    pub const DEFAULT_BYTES: usize = 8 * 1024 * 1024;

    /// At most `frames` frames and [`QueueLimits::DEFAULT_BYTES`] bytes.
    pub fn frames(frames: usize) -> QueueLimits {
        QueueLimits {
            frames,
            bytes: QueueLimits::DEFAULT_BYTES,
        }
    }
}

struct State {
    frames: VecDeque<Frame>,
    /// The bytes of `frames`.
    bytes: usize,
    closed: Option<CloseReason>,
}

/// A connection's queue of frames to send: bounded, one writer task drains it.
pub struct Outbox {
    state: Mutex<State>,
    ready: Notify,
    /// Wakes everyone waiting for the close (the writer has `ready` to itself).
    closed: Notify,
    limits: QueueLimits,
}

impl Outbox {
    /// A queue holding at most `capacity` frames (at least one) and
    /// [`QueueLimits::DEFAULT_BYTES`].
    pub fn new(capacity: usize) -> Outbox {
        Outbox::with_limits(QueueLimits::frames(capacity))
    }

    /// A queue held to `limits`.
    pub fn with_limits(limits: QueueLimits) -> Outbox {
        Outbox {
            state: Mutex::new(State {
                frames: VecDeque::new(),
                bytes: 0,
                closed: None,
            }),
            ready: Notify::new(),
            closed: Notify::new(),
            limits: QueueLimits {
                frames: limits.frames.max(1),
                bytes: limits.bytes,
            },
        }
    }

    fn lock(&self) -> parking_lot::MutexGuard<'_, State> {
        self.state.lock()
    }

    /// Queues a frame. False when the connection is closed, or was just closed because
    /// its queue is full.
    pub fn push(&self, frame: Frame) -> bool {
        let mut state = self.lock();
        if state.closed.is_some() {
            return false;
        }
        let bytes = state.bytes.saturating_add(frame.len());
        let over_bytes = bytes > self.limits.bytes && !state.frames.is_empty();
        if state.frames.len() >= self.limits.frames || over_bytes {
            state.closed = Some(CloseReason::SlowConsumer);
            state.frames.clear();
            state.bytes = 0;
            drop(state);
            self.ready.notify_one();
            self.closed.notify_waiters();
            return false;
        }
        state.frames.push_back(frame);
        state.bytes = bytes;
        drop(state);
        self.ready.notify_one();
        true
    }

    /// Closes the queue; the writer sees the reason on its next drain.
    pub fn close(&self, reason: CloseReason) {
        let mut state = self.lock();
        if state.closed.is_none() {
            state.closed = Some(reason);
        }
        drop(state);
        self.ready.notify_one();
        self.closed.notify_waiters();
    }

    /// Waits until the queue is closed (at once when it already is).
    pub(crate) async fn closed(&self) {
        loop {
            let notified = self.closed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.is_closed() {
                return;
            }
            notified.await;
        }
    }

    /// True once closed, for whatever reason.
    pub fn is_closed(&self) -> bool {
        self.lock().closed.is_some()
    }

    /// Why it closed, once it has.
    pub fn close_reason(&self) -> Option<CloseReason> {
        self.lock().closed.clone()
    }

    /// Moves every waiting frame into `into`; returns the close reason once closed.
    pub fn drain(&self, into: &mut Vec<Frame>) -> Option<CloseReason> {
        let mut state = self.lock();
        state.bytes = 0;
        if state.frames.is_empty() {
            // Nothing queued: the queue keeps no buffer, `into` keeps its own.
        } else if into.is_empty() {
            // The frames leave with their buffer, without a copy; the queue takes
            // `into`'s buffer (none at all when the writer went idle since), so an idle
            // connection holds no queue memory.
            let empty = VecDeque::from(std::mem::take(into));
            *into = Vec::from(std::mem::replace(&mut state.frames, empty));
        } else {
            into.extend(state.frames.drain(..));
            // An idle connection holds no queue memory; the next frame allocates again.
            state.frames = VecDeque::new();
        }
        state.closed.clone()
    }

    /// Waits until a frame is queued or the queue closes. A frame queued before the
    /// wait starts is not missed.
    pub async fn ready(&self) {
        self.ready.notified().await;
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().frames.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Frame {
        Frame::Text(s.to_owned().into())
    }

    #[test]
    fn a_full_queue_closes_as_a_slow_consumer_and_drops_its_frames() {
        let outbox = Outbox::new(2);
        assert!(outbox.push(text("a")));
        assert!(outbox.push(text("b")));
        assert!(!outbox.push(text("c")));
        assert!(!outbox.push(text("d")), "closed stays closed");
        let mut frames = Vec::new();
        assert_eq!(outbox.drain(&mut frames), Some(CloseReason::SlowConsumer));
        assert!(frames.is_empty());
    }

    #[test]
    fn a_queue_over_its_byte_bound_closes_as_a_slow_consumer() {
        let outbox = Outbox::with_limits(QueueLimits {
            frames: 1024,
            bytes: 10,
        });
        assert!(
            outbox.push(text("12345678901234")),
            "one large frame goes alone"
        );
        assert!(!outbox.push(text("1")), "but nothing after it");
        let mut frames = Vec::new();
        assert_eq!(outbox.drain(&mut frames), Some(CloseReason::SlowConsumer));

        let outbox = Outbox::with_limits(QueueLimits {
            frames: 1024,
            bytes: 10,
        });
        assert!(outbox.push(text("12345")));
        assert!(outbox.push(text("12345")));
        let mut frames = Vec::new();
        assert_eq!(
            outbox.drain(&mut frames),
            None,
            "a drain empties the byte count"
        );
        assert!(outbox.push(text("1234567890")));
        assert!(!outbox.push(text("1")));
    }

    #[test]
    fn drain_takes_every_frame_in_order() {
        let outbox = Outbox::new(8);
        for s in ["1", "2", "3"] {
            assert!(outbox.push(text(s)));
        }
        let mut frames = Vec::new();
        assert_eq!(outbox.drain(&mut frames), None);
        let texts: Vec<String> = frames
            .iter()
            .filter_map(|f| match f {
                Frame::Text(t) => Some(t.as_str().to_owned()),
                _ => None,
            })
            .collect();
        assert_eq!(texts, ["1", "2", "3"]);
        assert_eq!(outbox.len(), 0);
    }

    #[tokio::test]
    async fn ready_does_not_miss_a_frame_pushed_before_waiting() {
        let outbox = Outbox::new(4);
        assert!(outbox.push(text("x")));
        tokio::time::timeout(std::time::Duration::from_secs(1), outbox.ready())
            .await
            .expect("a stored permit wakes the writer");
    }
}

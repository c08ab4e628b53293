//! The settings every real-time connection is held to, whichever transport carries it.

use feathers_core::connection::QueueLimits;

/// Limits of each real-time connection (Socket.io and Primus alike), with defaults
/// that hold against slow and flooding clients. Change them with
/// [`AppBuilder::configure`](feathers_core::AppBuilder::configure):
///
/// ```
/// use feathers_realtime::RealtimeSettings;
///
/// let app = feathers_core::App::builder()
///     .configure(|realtime: &mut RealtimeSettings| realtime.max_calls_in_flight = 16)
///     .build()
///     .unwrap();
/// assert_eq!(app.settings::<RealtimeSettings>().max_calls_in_flight, 16);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RealtimeSettings {
    /// Frames a connection may have waiting; a client that falls further behind is
    /// disconnected as a slow consumer. Default 1024.
    pub outbound_queue: usize,
    /// Bytes a connection may have waiting, beside
    /// [`outbound_queue`](RealtimeSettings::outbound_queue) frames: a client that stops
    /// reading large events is cut off before its queue holds gigabytes. Default 8 MiB.
    pub outbound_queue_bytes: usize,
    /// The largest message a client may send, in bytes. Default 1 MB (Socket.io's).
    pub max_message: usize,
    /// Method calls one connection may have running at once; more are refused with
    /// 429 TooManyRequests. Default 64.
    pub max_calls_in_flight: usize,
}

impl Default for RealtimeSettings {
    fn default() -> RealtimeSettings {
        RealtimeSettings {
            outbound_queue: 1024,
            outbound_queue_bytes: QueueLimits::DEFAULT_BYTES,
            max_message: 1_000_000,
            max_calls_in_flight: 64,
        }
    }
}

impl RealtimeSettings {
    /// The bounds of each connection's outbound queue.
    pub fn queue_limits(&self) -> QueueLimits {
        QueueLimits {
            frames: self.outbound_queue,
            bytes: self.outbound_queue_bytes,
        }
    }
}

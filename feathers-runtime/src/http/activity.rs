//! What one HTTP connection is doing, as its timeouts need to know it: waiting for a
//! request's headers, busy with requests, or idle between them.

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::Instant;

/// No request byte has come since the connection went idle.
const NONE: u64 = u64::MAX;

/// A connection's activity, shared by its reader and its requests.
#[derive(Debug)]
pub(crate) struct Activity {
    opened: Instant,
    /// Requests whose responses have not been written out yet.
    in_flight: AtomicUsize,
    /// When the last response was written out (milliseconds since opening).
    idle_since: AtomicU64,
    /// When the first byte of the next request came, or [`NONE`].
    head_started: AtomicU64,
}

/// What a connection's timeouts apply to at a given moment.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Reading a request's headers since this instant.
    ReadingHead(Instant),
    /// Requests in flight: no timeout of ours applies.
    Busy,
    /// Idle between requests since this instant.
    Idle(Instant),
}

impl Activity {
    /// A connection opened now, which waits for the headers of its first request.
    pub(crate) fn new() -> Arc<Activity> {
        Arc::new(Activity {
            opened: Instant::now(),
            in_flight: AtomicUsize::new(0),
            idle_since: AtomicU64::new(0),
            head_started: AtomicU64::new(0),
        })
    }

    fn now(&self) -> u64 {
        u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(NONE - 1)
    }

    fn at(&self, millis: u64) -> Instant {
        self.opened + Duration::from_millis(millis)
    }

    /// Where the connection stands.
    pub(crate) fn phase(&self) -> Phase {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            return Phase::Busy;
        }
        match self.head_started.load(Ordering::Acquire) {
            NONE => Phase::Idle(self.at(self.idle_since.load(Ordering::Acquire))),
            started => Phase::ReadingHead(self.at(started)),
        }
    }

    /// Bytes came from the client.
    fn read_some(&self) {
        if self.head_started.load(Ordering::Relaxed) == NONE {
            let _ = self.head_started.compare_exchange(
                NONE,
                self.now(),
                Ordering::AcqRel,
                Ordering::Relaxed,
            );
        }
    }

    /// A request's headers are in; it runs until the guard (held by its response
    /// body) is dropped.
    pub(crate) fn request_started(self: &Arc<Activity>) -> RequestGuard {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        RequestGuard(self.clone())
    }
}

/// Held by a request until its response has been written out (or abandoned).
#[derive(Debug)]
pub(crate) struct RequestGuard(Arc<Activity>);

impl Drop for RequestGuard {
    fn drop(&mut self) {
        let activity = &self.0;
        if activity.in_flight.fetch_sub(1, Ordering::AcqRel) == 1 {
            activity.idle_since.store(activity.now(), Ordering::Release);
            activity.head_started.store(NONE, Ordering::Release);
        }
    }
}

/// An accepted TCP stream that reports its reads to the connection's [`Activity`] and
/// holds the connection's place under the cap for as long as it lives, through an
/// upgrade to a websocket too.
#[derive(Debug)]
pub(crate) struct TrackedStream {
    stream: TcpStream,
    activity: Arc<Activity>,
    _place: OwnedSemaphorePermit,
}

impl TrackedStream {
    pub(crate) fn new(
        stream: TcpStream,
        activity: Arc<Activity>,
        place: OwnedSemaphorePermit,
    ) -> TrackedStream {
        TrackedStream {
            stream,
            activity,
            _place: place,
        }
    }
}

impl AsyncRead for TrackedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.read_some();
        }
        polled
    }
}

impl AsyncWrite for TrackedStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_connection_reads_its_first_head_and_goes_idle_after_its_last_response() {
        let activity = Activity::new();
        assert!(matches!(activity.phase(), Phase::ReadingHead(_)));
        let first = activity.request_started();
        let second = activity.request_started();
        assert_eq!(activity.phase(), Phase::Busy);
        drop(first);
        assert_eq!(
            activity.phase(),
            Phase::Busy,
            "one request is still in flight"
        );
        drop(second);
        assert!(matches!(activity.phase(), Phase::Idle(_)));
        activity.read_some();
        assert!(matches!(activity.phase(), Phase::ReadingHead(_)));
    }
}

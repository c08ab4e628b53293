//! What only transports and the real-time crate do with a connection: announce it to
//! the connection handlers, mark it ended (once, in the one place a connection ends),
//! count its calls and drain its outbox. An app never needs these; calling them would
//! break that one place, so they sit in this trait, out of the prelude, instead of on
//! [`Connection`] itself.

use std::sync::atomic::Ordering;

use super::handle::Connection;
use super::outbox::Outbox;

/// A connection's transport-side bookkeeping (see the module documentation).
pub trait TransportConnection {
    /// Marks the connection as announced to the connection handlers; true the first
    /// time only. For transports and the real-time crate.
    fn announce(&self) -> bool;

    /// True once [`TransportConnection::announce`] was called.
    fn was_announced(&self) -> bool;

    /// Marks the connection as ended; true the first time only, so it is ended once.
    fn mark_ended(&self) -> bool;

    /// Counts a call as running; false (and nothing counted) at `limit`.
    fn start_call(&self, limit: usize) -> bool;

    /// Counts a call started with [`TransportConnection::start_call`] as finished.
    fn end_call(&self);

    /// The queue the transport's writer drains.
    fn outbox(&self) -> &Outbox;
}

impl TransportConnection for Connection {
    fn announce(&self) -> bool {
        !self.inner.announced.swap(true, Ordering::AcqRel)
    }

    fn was_announced(&self) -> bool {
        self.inner.announced.load(Ordering::Acquire)
    }

    fn mark_ended(&self) -> bool {
        !self.inner.ended.swap(true, Ordering::AcqRel)
    }

    fn start_call(&self, limit: usize) -> bool {
        let running = &self.inner.calls_in_flight;
        if running.fetch_add(1, Ordering::AcqRel) >= limit {
            running.fetch_sub(1, Ordering::AcqRel);
            return false;
        }
        true
    }

    fn end_call(&self) {
        self.inner.calls_in_flight.fetch_sub(1, Ordering::AcqRel);
    }

    fn outbox(&self) -> &Outbox {
        &self.inner.outbox
    }
}

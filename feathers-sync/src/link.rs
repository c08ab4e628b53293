//! The health of one of the two connections (publisher or subscriber) as operators
//! see it: its flag in the numbers, and one log line when it goes down and one when it
//! truly works again, however many attempts lie between.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::stats::Counters;

/// Where a connection stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Not yet worked since the relay started.
    Starting,
    /// Working: a publish went through, or the subscription was confirmed.
    Up,
    /// Failing after having worked, or never having worked.
    Down { ever_up: bool },
}

/// One connection's health, reported through the relay's counters.
pub(crate) struct Link<'a> {
    role: &'static str,
    flag: &'a AtomicBool,
    counters: &'a Counters,
    state: State,
}

impl<'a> Link<'a> {
    pub(crate) fn new(role: &'static str, flag: &'a AtomicBool, counters: &'a Counters) -> Self {
        Link {
            role,
            flag,
            counters,
            state: State::Starting,
        }
    }

    /// The connection works (not merely opened: a command succeeded).
    pub(crate) fn up(&mut self) {
        let role = self.role;
        match self.state {
            State::Up => return,
            State::Starting | State::Down { ever_up: false } => {
                tracing::info!(role, "feathers-sync: connected to the broker");
            }
            State::Down { ever_up: true } => {
                Counters::add(&self.counters.recoveries, 1);
                tracing::info!(
                    role,
                    dropped = self.counters.dropped.load(Ordering::Relaxed),
                    "feathers-sync: broker connection recovered"
                );
            }
        }
        self.counters.end_dropping_episode();
        self.flag.store(true, Ordering::Relaxed);
        self.state = State::Up;
    }

    /// An attempt failed, or a working connection was lost; `detail` says how.
    pub(crate) fn down(&mut self, detail: &str) {
        let role = self.role;
        self.flag.store(false, Ordering::Relaxed);
        self.state = match self.state {
            State::Up => {
                Counters::add(&self.counters.outages, 1);
                tracing::warn!(role, "feathers-sync: lost the broker connection: {detail}; events queue locally and retries back off");
                State::Down { ever_up: true }
            }
            State::Starting => {
                tracing::warn!(role, "feathers-sync: cannot use Redis ({detail}); events queue locally and retries back off");
                State::Down { ever_up: false }
            }
            down @ State::Down { .. } => {
                tracing::debug!(role, "feathers-sync: broker still failing: {detail}");
                down
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_failures_count_one_outage_and_one_recovery() {
        let counters = Counters::default();
        let mut link = Link::new("publisher", &counters.publisher_connected, &counters);
        link.down("refused");
        link.up();
        assert_eq!(
            counters.snapshot(0).outages,
            0,
            "a first failure is no outage"
        );
        for _ in 0..5 {
            link.down("NOAUTH");
        }
        assert!(!counters.snapshot(0).publisher_connected);
        link.up();
        link.up();
        let stats = counters.snapshot(0);
        assert_eq!((stats.outages, stats.recoveries), (1, 1));
        assert!(stats.publisher_connected);
    }
}

//! Exponential back-off between reconnection attempts.

use std::time::Duration;

/// Doubles the wait after each failure, from `MIN` up to a maximum.
pub(crate) struct Backoff {
    next: Duration,
    max: Duration,
}

const MIN: Duration = Duration::from_millis(50);

impl Backoff {
    pub(crate) fn new(max: Duration) -> Backoff {
        Backoff {
            next: MIN.min(max),
            max,
        }
    }

    /// The wait before the next attempt.
    pub(crate) fn next_wait(&mut self) -> Duration {
        let wait = self.next;
        self.next = (self.next * 2).min(self.max);
        wait
    }

    /// Starts again from the shortest wait, after a success.
    pub(crate) fn reset(&mut self) {
        self.next = MIN.min(self.max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_maximum_and_reset() {
        let mut backoff = Backoff::new(Duration::from_millis(300));
        let waits: Vec<u128> = (0..5).map(|_| backoff.next_wait().as_millis()).collect();
        assert_eq!(waits, [50, 100, 200, 300, 300]);
        backoff.reset();
        assert_eq!(backoff.next_wait(), Duration::from_millis(50));
    }
}

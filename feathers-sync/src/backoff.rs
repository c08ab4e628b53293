//! Exponential back-off with jitter between attempts that failed. The wait starts
//! again from the shortest only after a real success (a confirmed subscription, a
//! publish Redis accepted), never because a connection merely opened.

use std::time::Duration;

/// Doubles the wait after each failure, from `MIN` up to a maximum; each wait is
/// drawn between half and all of that step, so instances that failed together do
/// not all retry at the same moment.
pub(crate) struct Backoff {
    step: Duration,
    max: Duration,
}

const MIN: Duration = Duration::from_millis(50);

impl Backoff {
    pub(crate) fn new(max: Duration) -> Backoff {
        Backoff {
            step: MIN.min(max),
            max,
        }
    }

    /// The wait before the next attempt (after a failure).
    pub(crate) fn next_wait(&mut self) -> Duration {
        let step = self.step;
        self.step = (self.step * 2).min(self.max);
        jittered(step)
    }

    /// Starts again from the shortest wait, after a success.
    pub(crate) fn reset(&mut self) {
        self.step = MIN.min(self.max);
    }
}

/// A wait between half of `step` and all of it.
fn jittered(step: Duration) -> Duration {
    let half = step / 2;
    let spread = u64::try_from(half.as_micros()).unwrap_or(u64::MAX);
    // Without OS randomness the wait is the whole step: still bounded, only in step.
    let extra = match getrandom::u64() {
        Ok(random) if spread > 0 => random % (spread + 1),
        _ => spread,
    };
    half + Duration::from_micros(extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_maximum_with_jitter_and_reset() {
        let mut backoff = Backoff::new(Duration::from_millis(300));
        for step in [50, 100, 200, 300, 300] {
            let wait = backoff.next_wait();
            let step = Duration::from_millis(step);
            assert!(step / 2 <= wait && wait <= step, "{wait:?} for {step:?}");
        }
        backoff.reset();
        assert!(backoff.next_wait() <= MIN);
    }

    #[test]
    fn waits_are_spread_rather_than_all_equal() {
        let waits: std::collections::HashSet<Duration> = (0..20)
            .map(|_| Backoff::new(Duration::from_secs(5)).next_wait())
            .collect();
        assert!(waits.len() > 1, "20 first waits were all {waits:?}");
    }
}

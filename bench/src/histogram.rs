//! A latency histogram shared by many tasks: log-linear buckets (64 per power of two,
//! so any percentile is within 1.6 % of the true value), recorded with one relaxed
//! atomic add, from 1 ns to about 18 minutes.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

const SUB_BUCKETS: u64 = 64;
const EXACT: u64 = 2 * SUB_BUCKETS;
/// Values up to 2^40 ns; larger ones land in the last bucket.
const MAX_SHIFT: u64 = 40 - 6;
const BUCKETS: usize = ((MAX_SHIFT + 1) * SUB_BUCKETS + SUB_BUCKETS) as usize;

pub struct Histogram {
    counts: Box<[AtomicU64]>,
}

impl Default for Histogram {
    fn default() -> Histogram {
        Histogram::new()
    }
}

impl std::fmt::Debug for Histogram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Histogram")
            .field("count", &self.count())
            .finish()
    }
}

fn index_of(nanos: u64) -> usize {
    if nanos < EXACT {
        return nanos as usize;
    }
    let top_bit = 63 - u64::from(nanos.leading_zeros());
    let shift = (top_bit - 6).min(MAX_SHIFT);
    let sub = (nanos >> shift).min(EXACT - 1);
    (shift * SUB_BUCKETS + sub) as usize
}

/// The smallest value of a bucket, and its width.
fn bucket_range(index: usize) -> (u64, u64) {
    let index = index as u64;
    if index < EXACT {
        return (index, 1);
    }
    let shift = index / SUB_BUCKETS - 1;
    let sub = index % SUB_BUCKETS + SUB_BUCKETS;
    (sub << shift, 1 << shift)
}

impl Histogram {
    pub fn new() -> Histogram {
        Histogram {
            counts: (0..BUCKETS).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    pub fn record(&self, latency: Duration) {
        self.record_nanos(u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX));
    }

    pub fn record_nanos(&self, nanos: u64) {
        self.counts[index_of(nanos)].fetch_add(1, Ordering::Relaxed);
    }

    /// Forgets every recorded value.
    pub fn clear(&self) {
        for count in self.counts.iter() {
            count.store(0, Ordering::Relaxed);
        }
    }

    pub fn count(&self) -> u64 {
        self.counts
            .iter()
            .map(|count| count.load(Ordering::Relaxed))
            .sum()
    }

    /// The latency below which `quantile` (0..=1) of the recorded values fall: the
    /// middle of the bucket holding that rank. Zero when nothing was recorded.
    pub fn quantile(&self, quantile: f64) -> Duration {
        let total = self.count();
        if total == 0 {
            return Duration::ZERO;
        }
        let rank = ((quantile.clamp(0.0, 1.0) * total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (index, count) in self.counts.iter().enumerate() {
            seen += count.load(Ordering::Relaxed);
            if seen >= rank {
                let (low, width) = bucket_range(index);
                return Duration::from_nanos(low + width / 2);
            }
        }
        Duration::MAX
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_cover_their_values() {
        for nanos in [
            0,
            1,
            127,
            128,
            129,
            1_000,
            65_537,
            1_000_000,
            123_456_789,
            1 << 39,
        ] {
            let (low, width) = bucket_range(index_of(nanos));
            assert!(
                low <= nanos && nanos < low + width,
                "{nanos} not in {low}+{width}"
            );
            assert!(
                width as f64 <= (nanos as f64 / 64.0).max(1.0),
                "{nanos}: width {width}"
            );
        }
        assert_eq!(index_of(u64::MAX), BUCKETS - 1);
    }

    #[test]
    fn quantiles_follow_the_recorded_values() {
        let histogram = Histogram::new();
        for micros in 1..=100u64 {
            histogram.record(Duration::from_micros(micros));
        }
        let close = |got: Duration, want_micros: f64| {
            let got = got.as_secs_f64() * 1e6;
            assert!(
                (got - want_micros).abs() <= want_micros * 0.02,
                "{got} vs {want_micros}"
            );
        };
        close(histogram.quantile(0.5), 50.0);
        close(histogram.quantile(0.99), 99.0);
        assert_eq!(histogram.count(), 100);
        assert_eq!(Histogram::new().quantile(0.5), Duration::ZERO);
    }
}

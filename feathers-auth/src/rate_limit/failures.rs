//! A per-key budget of failures that refills evenly (the generic cell rate algorithm,
//! with a look that does not spend).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::Pruning;

/// `per_minute` failures per key, then one more every `60 / per_minute` seconds.
pub(crate) struct FailureBudget<K> {
    interval: Duration,
    tolerance: Duration,
    /// Per key, the time at which its budget is full again.
    full_at: Mutex<HashMap<K, Instant>>,
    pruning: Pruning,
}

impl<K: Hash + Eq + Clone> FailureBudget<K> {
    /// `None` for a budget of zero (no limit).
    pub(crate) fn per_minute(per_minute: u32) -> Option<FailureBudget<K>> {
        let per_minute = per_minute.checked_sub(1).map(|less| (less, per_minute))?;
        let interval = Duration::from_secs(60) / per_minute.1;
        Some(FailureBudget {
            interval,
            tolerance: interval * per_minute.0,
            full_at: Mutex::new(HashMap::new()),
            pruning: Pruning::default(),
        })
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<K, Instant>> {
        self.full_at
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether `key` has no failure left.
    pub(crate) fn is_spent(&self, key: &K, now: Instant) -> bool {
        self.map()
            .get(key)
            .is_some_and(|full_at| full_at.saturating_duration_since(now) > self.tolerance)
    }

    /// Spends one failure of `key`.
    pub(crate) fn spend(&self, key: K, now: Instant) {
        let mut map = self.map();
        if self.pruning.due(map.len()) {
            map.retain(|_, full_at| *full_at > now);
        }
        let full_at = map.entry(key).or_insert(now);
        *full_at = (*full_at).max(now) + self.interval;
    }

    /// Gives one failure of `key` back (an attempt spent ahead turned out a success).
    pub(crate) fn refund(&self, key: &K) {
        if let Some(full_at) = self.map().get_mut(key) {
            *full_at = full_at.checked_sub(self.interval).unwrap_or(*full_at);
        }
    }

    /// Forgets every failure of `key`.
    pub(crate) fn clear(&self, key: &K) {
        self.map().remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_of_n_allows_n_then_one_per_interval() {
        let budget = FailureBudget::per_minute(3).expect("a budget");
        let start = Instant::now();
        for _ in 0..3 {
            assert!(!budget.is_spent(&"k", start));
            budget.spend("k", start);
        }
        assert!(budget.is_spent(&"k", start));
        assert!(!budget.is_spent(&"other", start));
        assert!(!budget.is_spent(&"k", start + Duration::from_secs(20)));
        budget.refund(&"k");
        assert!(!budget.is_spent(&"k", start));
        budget.spend("k", start);
        budget.clear(&"k");
        assert!(!budget.is_spent(&"k", start));
        assert!(FailureBudget::<&str>::per_minute(0).is_none());
    }
}

//! The addresses each account has logged in from lately.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::Pruning;

/// How long a successful login makes an address known.
const REMEMBERED_FOR: Duration = Duration::from_secs(30 * 24 * 60 * 60);
/// Addresses remembered per account; the oldest goes first.
const PER_ACCOUNT: usize = 8;

/// Per username, the addresses it logged in from, with the time of the last success.
#[derive(Default)]
pub(crate) struct KnownAddresses {
    accounts: Mutex<HashMap<String, Vec<(IpAddr, Instant)>>>,
    pruning: Pruning,
}

impl KnownAddresses {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<(IpAddr, Instant)>>> {
        self.accounts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether `username` logged in from `address` within the last 30 days.
    pub(crate) fn contains(&self, username: &str, address: IpAddr, now: Instant) -> bool {
        self.map().get(username).is_some_and(|known| {
            known
                .iter()
                .any(|(seen, at)| *seen == address && now.duration_since(*at) < REMEMBERED_FOR)
        })
    }

    /// Remembers a successful login of `username` from `address`.
    pub(crate) fn remember(&self, username: &str, address: IpAddr, now: Instant) {
        let mut map = self.map();
        if self.pruning.due(map.len()) {
            map.retain(|_, known| {
                known.retain(|(_, at)| now.duration_since(*at) < REMEMBERED_FOR);
                !known.is_empty()
            });
        }
        let known = map.entry(username.to_owned()).or_default();
        known.retain(|(seen, _)| *seen != address);
        if known.len() >= PER_ACCOUNT {
            known.remove(0);
        }
        known.push((address, now));
    }
}

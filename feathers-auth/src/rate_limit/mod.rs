//! Limits on local logins (per client address, per address and username, per
//! username) and on sign-ups (per client address); the policy is documented on
//! [`RateLimitOptions`](crate::RateLimitOptions).

mod failures;
mod known_addresses;
mod login;
mod sign_up;

use std::net::IpAddr;

use feathers_core::Params;

pub(crate) use login::LoginLimits;
pub(crate) use sign_up::SignUpLimit;

/// Keys kept before stale ones are dropped.
const PRUNE_ABOVE: usize = 10_000;
/// Above [`PRUNE_ABOVE`] keys, one call in this many drops the stale ones, so the
/// scan costs each call a constant amount however many keys are live.
const PRUNE_EVERY: usize = 256;

/// Says when a map of keys is due for dropping its stale ones.
#[derive(Debug, Default)]
pub(crate) struct Pruning {
    calls: std::sync::atomic::AtomicUsize,
}

impl Pruning {
    /// Whether a map of `len` keys should be pruned on this call.
    pub(crate) fn due(&self, len: usize) -> bool {
        len > PRUNE_ABOVE
            && self
                .calls
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                % PRUNE_EVERY
                == 0
    }
}

/// The client's address: `X-Forwarded-For`'s last entry when trusted, else the peer
/// address the transport recorded.
pub(crate) fn client_address(params: &Params, trust_forwarded_for: bool) -> Option<IpAddr> {
    if trust_forwarded_for {
        // Only the last entry, the one our proxy added: earlier ones are the client's
        // to make up.
        let forwarded = params
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .next_back()
            .and_then(|entry| entry.trim().parse::<IpAddr>().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    params
        .extra
        .get("remoteAddress")
        .and_then(|value| value.as_str())
        .and_then(|text| text.parse().ok())
        .or_else(|| {
            params
                .connection
                .as_ref()
                .and_then(|connection| connection.get("remoteAddress"))
                .and_then(|value| value.as_str().and_then(|text| text.parse().ok()))
        })
}

#[cfg(test)]
pub(crate) fn from(address: &str) -> Params {
    let mut params = Params::default();
    params
        .extra
        .insert("remoteAddress".into(), serde_json::json!(address));
    params
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_maps_are_pruned_once_in_a_while_small_ones_never() {
        let pruning = Pruning::default();
        assert!(!pruning.due(PRUNE_ABOVE));
        let due = (0..PRUNE_EVERY * 4)
            .filter(|_| pruning.due(PRUNE_ABOVE + 1))
            .count();
        assert_eq!(due, 4);
    }

    #[test]
    fn forwarded_for_counts_only_when_trusted() {
        let mut params = from("127.0.0.1");
        std::sync::Arc::make_mut(&mut params.headers).insert(
            "x-forwarded-for",
            "1.1.1.1, 2.2.2.2".parse().expect("this must succeed"),
        );
        assert_eq!(client_address(&params, false), "127.0.0.1".parse().ok());
        assert_eq!(client_address(&params, true), "2.2.2.2".parse().ok());
    }
}

//! Limits on local login attempts, per client address and per username.

use std::net::IpAddr;
use std::num::NonZeroU32;

use feathers_core::{Error, Params, Result};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::RateLimitOptions;

/// Keys kept before stale ones are dropped.
const PRUNE_ABOVE: usize = 10_000;

/// The login limiters of an app.
pub(crate) struct LoginLimits {
    options: RateLimitOptions,
    per_address: Option<DefaultKeyedRateLimiter<IpAddr>>,
    per_username: Option<DefaultKeyedRateLimiter<String>>,
}

fn limiter<K: std::hash::Hash + Eq + Clone>(per_minute: u32) -> Option<DefaultKeyedRateLimiter<K>> {
    NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n)))
}

impl LoginLimits {
    pub(crate) fn new(options: &RateLimitOptions) -> LoginLimits {
        let enabled = options.enabled;
        LoginLimits {
            options: options.clone(),
            per_address: enabled
                .then(|| limiter(options.per_address_per_minute))
                .flatten(),
            per_username: enabled
                .then(|| limiter(options.per_username_per_minute))
                .flatten(),
        }
    }

    /// Counts one login attempt for `username` from the call's client; 429
    /// TooManyRequests once either is over its limit.
    pub(crate) fn check(&self, params: &Params, username: &str) -> Result<()> {
        if let (Some(limiter), Some(address)) = (&self.per_address, self.client_address(params)) {
            prune(limiter);
            if limiter.check_key(&address).is_err() {
                return Err(too_many());
            }
        }
        if let Some(limiter) = &self.per_username {
            prune(limiter);
            if limiter.check_key(&username.to_lowercase()).is_err() {
                return Err(too_many());
            }
        }
        Ok(())
    }

    /// The client's address: `X-Forwarded-For`'s last entry when trusted, else the
    /// peer address the transport recorded.
    fn client_address(&self, params: &Params) -> Option<IpAddr> {
        if self.options.trust_forwarded_for {
            // Only the last entry, the one our proxy added: earlier ones are the
            // client's to make up.
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
}

fn prune<K: std::hash::Hash + Eq + Clone>(limiter: &DefaultKeyedRateLimiter<K>) {
    if limiter.len() > PRUNE_ABOVE {
        limiter.retain_recent();
    }
}

fn too_many() -> Error {
    Error::too_many_requests("Too many login attempts, try again later")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn from(address: &str) -> Params {
        let mut params = Params::default();
        params.extra.insert("remoteAddress".into(), json!(address));
        params
    }

    #[test]
    fn each_username_and_address_has_its_own_budget() {
        let limits = LoginLimits::new(&RateLimitOptions {
            per_address_per_minute: 5,
            per_username_per_minute: 3,
            ..RateLimitOptions::default()
        });
        for _ in 0..3 {
            limits
                .check(&from("10.0.0.1"), "a@b.c")
                .expect("this must succeed");
        }
        let err = limits
            .check(&from("10.0.0.2"), "A@b.c")
            .expect_err("this must fail");
        assert_eq!(err.code(), 429);
        limits
            .check(&from("10.0.0.1"), "x@b.c")
            .expect("this must succeed");
        limits
            .check(&from("10.0.0.1"), "y@b.c")
            .expect("this must succeed");
        assert_eq!(
            limits
                .check(&from("10.0.0.1"), "z@b.c")
                .expect_err("this must fail")
                .code(),
            429
        );
        limits
            .check(&from("10.0.0.3"), "z@b.c")
            .expect("this must succeed");
    }

    #[test]
    fn forwarded_for_counts_only_when_trusted() {
        let options = RateLimitOptions {
            per_address_per_minute: 1,
            per_username_per_minute: 100,
            ..RateLimitOptions::default()
        };
        let mut params = from("127.0.0.1");
        std::sync::Arc::make_mut(&mut params.headers).insert(
            "x-forwarded-for",
            "1.1.1.1, 2.2.2.2".parse().expect("this must succeed"),
        );
        let untrusted = LoginLimits::new(&options);
        assert_eq!(untrusted.client_address(&params), "127.0.0.1".parse().ok());
        let trusted = LoginLimits::new(&RateLimitOptions {
            trust_forwarded_for: true,
            ..options
        });
        assert_eq!(trusted.client_address(&params), "2.2.2.2".parse().ok());
    }

    #[test]
    fn off_means_off() {
        let limits = LoginLimits::new(&RateLimitOptions {
            enabled: false,
            per_address_per_minute: 1,
            per_username_per_minute: 1,
            ..RateLimitOptions::default()
        });
        for _ in 0..10 {
            limits
                .check(&from("10.0.0.1"), "a")
                .expect("this must succeed");
        }
    }
}

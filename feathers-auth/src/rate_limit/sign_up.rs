//! The sign-up limit: external creates on the users service, per client address.

use std::net::IpAddr;
use std::num::NonZeroU32;

use feathers_core::{Error, Params, Result};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::{client_address, Pruning};
use crate::config::RateLimitOptions;

/// Sign-ups per client address per hour.
pub(crate) struct SignUpLimit {
    per_address: Option<DefaultKeyedRateLimiter<IpAddr>>,
    trust_forwarded_for: bool,
    pruning: Pruning,
}

impl SignUpLimit {
    pub(crate) fn new(options: &RateLimitOptions) -> SignUpLimit {
        let per_hour = NonZeroU32::new(options.sign_ups_per_address_per_hour);
        SignUpLimit {
            per_address: options
                .enabled
                .then_some(per_hour)
                .flatten()
                .map(|n| RateLimiter::keyed(Quota::per_hour(n))),
            trust_forwarded_for: options.trust_forwarded_for,
            pruning: Pruning::default(),
        }
    }

    /// Counts one sign-up from the call's client; 429 TooManyRequests over the
    /// limit. Calls without a client address (internal ones) are not counted.
    pub(crate) fn check(&self, params: &Params) -> Result<()> {
        let (Some(limiter), Some(address)) = (
            &self.per_address,
            client_address(params, self.trust_forwarded_for),
        ) else {
            return Ok(());
        };
        if self.pruning.due(limiter.len()) {
            limiter.retain_recent();
        }
        limiter.check_key(&address).map_err(|_| {
            crate::metrics::rate_limited("sign_up_address");
            Error::too_many_requests("Too many sign-ups from this address, try again later")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::from;
    use super::*;

    #[test]
    fn each_address_has_its_sign_ups_and_zero_is_off() {
        let limit = SignUpLimit::new(&RateLimitOptions {
            sign_ups_per_address_per_hour: 2,
            ..RateLimitOptions::default()
        });
        for _ in 0..2 {
            limit.check(&from("10.0.0.1")).expect("within the limit");
        }
        let err = limit.check(&from("10.0.0.1")).expect_err("over the limit");
        assert_eq!(err.code(), 429);
        limit.check(&from("10.0.0.2")).expect("another address");
        limit
            .check(&Params::default())
            .expect("no address: internal");
        let off = SignUpLimit::new(&RateLimitOptions {
            sign_ups_per_address_per_hour: 0,
            ..RateLimitOptions::default()
        });
        for _ in 0..5 {
            off.check(&from("10.0.0.1")).expect("off");
        }
    }
}

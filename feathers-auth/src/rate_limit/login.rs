//! The local login limits: every attempt per address, failures per address and
//! username, failures per username from addresses it has not logged in from.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Instant;

use feathers_core::{Error, Params, Result};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::failures::FailureBudget;
use super::known_addresses::KnownAddresses;
use super::{client_address, Pruning};
use crate::config::RateLimitOptions;

/// The login limiters of an app.
pub(crate) struct LoginLimits {
    enabled: bool,
    trust_forwarded_for: bool,
    per_address: Option<DefaultKeyedRateLimiter<IpAddr>>,
    per_address_and_username: Option<FailureBudget<(IpAddr, String)>>,
    per_username: Option<FailureBudget<String>>,
    known: KnownAddresses,
    pruning: Pruning,
}

/// One admitted login attempt, counted as a failure until [`LoginLimits::succeeded`]
/// says otherwise.
#[derive(Debug)]
pub(crate) struct Attempt {
    address: Option<IpAddr>,
    username: String,
    /// Whether a failure was spent from the username's budget.
    spent_username: bool,
}

impl LoginLimits {
    pub(crate) fn new(options: &RateLimitOptions) -> LoginLimits {
        let enabled = options.enabled;
        LoginLimits {
            enabled,
            trust_forwarded_for: options.trust_forwarded_for,
            per_address: enabled
                .then(|| NonZeroU32::new(options.per_address_per_minute))
                .flatten()
                .map(|n| RateLimiter::keyed(Quota::per_minute(n))),
            per_address_and_username: enabled
                .then(|| {
                    FailureBudget::per_minute(options.failures_per_address_and_username_per_minute)
                })
                .flatten(),
            per_username: enabled
                .then(|| FailureBudget::per_minute(options.failures_per_username_per_minute))
                .flatten(),
            known: KnownAddresses::default(),
            pruning: Pruning::default(),
        }
    }

    /// Admits one login attempt for `username` (already normalised) from the call's
    /// client, or refuses it with 429 TooManyRequests. An admitted attempt is counted
    /// as a failure at once (so that parallel guesses cannot overrun the budget) and
    /// given back by [`LoginLimits::succeeded`].
    pub(crate) fn check(&self, params: &Params, username: &str) -> Result<Attempt> {
        let address = client_address(params, self.trust_forwarded_for);
        let mut attempt = Attempt {
            address,
            username: username.to_owned(),
            spent_username: false,
        };
        if !self.enabled {
            return Ok(attempt);
        }
        let now = Instant::now();
        if let (Some(limiter), Some(address)) = (&self.per_address, address) {
            if self.pruning.due(limiter.len()) {
                limiter.retain_recent();
            }
            if limiter.check_key(&address).is_err() {
                return Err(too_many("login_address"));
            }
        }
        let pair = address.map(|address| (address, attempt.username.clone()));
        if let (Some(budget), Some(pair)) = (&self.per_address_and_username, &pair) {
            if budget.is_spent(pair, now) {
                return Err(too_many("login_address_username"));
            }
        }
        let known = address.is_some_and(|address| self.known.contains(username, address, now));
        if let (Some(budget), false) = (&self.per_username, known) {
            if budget.is_spent(&attempt.username, now) {
                return Err(too_many("login_username"));
            }
            budget.spend(attempt.username.clone(), now);
            attempt.spent_username = true;
        }
        if let (Some(budget), Some(pair)) = (&self.per_address_and_username, pair) {
            budget.spend(pair, now);
        }
        Ok(attempt)
    }

    /// The attempt succeeded: its address's failures for the account are forgotten,
    /// the failure spent from the account's budget is given back, and the address
    /// becomes one the account is known to log in from.
    pub(crate) fn succeeded(&self, attempt: Attempt) {
        if !self.enabled {
            return;
        }
        if let Some(address) = attempt.address {
            if let Some(budget) = &self.per_address_and_username {
                budget.clear(&(address, attempt.username.clone()));
            }
            self.known
                .remember(&attempt.username, address, Instant::now());
        }
        if let (Some(budget), true) = (&self.per_username, attempt.spent_username) {
            budget.refund(&attempt.username);
        }
    }
}

fn too_many(limit: &'static str) -> Error {
    crate::metrics::rate_limited(limit);
    Error::too_many_requests("Too many login attempts, try again later")
}

#[cfg(test)]
mod tests {
    use super::super::from;
    use super::*;

    fn limits(per_pair: u32, per_username: u32) -> LoginLimits {
        LoginLimits::new(&RateLimitOptions {
            per_address_per_minute: 1000,
            failures_per_address_and_username_per_minute: per_pair,
            failures_per_username_per_minute: per_username,
            ..RateLimitOptions::default()
        })
    }

    #[test]
    fn an_address_guessing_one_account_is_stopped_for_that_account_only() {
        let limits = limits(3, 100);
        for _ in 0..3 {
            limits.check(&from("10.0.0.1"), "a").expect("within");
        }
        let err = limits.check(&from("10.0.0.1"), "a").expect_err("over");
        assert_eq!(err.code(), 429);
        limits
            .check(&from("10.0.0.1"), "b")
            .expect("another account");
        limits
            .check(&from("10.0.0.2"), "a")
            .expect("another address");
    }

    #[test]
    fn successes_do_not_count_and_clear_the_address_failures() {
        let limits = limits(3, 100);
        for _ in 0..10 {
            let attempt = limits.check(&from("10.0.0.1"), "a").expect("within");
            limits.succeeded(attempt);
        }
        for _ in 0..2 {
            limits.check(&from("10.0.0.1"), "a").expect("within");
        }
        let attempt = limits.check(&from("10.0.0.1"), "a").expect("within");
        limits.succeeded(attempt);
        for _ in 0..3 {
            limits.check(&from("10.0.0.1"), "a").expect("cleared");
        }
    }

    #[test]
    fn many_addresses_share_the_account_budget_but_known_addresses_are_exempt() {
        let limits = limits(10, 4);
        let owner = limits.check(&from("10.9.9.9"), "a").expect("first login");
        limits.succeeded(owner);
        for n in 1..=4 {
            limits
                .check(&from(&format!("10.0.0.{n}")), "a")
                .expect("within the account's budget");
        }
        let err = limits
            .check(&from("10.0.0.5"), "a")
            .expect_err("the account's budget is spent");
        assert_eq!(err.code(), 429);
        limits
            .check(&from("10.9.9.9"), "a")
            .expect("the owner's known address still logs in");
    }

    #[test]
    fn off_means_off() {
        let limits = LoginLimits::new(&RateLimitOptions {
            enabled: false,
            per_address_per_minute: 1,
            failures_per_address_and_username_per_minute: 1,
            failures_per_username_per_minute: 1,
            ..RateLimitOptions::default()
        });
        for _ in 0..10 {
            limits.check(&from("10.0.0.1"), "a").expect("off");
        }
    }
}

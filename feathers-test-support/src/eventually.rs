//! Waiting, bounded, for something another task makes true.

use std::future::Future;
use std::time::Duration;

/// How often [`eventually`] and its variants check their condition.
pub const POLL_INTERVAL: Duration = Duration::from_millis(5);

/// Waits until `condition` holds, checking it every [`POLL_INTERVAL`], for up to
/// `limit`; false when it never did.
///
/// The condition is checked at once, so a condition that already holds costs no wait.
/// Under tokio's paused clock the wait advances virtual time only.
pub async fn eventually(limit: Duration, mut condition: impl FnMut() -> bool) -> bool {
    tokio::time::timeout(limit, async {
        while !condition() {
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    })
    .await
    .is_ok()
}

/// [`eventually`] for a condition that must itself be awaited (a question over the
/// network, say); a check still running when `limit` passes is dropped.
pub async fn eventually_async<F>(limit: Duration, mut condition: impl FnMut() -> F) -> bool
where
    F: Future<Output = bool>,
{
    tokio::time::timeout(limit, async {
        while !condition().await {
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    })
    .await
    .is_ok()
}

/// [`eventually`], failing the test when `condition` never held: the panic says
/// "waited {limit} for {what}".
pub async fn assert_eventually(limit: Duration, what: &str, condition: impl FnMut() -> bool) {
    assert!(
        eventually(limit, condition).await,
        "waited {limit:?} for {what}"
    );
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::time::Duration;

    use super::{assert_eventually, eventually, eventually_async, POLL_INTERVAL};

    #[tokio::test(start_paused = true)]
    async fn a_condition_that_holds_at_once_costs_no_wait() {
        let start = tokio::time::Instant::now();
        assert!(eventually(Duration::from_secs(1), || true).await);
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn the_condition_is_checked_until_it_holds() {
        let checks = Cell::new(0);
        let start = tokio::time::Instant::now();
        let held = eventually(Duration::from_secs(1), || {
            checks.set(checks.get() + 1);
            checks.get() == 4
        })
        .await;
        assert!(held);
        assert_eq!(checks.get(), 4);
        assert_eq!(start.elapsed(), 3 * POLL_INTERVAL);
    }

    #[tokio::test(start_paused = true)]
    async fn a_condition_that_never_holds_is_false_after_the_limit() {
        let start = tokio::time::Instant::now();
        assert!(!eventually(Duration::from_millis(200), || false).await);
        assert_eq!(start.elapsed(), Duration::from_millis(200));
    }

    #[tokio::test(start_paused = true)]
    async fn an_awaited_condition_is_checked_until_it_holds() {
        let checks = Cell::new(0);
        let held = eventually_async(Duration::from_secs(1), || {
            checks.set(checks.get() + 1);
            let now = checks.get();
            async move {
                tokio::task::yield_now().await;
                now == 3
            }
        })
        .await;
        assert!(held);
        assert_eq!(checks.get(), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn an_awaited_check_that_hangs_ends_at_the_limit() {
        let held = eventually_async(Duration::from_millis(50), std::future::pending::<bool>).await;
        assert!(!held);
    }

    #[tokio::test(start_paused = true)]
    #[should_panic(expected = "waited 50ms for the door to open")]
    async fn assert_eventually_names_what_never_happened() {
        assert_eventually(Duration::from_millis(50), "the door to open", || false).await;
    }

    #[tokio::test(start_paused = true)]
    async fn assert_eventually_returns_once_the_condition_holds() {
        let checks = Cell::new(0);
        assert_eventually(Duration::from_secs(1), "a second check", || {
            checks.set(checks.get() + 1);
            checks.get() == 2
        })
        .await;
        assert_eq!(checks.get(), 2);
    }
}

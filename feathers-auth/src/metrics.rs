//! What authentication reports through the [`metrics`] facade (no-ops without a
//! recorder; the Prometheus endpoint of `feathers-runtime` is one).

/// Counter: password hashes and checks run on the hashing threads.
pub const PASSWORD_JOBS: &str = "feathers_auth_password_jobs_total";
/// Counter: password hashes and checks refused with 503 because the queue was full.
pub const PASSWORD_JOBS_REFUSED: &str = "feathers_auth_password_jobs_refused_total";
/// Gauge: password hashes and checks running now.
pub const PASSWORD_JOBS_RUNNING: &str = "feathers_auth_password_jobs_running";
/// Counter: calls refused with 429 by a limit, by `limit` (`login_address`,
/// `login_address_username`, `login_username`, `sign_up_address`).
pub const RATE_LIMITED: &str = "feathers_auth_rate_limited_total";

/// A password job started (`running` now run).
pub(crate) fn password_job_started(running: usize) {
    metrics::counter!(PASSWORD_JOBS).increment(1);
    metrics::gauge!(PASSWORD_JOBS_RUNNING).set(running as f64);
}

/// A password job ended (`running` still run).
pub(crate) fn password_job_ended(running: usize) {
    metrics::gauge!(PASSWORD_JOBS_RUNNING).set(running as f64);
}

/// A password job was refused: the queue was full.
pub(crate) fn password_job_refused() {
    metrics::counter!(PASSWORD_JOBS_REFUSED).increment(1);
}

/// A call was refused by `limit`.
pub(crate) fn rate_limited(limit: &'static str) {
    metrics::counter!(RATE_LIMITED, "limit" => limit).increment(1);
}

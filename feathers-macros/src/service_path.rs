//! The service path literal: `"messages"`, `"users/:user_id/messages"`.
//!
//! Checked with the runtime's own rules (the `feathers-rules` crate), at compile time,
//! so that a typo is an error at the literal rather than at startup.

/// Checks a service path; the error says what is wrong with it.
pub(crate) fn check(path: &str) -> Result<(), String> {
    feathers_rules::parse_service_path(path)
        .map(|_| ())
        .map_err(|err| format!("invalid service path `{path}`: {err}"))
}

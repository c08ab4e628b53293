//! JSON written straight into a frame's text, between the fixed text a transport wraps
//! it in: one buffer, no intermediate `Value` and no formatting machinery.

use serde::Serialize;

/// `prefix`, then `value` as JSON, then `suffix`. `None` when `value` cannot be
/// serialised (a map with non-string keys in a user type, say); the reason is logged.
pub(crate) fn framed(prefix: &[u8], value: &impl Serialize, suffix: &[u8]) -> Option<String> {
    let mut bytes = Vec::with_capacity(prefix.len() + 128 + suffix.len());
    bytes.extend_from_slice(prefix);
    if let Err(err) = serde_json::to_writer(&mut bytes, value) {
        tracing::error!(error = %err, "a frame's JSON could not be serialised");
        return None;
    }
    bytes.extend_from_slice(suffix);
    // The prefix and suffix are the transports' own ASCII, and serde_json writes UTF-8,
    // so this check always passes; it is cheap next to the serialisation.
    String::from_utf8(bytes).ok()
}

/// The JSON of a generic 500, for when an answer cannot be serialised.
pub(crate) const INTERNAL_ERROR: &str = r#"{"name":"GeneralError","message":"Internal server error","code":500,"className":"general-error"}"#;

//! Acknowledgements written straight into a frame's text, between the fixed text a
//! transport wraps them in: one buffer, no intermediate `Value` and no formatting
//! machinery.

use serde::Serialize;
use serde_json::Value;

use feathers_core::Error;

/// The JSON of a generic 500, for when an answer cannot be serialised.
const INTERNAL_ERROR: &str = r#"{"name":"GeneralError","message":"Internal server error","code":500,"className":"general-error"}"#;

/// The pieces of `prefix`, then an ack's arguments (`[null,result]` or `[error]`), then
/// `suffix`. A result that cannot be serialised (a map with non-string keys in a user
/// type, say) is answered as a generic 500; the reason is logged.
pub(crate) fn ack(prefix: &[&str], outcome: &Result<Value, Error>, suffix: &str) -> String {
    let written = match outcome {
        Ok(result) => framed(prefix, "[null,", result, suffix),
        Err(err) => framed(prefix, "[", err, suffix),
    };
    written.unwrap_or_else(|| {
        let mut text = prefix.concat();
        for part in ["[", INTERNAL_ERROR, "]", suffix] {
            text.push_str(part);
        }
        text
    })
}

fn framed(prefix: &[&str], open: &str, value: &impl Serialize, suffix: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(128);
    for part in prefix.iter().chain([&open]) {
        bytes.extend_from_slice(part.as_bytes());
    }
    if let Err(err) = serde_json::to_writer(&mut bytes, value) {
        tracing::error!(error = %err, "an acknowledgement could not be serialised");
        return None;
    }
    bytes.push(b']');
    bytes.extend_from_slice(suffix.as_bytes());
    // Every piece is a `str` and serde_json writes UTF-8, so this check always passes;
    // it is cheap next to the serialisation.
    String::from_utf8(bytes).ok()
}

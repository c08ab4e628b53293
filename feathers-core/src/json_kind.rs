//! Names of JSON value kinds, for error messages ("expected an object, found a number").

use serde_json::Value;

/// "null", "a boolean", "a number", "a string", "an array" or "an object".
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

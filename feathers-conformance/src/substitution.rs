//! The rewrites a case goes through before it runs: fixture names into the ids the
//! adapter assigned, and a JSON query into what a URL query string delivers.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// Replaces `{"$id": "Doug"}` with the id of the fixture named Doug.
pub(crate) fn resolve_ids(
    value: &Value,
    ids: &HashMap<String, Value>,
) -> std::result::Result<Value, String> {
    Ok(match value {
        Value::Object(map)
            if map.len() == 1 && (map.contains_key("$id") || map.contains_key("$id_text")) =>
        {
            let (key, name) = map
                .iter()
                .next()
                .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default()))
                .unwrap_or_default();
            let id = ids
                .get(name)
                .cloned()
                .ok_or_else(|| format!("no fixture named {name:?}"))?;
            match (key, id) {
                ("$id_text", Value::Number(n)) => Value::String(n.to_string()),
                (_, id) => id,
            }
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), resolve_ids(v, ids)?)))
                .collect::<std::result::Result<Map<_, _>, String>>()?,
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| resolve_ids(v, ids))
                .collect::<std::result::Result<_, _>>()?,
        ),
        other => other.clone(),
    })
}

/// The query as a URL query string delivers it: every scalar a string (`qs` sends
/// `null` as an empty value).
pub fn as_query_string(value: &Value) -> Value {
    match value {
        Value::Null => Value::String(String::new()),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Number(n) => Value::String(n.to_string()),
        Value::String(s) => Value::String(s.clone()),
        Value::Array(items) => Value::Array(items.iter().map(as_query_string).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), as_query_string(v)))
                .collect(),
        ),
    }
}

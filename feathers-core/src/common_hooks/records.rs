//! The records of a result, whatever its shape: one record, an array, or a page
//! (`{total, limit, skip, data}`).

use serde_json::{Map, Value};

/// Whether `map` is a page of records.
pub(crate) fn is_page(map: &Map<String, Value>) -> bool {
    map.contains_key("total") && matches!(map.get("data"), Some(Value::Array(_)))
}

/// The records of a result.
pub(crate) fn records(value: &Value) -> Vec<&Map<String, Value>> {
    let items = match value {
        Value::Object(map) if is_page(map) => map.get("data"),
        other => Some(other),
    };
    match items {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
        Some(Value::Object(map)) => vec![map],
        _ => Vec::new(),
    }
}

/// The records of a result, to change.
pub(crate) fn records_mut(value: &mut Value) -> Vec<&mut Map<String, Value>> {
    let paged = value.as_object().is_some_and(is_page);
    let items = if paged {
        value.get_mut("data")
    } else {
        Some(value)
    };
    match items {
        Some(Value::Array(items)) => items.iter_mut().filter_map(Value::as_object_mut).collect(),
        Some(Value::Object(map)) => vec![map],
        _ => Vec::new(),
    }
}

/// Removes `a.b.c` from nested objects.
pub(crate) fn remove_path(map: &mut Map<String, Value>, path: &str) {
    match path.split_once('.') {
        None => {
            map.remove(path);
        }
        Some((head, rest)) => {
            if let Some(Value::Object(inner)) = map.get_mut(head) {
                remove_path(inner, rest);
            }
        }
    }
}

/// Removes `fields` from every record of a result.
pub(crate) fn omit_fields(value: &mut Value, fields: &[String]) {
    for record in records_mut(value) {
        for field in fields {
            remove_path(record, field);
        }
    }
}

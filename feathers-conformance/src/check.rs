//! The checkers: a call's answer, error, events and the records afterwards against what
//! the case expects.

use feathers_core::{App, Error, Result};
use serde_json::Value;

use crate::case::{Expect, ExpectedError};
use crate::records::all_records;

/// A check's verdict: `Err` holds why the run failed.
pub(crate) type Outcome = std::result::Result<(), String>;

/// Checks one run against what its case expects: the answer or the error, then the
/// records afterwards and the events the call emitted.
pub(crate) async fn check(
    expect: &Expect,
    outcome: Result<Value>,
    id_field: &str,
    resolve: &dyn Fn(&Value) -> std::result::Result<Value, String>,
    app: &App,
    before: &[Value],
    emitted: &[String],
) -> Outcome {
    match (&expect.error, outcome) {
        (Some(expected), Ok(value)) => {
            return Err(format!(
                "expected a {} error, got the answer {value}",
                expected.name
            ))
        }
        (None, Err(err)) => return Err(format!("unexpected error {}", err.to_json())),
        (Some(expected), Err(err)) => check_error(expected, &err, resolve)?,
        (None, Ok(value)) => check_answer(expect, &value, id_field, resolve)?,
    }
    if let Some(names) = &expect.store {
        let after = all_records(app).await?;
        let mut actual: Vec<String> = after.iter().map(|r| r["name"].to_string()).collect();
        let mut wanted: Vec<String> = names.iter().map(Value::to_string).collect();
        actual.sort();
        wanted.sort();
        if actual != wanted {
            return Err(format!("store holds {actual:?}, expected {wanted:?}"));
        }
    }
    if expect.unchanged {
        let after = all_records(app).await?;
        if after != before {
            return Err(format!(
                "records changed:\n  before {}\n  after  {}",
                Value::Array(before.to_vec()),
                Value::Array(after)
            ));
        }
    }
    if let Some(events) = &expect.events {
        if emitted != events.as_slice() {
            return Err(format!("events {emitted:?}, expected {events:?}"));
        }
    }
    Ok(())
}

/// The error against the expected one: its name, message and data.
fn check_error(
    expected: &ExpectedError,
    err: &Error,
    resolve: &dyn Fn(&Value) -> std::result::Result<Value, String>,
) -> Outcome {
    let actual = err.to_json();
    if err.name() != expected.name {
        return Err(format!("expected a {} error, got {actual}", expected.name));
    }
    if let Some(message) = &expected.message {
        if err.message() != message {
            return Err(format!("expected the message {message:?}, got {actual}"));
        }
    }
    if let Some(prefix) = &expected.message_starts_with {
        if !err.message().starts_with(prefix.as_str()) {
            return Err(format!(
                "expected a message starting {prefix:?}, got {actual}"
            ));
        }
    }
    if let Some(data) = &expected.data {
        let data = resolve(data)?;
        if err.data() != Some(&data) {
            return Err(format!("expected the error data {data}, got {actual}"));
        }
    }
    Ok(())
}

/// An answer against the expected result, names, count and page.
fn check_answer(
    expect: &Expect,
    value: &Value,
    id_field: &str,
    resolve: &dyn Fn(&Value) -> std::result::Result<Value, String>,
) -> Outcome {
    let records = match value {
        Value::Array(items) => Some(items.as_slice()),
        Value::Object(page) => page
            .get("data")
            .and_then(Value::as_array)
            .map(Vec::as_slice),
        _ => None,
    };
    let names = || -> std::result::Result<Vec<Value>, String> {
        let records = records.ok_or_else(|| format!("expected records, got {value}"))?;
        Ok(records
            .iter()
            .map(|r| r.get("name").cloned().unwrap_or(Value::Null))
            .collect())
    };
    if let Some(expected) = &expect.result {
        let expected = resolve(expected)?;
        let actual = without_unexpected_ids(value, &expected, id_field)?;
        if actual != expected {
            return Err(format!("answer {value}, expected {expected}"));
        }
    }
    if let Some(expected) = &expect.names {
        let actual = names()?;
        if &actual != expected {
            return Err(format!(
                "names {}, expected {}",
                Value::Array(actual),
                Value::Array(expected.clone())
            ));
        }
    }
    if let Some(expected) = &expect.unordered_names {
        let mut actual: Vec<String> = names()?.iter().map(Value::to_string).collect();
        let mut wanted: Vec<String> = expected.iter().map(Value::to_string).collect();
        actual.sort();
        wanted.sort();
        if actual != wanted {
            return Err(format!(
                "names {actual:?}, expected {wanted:?} in any order"
            ));
        }
    }
    if let Some(count) = expect.count {
        let actual = records.map(<[Value]>::len);
        if actual != Some(count) {
            return Err(format!("expected {count} records, got {value}"));
        }
    }
    if let Some(Value::Object(page)) = &expect.page {
        let Value::Object(actual) = value else {
            return Err(format!("expected a page, got {value}"));
        };
        for key in ["total", "limit", "skip"] {
            if let Some(expected) = page.get(key) {
                if actual.get(key) != Some(expected) {
                    return Err(format!(
                        "page {key} is {:?}, expected {expected} in {value}",
                        actual.get(key)
                    ));
                }
            }
        }
        let keys: Vec<&String> = actual.keys().collect();
        if keys.len() != 4
            || !["total", "limit", "skip", "data"]
                .iter()
                .all(|k| actual.contains_key(*k))
        {
            return Err(format!(
                "a page has exactly total, limit, skip and data; got {keys:?}"
            ));
        }
        if let Some(Value::Array(expected)) = page.get("names") {
            let actual = names()?;
            if &actual != expected {
                return Err(format!(
                    "page names {}, expected {}",
                    Value::Array(actual),
                    Value::Array(expected.clone())
                ));
            }
        }
    }
    Ok(())
}

/// The answer with the id field removed from every record whose expected form has
/// none; the field must be there. Records are the answer itself, the items of an
/// array answer, or the items of a page's `data`.
fn without_unexpected_ids(
    actual: &Value,
    expected: &Value,
    id_field: &str,
) -> std::result::Result<Value, String> {
    let records = |items: &[Value], wanted: &[Value]| {
        if items.len() != wanted.len() {
            return Ok(Value::Array(items.to_vec()));
        }
        items
            .iter()
            .zip(wanted)
            .map(|(item, want)| without_unexpected_id(item, want, id_field))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map(Value::Array)
    };
    match (actual, expected) {
        (Value::Array(items), Value::Array(wanted)) => records(items, wanted),
        (Value::Object(page), Value::Object(wanted))
            if page.contains_key("total") && page.contains_key("data") =>
        {
            let mut page = page.clone();
            if let (Some(Value::Array(items)), Some(Value::Array(want))) =
                (page.get("data"), wanted.get("data"))
            {
                let data = records(items, want)?;
                page.insert("data".into(), data);
            }
            Ok(Value::Object(page))
        }
        _ => without_unexpected_id(actual, expected, id_field),
    }
}

/// One record without its id field, when its expected form has none.
fn without_unexpected_id(
    actual: &Value,
    expected: &Value,
    id_field: &str,
) -> std::result::Result<Value, String> {
    match (actual, expected) {
        (Value::Object(record), Value::Object(wanted)) if !wanted.contains_key(id_field) => {
            if !record.contains_key(id_field) {
                return Err(format!("the record {actual} has no '{id_field}' field"));
            }
            let mut record = record.clone();
            record.remove(id_field);
            Ok(Value::Object(record))
        }
        _ => Ok(actual.clone()),
    }
}

//! The fields a query names, and refusing a query that names a hidden one.
//!
//! A field that never leaves the server (a password hash) must not be reachable
//! through the query either: `password[$like]=$argon2id$...%` answers one record or
//! none, and one character at a time gives the whole value away; `$sort` and
//! `$select` leak it as well. [`refuse_hidden`] closes all three, at every depth of
//! `$or` and `$and`, before any adapter sees the query.

use std::ops::ControlFlow;

use serde_json::{json, Map, Value};

use crate::error::{QueryError, Result};

/// Where a query names a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldUse {
    /// In a condition, at the top or inside `$or` / `$and`.
    Condition,
    /// As a key of `$sort`.
    Sort,
    /// In `$select`.
    Select,
}

impl FieldUse {
    fn verb(self) -> &'static str {
        match self {
            FieldUse::Condition => "queried",
            FieldUse::Sort => "sorted by",
            FieldUse::Select => "selected",
        }
    }
}

/// Every field `query` names, with where: conditions (at any depth of `$or` and
/// `$and`), `$sort` keys and `$select` entries. Other `$` keys are not fields.
///
/// ```
/// use feathers_query::fields::{named_fields, FieldUse};
/// let query = serde_json::json!({
///     "$or": [{ "a": 1 }, { "$and": [{ "b.c": { "$gt": 2 } }] }],
///     "$sort": { "d": -1 },
///     "$select": ["e"],
/// });
/// let named = named_fields(query.as_object().unwrap());
/// assert_eq!(named, [
///     ("a".to_owned(), FieldUse::Condition),
///     ("b.c".to_owned(), FieldUse::Condition),
///     ("d".to_owned(), FieldUse::Sort),
///     ("e".to_owned(), FieldUse::Select),
/// ]);
/// ```
pub fn named_fields(query: &Map<String, Value>) -> Vec<(String, FieldUse)> {
    let mut named = Vec::new();
    let _: ControlFlow<()> = visit_fields(query, &mut |field, used| {
        named.push((field.to_owned(), used));
        ControlFlow::Continue(())
    });
    named
}

/// Refuses, with a 400 naming the field, a query that names a field of `hidden` (or a
/// part of one, or an object that holds one) in a condition, `$sort` or `$select`.
///
/// ```
/// use feathers_query::fields::refuse_hidden;
/// let hidden = ["password".to_owned()];
/// let probe = serde_json::json!({ "$or": [{ "password": { "$like": "$argon2id%" } }] });
/// let err = refuse_hidden(probe.as_object().unwrap(), &hidden).unwrap_err();
/// assert_eq!(err.message(), "Invalid query: the field 'password' can not be queried");
/// let fine = serde_json::json!({ "email": "a@example.com", "$sort": { "email": 1 } });
/// assert!(refuse_hidden(fine.as_object().unwrap(), &hidden).is_ok());
/// ```
pub fn refuse_hidden(query: &Map<String, Value>, hidden: &[String]) -> Result<()> {
    if hidden.is_empty() {
        return Ok(());
    }
    let refused = visit_fields(query, &mut |field, used| match hidden
        .iter()
        .find(|secret| overlaps(field, secret))
    {
        Some(secret) => ControlFlow::Break((secret, used)),
        None => ControlFlow::Continue(()),
    });
    match refused {
        ControlFlow::Break((secret, used)) => Err(refusal(secret, used)),
        ControlFlow::Continue(()) => Ok(()),
    }
}

/// Refuses, with a 400 naming it, a query that names a field outside `allowed` (the
/// fields of a service's query schema) in a condition, `$sort` or `$select`. A dotted
/// name (`author.name`) counts as its first part.
///
/// ```
/// use feathers_query::fields::refuse_unlisted;
/// let allowed = ["id".to_owned(), "text".to_owned()];
/// let query = serde_json::json!({ "text": "hi", "$sort": { "createdBy": 1 } });
/// let err = refuse_unlisted(query.as_object().unwrap(), &allowed).unwrap_err();
/// assert_eq!(err.message(), "Invalid query: the field 'createdBy' can not be sorted by");
/// ```
pub fn refuse_unlisted(query: &Map<String, Value>, allowed: &[String]) -> Result<()> {
    let refused = visit_fields(query, &mut |field, used| {
        let head = field.split('.').next().unwrap_or(field);
        if allowed.iter().any(|name| name == head) {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break((field.to_owned(), used))
        }
    });
    match refused {
        ControlFlow::Break((field, used)) => Err(refusal(&field, used)),
        ControlFlow::Continue(()) => Ok(()),
    }
}

/// The 400 for a query that names `field` where it may not.
fn refusal(field: &str, used: FieldUse) -> QueryError {
    QueryError::new(format!(
        "Invalid query: the field '{field}' can not be {}",
        used.verb()
    ))
    .with_data(json!({ "field": field }))
}

/// Calls `visit` with every field `query` names, in the order of [`named_fields`],
/// until it breaks: without copying a name, as it runs on every call of a service
/// with hidden fields.
fn visit_fields<B>(
    query: &Map<String, Value>,
    visit: &mut impl FnMut(&str, FieldUse) -> ControlFlow<B>,
) -> ControlFlow<B> {
    conditions(query, visit)?;
    for (key, value) in query {
        match key.as_str() {
            "$sort" => {
                if let Value::Object(keys) = value {
                    for key in keys.keys() {
                        visit(key, FieldUse::Sort)?;
                    }
                }
            }
            "$select" => strings(value, &mut |field| visit(field, FieldUse::Select))?,
            _ => {}
        }
    }
    ControlFlow::Continue(())
}

/// The conditions of one query object: its field keys, and those of the query objects
/// in its `$or` and `$and`.
fn conditions<B>(
    query: &Map<String, Value>,
    visit: &mut impl FnMut(&str, FieldUse) -> ControlFlow<B>,
) -> ControlFlow<B> {
    for (key, value) in query {
        match key.as_str() {
            "$or" | "$and" => for_each_object(value, &mut |inner| conditions(inner, visit))?,
            key if key.starts_with('$') => {}
            field => visit(field, FieldUse::Condition)?,
        }
    }
    ControlFlow::Continue(())
}

/// The objects of a list: an array, or an object with index keys as a query string
/// may give it.
fn for_each_object<B>(
    value: &Value,
    visit: &mut impl FnMut(&Map<String, Value>) -> ControlFlow<B>,
) -> ControlFlow<B> {
    let items: Box<dyn Iterator<Item = &Value>> = match value {
        Value::Array(items) => Box::new(items.iter()),
        Value::Object(items) => Box::new(items.values()),
        _ => return ControlFlow::Continue(()),
    };
    for item in items {
        if let Value::Object(inner) = item {
            visit(inner)?;
        }
    }
    ControlFlow::Continue(())
}

/// Every string in `value`, at any depth: the entries of `$select`, whatever shape the
/// client sent it in.
fn strings<B>(value: &Value, visit: &mut impl FnMut(&str) -> ControlFlow<B>) -> ControlFlow<B> {
    match value {
        Value::String(text) => visit(text),
        Value::Array(items) => items.iter().try_for_each(|item| strings(item, visit)),
        Value::Object(items) => items.values().try_for_each(|item| strings(item, visit)),
        _ => ControlFlow::Continue(()),
    }
}

/// A field named in a query reaches a hidden one when it is the field, a part of it
/// (`secret.hash` of `secret`) or an object that holds it (`profile` of
/// `profile.secret`: comparing the object compares the secret).
fn overlaps(named: &str, hidden: &str) -> bool {
    let within = |long: &str, short: &str| {
        long.len() > short.len() && long.starts_with(short) && long.as_bytes()[short.len()] == b'.'
    };
    named == hidden || within(named, hidden) || within(hidden, named)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(query: Value, hidden: &[&str]) -> Option<String> {
        let hidden: Vec<String> = hidden.iter().map(|h| (*h).to_owned()).collect();
        let map = query.as_object().cloned().unwrap_or_default();
        refuse_hidden(&map, &hidden)
            .err()
            .map(|err| err.message().to_owned())
    }

    #[test]
    fn every_way_of_naming_a_hidden_field_is_refused() {
        let probes = [
            json!({ "password": "x" }),
            json!({ "password": { "$like": "$argon2id%" } }),
            json!({ "password": { "$gt": "$a" } }),
            json!({ "$or": [{ "email": "a" }, { "password": "x" }] }),
            json!({ "$and": [{ "$or": [{ "password": { "$ne": null } }] }] }),
            json!({ "$or": { "0": { "password": "x" } } }),
            json!({ "password.length": 3 }),
        ];
        for probe in probes {
            assert_eq!(
                refused(probe.clone(), &["password"]).as_deref(),
                Some("Invalid query: the field 'password' can not be queried"),
                "{probe}"
            );
        }
        assert_eq!(
            refused(json!({ "$sort": { "password": 1 } }), &["password"]).as_deref(),
            Some("Invalid query: the field 'password' can not be sorted by")
        );
        for select in [
            json!(["email", "password"]),
            json!("password"),
            json!({ "0": "password" }),
        ] {
            assert_eq!(
                refused(json!({ "$select": select }), &["password"]).as_deref(),
                Some("Invalid query: the field 'password' can not be selected")
            );
        }
    }

    #[test]
    fn a_parent_object_of_a_hidden_field_is_refused_but_neighbours_are_not() {
        assert!(refused(json!({ "profile": { "secret": 1 } }), &["profile.secret"]).is_some());
        assert!(refused(json!({ "profile.name": "a" }), &["profile.secret"]).is_none());
        assert!(refused(json!({ "passwordHint": "a" }), &["password"]).is_none());
        assert!(refused(json!({ "pass": "a" }), &["password"]).is_none());
    }

    #[test]
    fn other_fields_filters_and_operators_pass() {
        let query = json!({
            "email": { "$in": ["a", "b"] },
            "$limit": 10,
            "$skip": 2,
            "$sort": { "createdAt": -1 },
            "$select": ["email"],
            "$or": [{ "name": "x" }],
        });
        assert_eq!(refused(query, &["password"]), None);
        assert_eq!(refused(json!({ "password": 1 }), &[]), None);
    }
}

//! The in-memory `messages` store of the peer servers (bare axum and socketioxide):
//! what a Rust developer writes without a framework. Records live in a `Vec` behind a
//! lock, a record's id being its index; find keeps Feathers' query semantics for what
//! the bench sends: equality on fields, `$limit` and `$skip`, records in id order.

use std::sync::{PoisonError, RwLock};

use serde_json::Value;

/// A find query that cannot be answered (an unknown `$` operator or a bad number).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadQuery(pub String);

/// The records, by id.
#[derive(Debug, Default)]
pub struct Records {
    list: RwLock<Vec<Value>>,
}

impl Records {
    /// Stores a JSON object under the next id (set as its `id` field) and returns it;
    /// `None` for anything but an object.
    pub fn create(&self, mut record: Value) -> Option<Value> {
        let fields = record.as_object_mut()?;
        let mut list = self.list.write().unwrap_or_else(PoisonError::into_inner);
        fields.insert("id".to_owned(), Value::from(list.len()));
        list.push(record.clone());
        Some(record)
    }

    /// Applies `read` to the record `id`, under the lock (so that it need not be
    /// cloned to be serialised).
    pub fn get<R>(&self, id: u64, read: impl FnOnce(&Value) -> R) -> Option<R> {
        let list = self.list.read().unwrap_or_else(PoisonError::into_inner);
        let index = usize::try_from(id).ok()?;
        list.get(index).map(read)
    }

    /// The records matching a URL query string (`group=g1&%24limit=10`): every field
    /// named must equal the value given, `$skip` matches are passed over and at most
    /// `$limit` returned, in id order.
    pub fn find(&self, query: Option<&str>) -> Result<Vec<Value>, BadQuery> {
        let mut filters = Vec::new();
        let (mut skip, mut limit) = (0, usize::MAX);
        for (name, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let number = || {
                value
                    .parse::<usize>()
                    .map_err(|_| BadQuery(format!("{name} must be a number, not {value:?}")))
            };
            match name.as_ref() {
                "$limit" => limit = number()?,
                "$skip" => skip = number()?,
                other if other.starts_with('$') => {
                    return Err(BadQuery(format!("unsupported query operator {other}")))
                }
                _ => filters.push((name, value)),
            }
        }
        let list = self.list.read().unwrap_or_else(PoisonError::into_inner);
        Ok(list
            .iter()
            .filter(|record| {
                filters
                    .iter()
                    .all(|(name, value)| field_equals(record.get(name.as_ref()), value))
            })
            .skip(skip)
            .take(limit)
            .cloned()
            .collect())
    }
}

/// A query-string value against a field: strings compare as text, numbers and
/// booleans by their JSON text (`5`, `true`); nothing else matches.
fn field_equals(field: Option<&Value>, wanted: &str) -> bool {
    match field {
        Some(Value::String(text)) => text == wanted,
        Some(Value::Number(number)) => number.to_string() == wanted,
        Some(Value::Bool(flag)) => wanted == if *flag { "true" } else { "false" },
        _ => false,
    }
}

/// A Feathers error as its clients read it (`NotFound`, `BadRequest`): name, message,
/// code and class name.
pub fn feathers_error(name: &str, class_name: &str, code: u16, message: String) -> Value {
    serde_json::json!({
        "name": name,
        "message": message,
        "code": code,
        "className": class_name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn seeded() -> Records {
        let records = Records::default();
        for index in 0..30 {
            let record =
                json!({"text": format!("number {index}"), "group": format!("g{}", index % 3)});
            assert!(records.create(record).is_some());
        }
        records
    }

    #[test]
    fn ids_follow_creation() {
        let records = seeded();
        assert_eq!(
            records.get(4, |record| record["id"].clone()),
            Some(json!(4))
        );
        assert_eq!(records.get(30, Value::clone), None);
        assert_eq!(records.create(json!([1, 2])), None);
    }

    #[test]
    fn find_filters_limits_and_skips_in_id_order() {
        let records = seeded();
        let found = records
            .find(Some("group=g1&%24limit=3&%24skip=1"))
            .expect("a valid query");
        let ids: Vec<Value> = found.iter().map(|record| record["id"].clone()).collect();
        assert_eq!(ids, vec![json!(4), json!(7), json!(10)]);
        assert_eq!(records.find(None).map(|all| all.len()), Ok(30));
        assert_eq!(records.find(Some("id=5")).map(|one| one.len()), Ok(1));
        assert!(records.find(Some("%24sort%5Bid%5D=1")).is_err());
        assert!(records.find(Some("%24limit=ten")).is_err());
    }
}

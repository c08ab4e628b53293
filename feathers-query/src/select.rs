//! `$select`: pick some fields of a record. The id field is always kept, as in Feathers.

use serde_json::{Map, Value};

/// The record with only `fields` and the id field, in that order; fields the record
/// lacks are left out. Names are top-level fields (`"a.b"` is the field named `a.b`, as
/// in Feathers' memory adapter). Anything but an object is returned as it is.
pub fn select(record: &Value, fields: &[String], id_field: &str) -> Value {
    let Value::Object(map) = record else {
        return record.clone();
    };
    let mut picked = Map::new();
    for field in fields.iter().map(String::as_str).chain([id_field]) {
        if picked.contains_key(field) {
            continue;
        }
        if let Some(value) = map.get(field) {
            picked.insert(field.to_owned(), value.clone());
        }
    }
    Value::Object(picked)
}

/// [`select`] when there is a `$select`, else a copy of the record.
pub fn select_opt(record: &Value, fields: Option<&[String]>, id_field: &str) -> Value {
    match fields {
        Some(fields) => select(record, fields, id_field),
        None => record.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_the_selected_fields_and_the_id() {
        let record = json!({"id": 3, "name": "Doug", "age": 32, "a.b": 1});
        assert_eq!(
            select(&record, &["name".into()], "id"),
            json!({"name": "Doug", "id": 3})
        );
        assert_eq!(select(&record, &[], "id"), json!({"id": 3}));
        assert_eq!(
            select(
                &record,
                &["missing".into(), "a.b".into(), "id".into()],
                "id"
            ),
            json!({"a.b": 1, "id": 3})
        );
        assert_eq!(
            select(&record, &["name".into()], "_id"),
            json!({"name": "Doug"})
        );
        assert_eq!(select_opt(&record, None, "id"), record);
        assert_eq!(select(&json!(5), &["x".into()], "id"), json!(5));
    }
}

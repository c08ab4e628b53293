//! The query schema of a service: which fields a client may filter, sort and select
//! by, in Feathers' query syntax, as JSON Schema.

use serde_json::{json, Map, Value};

use crate::schema::property;

/// The comparison operators a field takes, besides equality: Feathers' common set.
pub const OPERATORS: [&str; 7] = ["$gt", "$gte", "$lt", "$lte", "$ne", "$in", "$nin"];

/// The pattern operators a text field takes as well (`%` and `_` as in SQL).
pub const TEXT_OPERATORS: [&str; 3] = ["$like", "$notlike", "$ilike"];

/// The query a client may send to `find` (and as the `query` of the other methods),
/// as Feathers' `querySyntax` describes it: every field of `fields` as a value or an
/// object of [`OPERATORS`] (and [`TEXT_OPERATORS`] for text), `$or` / `$and` of such conditions, `$sort` and `$select`
/// over the same fields, `$limit` and `$skip`. Each field's own schema is taken from
/// `result` (the schema of a record as the server answers it); no other field is
/// accepted.
pub fn query_schema(result: &Value, fields: &[String]) -> Value {
    let mut conditions = Map::new();
    for field in fields {
        let value = property(result, field).cloned().unwrap_or(json!({}));
        let mut operators = Map::new();
        for operator in OPERATORS {
            let schema = if matches!(operator, "$in" | "$nin") {
                json!({ "type": "array", "items": value })
            } else {
                value.clone()
            };
            operators.insert(operator.to_owned(), schema);
        }
        if is_text(&value) {
            for operator in TEXT_OPERATORS {
                operators.insert(operator.to_owned(), json!({ "type": "string" }));
            }
        }
        conditions.insert(
            field.clone(),
            json!({ "anyOf": [value, {
                "type": "object",
                "properties": operators,
                "additionalProperties": false,
            }] }),
        );
    }
    let condition = json!({
        "type": "object",
        "properties": conditions.clone(),
        "additionalProperties": false,
    });
    let sort: Map<String, Value> = fields
        .iter()
        .map(|field| (field.clone(), json!({ "type": "integer", "enum": [1, -1] })))
        .collect();
    let mut properties = conditions;
    properties.insert("$limit".into(), json!({ "type": "integer", "minimum": 0 }));
    properties.insert("$skip".into(), json!({ "type": "integer", "minimum": 0 }));
    properties.insert(
        "$sort".into(),
        json!({ "type": "object", "properties": sort, "additionalProperties": false }),
    );
    properties.insert(
        "$select".into(),
        json!({ "type": "array", "items": { "type": "string", "enum": fields } }),
    );
    properties.insert("$or".into(), json!({ "type": "array", "items": condition }));
    properties.insert(
        "$and".into(),
        json!({ "type": "array", "items": condition }),
    );
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    })
}

/// Whether a field's schema admits a string.
fn is_text(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(kind)) => kind == "string",
        Some(Value::Array(kinds)) => kinds.iter().any(|kind| kind == "string"),
        _ => false,
    }
}

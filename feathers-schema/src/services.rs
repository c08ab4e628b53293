//! [`ServiceSchemas`]: the schemas one service declares, by method.

use serde_json::{json, Map, Value};

use crate::query::query_schema;
use crate::schema::Schema;

/// The schemas of one service: the data each method takes and the record it answers
/// with. `#[service]` fills them from the methods' types; a hand-written service
/// returns them from `Service::schemas`.
#[derive(Clone, Debug, Default)]
pub struct ServiceSchemas {
    data: Vec<(String, Schema)>,
    result: Option<Schema>,
}

impl ServiceSchemas {
    /// No schemas: nothing is checked.
    pub fn new() -> ServiceSchemas {
        ServiceSchemas::default()
    }

    /// `method` takes data of this schema (replacing an earlier one for it). A schema
    /// that accepts anything is left out.
    pub fn with_data(mut self, method: &str, schema: Option<Schema>) -> ServiceSchemas {
        if let Some(schema) = schema.filter(|schema| !schema.accepts_anything()) {
            self.data.retain(|(name, _)| name != method);
            self.data.push((method.to_owned(), schema));
        }
        self
    }

    /// Records are answered in this schema (the first one given wins, so that a
    /// declared `result = T` comes before the methods' return types).
    pub fn with_result(mut self, schema: Option<Schema>) -> ServiceSchemas {
        if self.result.is_none() {
            self.result = schema.filter(|schema| !schema.properties().is_empty());
        }
        self
    }

    /// The schema of `method`'s data, if it has one.
    pub fn data(&self, method: &str) -> Option<&Schema> {
        self.data
            .iter()
            .find(|(name, _)| name == method)
            .map(|(_, schema)| schema)
    }

    /// The schema of a record as the service answers it, if it has one.
    pub fn result(&self) -> Option<&Schema> {
        self.result.as_ref()
    }

    /// The first data schema that does not compile: the method and the reason.
    pub fn broken(&self) -> Option<(&str, &str)> {
        self.data
            .iter()
            .find_map(|(method, schema)| Some((method.as_str(), schema.broken()?)))
    }

    /// Whether nothing is declared.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty() && self.result.is_none()
    }

    /// The fields a client may query, sort and select by: those of the result but
    /// the `hidden` ones. `None` when the result has no schema (then only the hidden
    /// fields are closed).
    pub fn queryable(&self, hidden: &[String]) -> Option<Vec<String>> {
        let result = self.result.as_ref()?;
        Some(
            result
                .properties()
                .iter()
                .filter(|field| !hidden.contains(field))
                .cloned()
                .collect(),
        )
    }

    /// Everything as JSON Schema: `{ "<method>": { "data": .. }, "result": ..,
    /// "query": .. }`; the result without the `hidden` fields, which no client sees.
    pub fn to_json(&self, hidden: &[String]) -> Value {
        let mut out = Map::new();
        for (method, schema) in &self.data {
            out.insert(method.clone(), json!({ "data": schema.json() }));
        }
        if let Some(result) = &self.result {
            let mut public = result.json().clone();
            strip(&mut public, hidden);
            let fields = self.queryable(hidden).unwrap_or_default();
            out.insert("query".into(), query_schema(&public, &fields));
            out.insert("result".into(), public);
        }
        Value::Object(out)
    }
}

/// Removes the `hidden` properties from an object schema.
fn strip(schema: &mut Value, hidden: &[String]) {
    if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        properties.retain(|name, _| !hidden.contains(name));
    }
    if let Some(required) = schema.get_mut("required").and_then(Value::as_array_mut) {
        required.retain(|name| {
            !name
                .as_str()
                .is_some_and(|name| hidden.iter().any(|h| h == name))
        });
    }
}

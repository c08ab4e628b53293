//! [`Schema`]: one JSON Schema, compiled once, that data is checked against.

use std::fmt;
use std::sync::Arc;

use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::{Map, Value};

use crate::problem::Problem;

/// The most problems one validation reports: enough for any form, bounded for an
/// array of ten thousand bad records.
pub const MAX_PROBLEMS: usize = 50;

/// One JSON Schema (draft 2020-12), compiled once, with the names of its top-level
/// properties. Cloning is cheap.
///
/// [`Schema::data`] describes what a client may send for a type (the fields serde
/// reads); [`Schema::result`] what the server sends back (the fields serde writes).
/// A field marked `#[serde(skip_deserializing)]` is in the second and not the first:
/// the server sets it and a client cannot.
///
/// ```
/// use feathers_schema::{JsonSchema, Schema};
/// #[derive(serde::Deserialize, JsonSchema)]
/// struct NewMessage {
///     #[schemars(length(min = 1, max = 1000))]
///     text: String,
/// }
/// let schema = Schema::data::<NewMessage>();
/// assert!(schema.check(&serde_json::json!({ "text": "Hi" })).is_ok());
/// let problems = schema.check(&serde_json::json!({ "text": "" })).unwrap_err();
/// assert_eq!(problems[0].instance_path, "/text");
/// assert_eq!(problems[0].message, "must NOT have fewer than 1 characters");
/// ```
#[derive(Clone)]
pub struct Schema {
    inner: Arc<Compiled>,
}

struct Compiled {
    json: Value,
    /// `None` when the schema accepts anything (`serde_json::Value`): nothing to check.
    validator: Option<jsonschema::Validator>,
    /// Why the schema does not compile, when it does not.
    broken: Option<String>,
    properties: Vec<String>,
}

impl Schema {
    /// What a client may send as a `T`: the fields serde deserialises, with the rules
    /// of their `#[schemars(..)]` attributes.
    pub fn data<T: JsonSchema + ?Sized>() -> Schema {
        let generator = SchemaSettings::draft2020_12()
            .for_deserialize()
            .into_generator();
        Schema::compile(generator.into_root_schema_for::<T>().to_value())
    }

    /// What the server answers as a `T`: the fields serde serialises.
    pub fn result<T: JsonSchema + ?Sized>() -> Schema {
        let generator = SchemaSettings::draft2020_12()
            .for_serialize()
            .into_generator();
        Schema::compile(generator.into_root_schema_for::<T>().to_value())
    }

    /// A schema written as JSON (draft 2020-12), for data that has no Rust type. Fails
    /// with the reason when `json` is not a valid schema.
    pub fn from_json(json: Value) -> Result<Schema, String> {
        let validator = build(&json).map_err(|err| err.to_string())?;
        Ok(Schema::with(json, validator, None))
    }

    /// This schema with no property required: what `patch` accepts, as Feathers'
    /// `Type.Partial` does. Every rule on a property that is sent still holds.
    pub fn partial(&self) -> Schema {
        let mut json = self.inner.json.clone();
        if let Value::Object(map) = &mut json {
            map.remove("required");
        }
        Schema::compile(json)
    }

    fn compile(json: Value) -> Schema {
        match build(&json) {
            Ok(validator) => Schema::with(json, validator, None),
            // A rule the validator cannot compile (`regex(pattern = "(")`): kept as
            // broken, so that the app refuses to start rather than check nothing.
            Err(err) => Schema::with(json, None, Some(err.to_string())),
        }
    }

    fn with(
        json: Value,
        validator: Option<jsonschema::Validator>,
        broken: Option<String>,
    ) -> Schema {
        let properties = json
            .get("properties")
            .and_then(Value::as_object)
            .map(|properties| properties.keys().cloned().collect())
            .unwrap_or_default();
        Schema {
            inner: Arc::new(Compiled {
                json,
                validator,
                broken,
                properties,
            }),
        }
    }

    /// The schema as JSON Schema.
    pub fn json(&self) -> &Value {
        &self.inner.json
    }

    /// The names of its top-level properties, in declaration order (none for a
    /// schema that is not an object's).
    pub fn properties(&self) -> &[String] {
        &self.inner.properties
    }

    /// Whether it accepts any value, so that checking is skipped.
    pub fn accepts_anything(&self) -> bool {
        self.inner.validator.is_none() && self.inner.broken.is_none()
    }

    /// Why the schema does not compile (an invalid `regex` pattern, say), if it does
    /// not. An app whose services have such a schema refuses to start, naming it;
    /// a broken schema never quietly checks nothing.
    pub fn broken(&self) -> Option<&str> {
        self.inner.broken.as_deref()
    }

    /// Checks `data`; an array of records is checked record by record, each
    /// problem's path starting with the record's index (`/0/text`), as Feathers'
    /// `validateData` does for a multi-create.
    pub fn check_records(&self, data: &Value) -> Result<(), Vec<Problem>> {
        match data {
            Value::Array(records) => {
                let mut problems = Vec::new();
                for (index, record) in records.iter().enumerate() {
                    self.collect(record, Some(index), &mut problems);
                    if problems.len() >= MAX_PROBLEMS {
                        break;
                    }
                }
                finish(problems)
            }
            record => self.check(record),
        }
    }

    /// Checks one value: every problem, up to [`MAX_PROBLEMS`].
    pub fn check(&self, data: &Value) -> Result<(), Vec<Problem>> {
        let mut problems = Vec::new();
        self.collect(data, None, &mut problems);
        finish(problems)
    }

    /// Adds `data`'s problems; `index` is its place in an array of records, which
    /// starts each problem's path (written only for a record with problems).
    fn collect(&self, data: &Value, index: Option<usize>, problems: &mut Vec<Problem>) {
        let prefix = || index.map_or_else(String::new, |index| format!("/{index}"));
        let Some(validator) = &self.inner.validator else {
            if self.inner.broken.is_some() {
                problems.push(Problem {
                    instance_path: prefix(),
                    schema_path: "#".to_owned(),
                    keyword: "$schema".to_owned(),
                    params: Value::Object(Map::new()),
                    message: "can not be checked: the schema does not compile".to_owned(),
                });
            }
            return;
        };
        if validator.is_valid(data) {
            return;
        }
        let prefix = prefix();
        for error in validator.iter_errors(data) {
            problems.extend(Problem::from_error(&error, &prefix));
            if problems.len() >= MAX_PROBLEMS {
                problems.truncate(MAX_PROBLEMS);
                return;
            }
        }
    }
}

fn finish(problems: Vec<Problem>) -> Result<(), Vec<Problem>> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The validator for `json`; `None` for a schema that accepts anything.
fn build(
    json: &Value,
) -> Result<Option<jsonschema::Validator>, jsonschema::ValidationError<'static>> {
    if accepts_anything(json) {
        return Ok(None);
    }
    jsonschema::options()
        .should_validate_formats(true)
        .build(json)
        .map(Some)
}

/// `true`, or an object with nothing but annotations.
fn accepts_anything(json: &Value) -> bool {
    const ANNOTATIONS: [&str; 5] = ["$schema", "title", "description", "$id", "$comment"];
    match json {
        Value::Bool(accepts) => *accepts,
        Value::Object(map) => map.keys().all(|key| ANNOTATIONS.contains(&key.as_str())),
        _ => false,
    }
}

impl fmt::Debug for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Schema")
            .field("title", &self.inner.json.get("title"))
            .field("properties", &self.inner.properties)
            .finish()
    }
}

/// The property `name` of an object schema, if it has one.
pub(crate) fn property<'a>(schema: &'a Value, name: &str) -> Option<&'a Value> {
    schema.get("properties")?.as_object()?.get(name)
}

//! [`Partial`]: the data of a `patch`, checked by the rules of the full type.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use schemars::{JsonSchema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// Some of the fields of a `T`: what a `patch` sends. Its schema is `T`'s with no
/// field required (Feathers' `Type.Partial`), so the rules of `T` hold for every
/// field that is sent and the rules are written once.
///
/// ```
/// use feathers_schema::{JsonSchema, Partial, Schema};
/// #[derive(serde::Deserialize, JsonSchema)]
/// struct NewMessage {
///     #[schemars(length(min = 1, max = 1000))]
///     text: String,
///     pinned: bool,
/// }
/// let schema = Schema::data::<Partial<NewMessage>>();
/// assert!(schema.check(&serde_json::json!({ "pinned": true })).is_ok());
/// assert!(schema.check(&serde_json::json!({ "text": "" })).is_err());
/// ```
pub struct Partial<T> {
    fields: Map<String, Value>,
    of: PhantomData<fn() -> T>,
}

impl<T> Partial<T> {
    /// The fields that were sent.
    pub fn fields(&self) -> &Map<String, Value> {
        &self.fields
    }

    /// The field `name`, if it was sent.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields.get(name)
    }

    /// The fields, as a JSON object (what an adapter's `patch` takes).
    pub fn into_value(self) -> Value {
        Value::Object(self.fields)
    }

    /// The fields, as a map.
    pub fn into_fields(self) -> Map<String, Value> {
        self.fields
    }
}

impl<T> From<Map<String, Value>> for Partial<T> {
    fn from(fields: Map<String, Value>) -> Partial<T> {
        Partial {
            fields,
            of: PhantomData,
        }
    }
}

impl<T> Clone for Partial<T> {
    fn clone(&self) -> Partial<T> {
        Partial::from(self.fields.clone())
    }
}

impl<T> fmt::Debug for Partial<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Partial").field(&self.fields).finish()
    }
}

impl<'de, T> Deserialize<'de> for Partial<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Partial<T>, D::Error> {
        Map::deserialize(deserializer).map(Partial::from)
    }
}

impl<T> Serialize for Partial<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.fields.serialize(serializer)
    }
}

impl<T: JsonSchema> JsonSchema for Partial<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("Partial_{}", T::schema_name()).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut SchemaGenerator) -> schemars::Schema {
        let mut schema = T::json_schema(generator);
        schema.remove("required");
        schema
    }
}

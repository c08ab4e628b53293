//! One problem with the data, in the shape of Ajv's error objects: what Feathers 5
//! sends in a validation error's `data`, and what its clients and forms read.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use serde::Serialize;
use serde_json::{json, Value};

/// One problem with the data, as Ajv reports it: where in the data (`instancePath`,
/// a JSON pointer such as `/text` or `/0/text` in an array), the rule that failed
/// (`schemaPath`, `keyword`, `params`) and a message in Ajv's words.
///
/// The message never repeats the value that was sent: a rejected password must not
/// come back in an error, nor reach a log that records errors.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// Where in the data, as a JSON pointer (`""` for the data itself).
    pub instance_path: String,
    /// The rule in the schema, as a URI fragment (`#/properties/text/maxLength`).
    pub schema_path: String,
    /// The JSON Schema keyword that failed (`maxLength`, `required`, `format`, ...).
    pub keyword: String,
    /// The keyword's parameters, named as Ajv names them (`{"limit": 1000}`).
    pub params: Value,
    /// What is wrong, in Ajv's English (`must NOT have more than 1000 characters`).
    pub message: String,
}

impl Problem {
    /// The problems one validation error stands for: one per unexpected property,
    /// one otherwise. `prefix` is prepended to the instance path (the index of an
    /// item of an array of records).
    pub(crate) fn from_error(error: &ValidationError<'_>, prefix: &str) -> Vec<Problem> {
        let instance_path = format!("{prefix}{}", error.instance_path().as_str());
        let schema_path = format!("#{}", error.schema_path().as_str());
        let problem = |keyword: &str, params: Value, message: String| Problem {
            instance_path: instance_path.clone(),
            schema_path: schema_path.clone(),
            keyword: keyword.to_owned(),
            params,
            message,
        };
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => unexpected
                .iter()
                .map(|name| {
                    problem(
                        error.kind().keyword(),
                        json!({ "additionalProperty": name }),
                        "must NOT have additional properties".to_owned(),
                    )
                })
                .collect(),
            kind => {
                let (params, message) = described(kind);
                vec![problem(kind.keyword(), params, message)]
            }
        }
    }
}

/// Ajv's params and message for one failed keyword.
fn described(kind: &ValidationErrorKind) -> (Value, String) {
    use ValidationErrorKind as Kind;
    let limit = |limit: &dyn std::fmt::Display, what: &str, more: bool| {
        let side = if more { "more" } else { "fewer" };
        format!("must NOT have {side} than {limit} {what}")
    };
    let compared = |comparison: &str, limit: &Value| {
        (
            json!({ "comparison": comparison, "limit": limit }),
            format!("must be {comparison} {limit}"),
        )
    };
    match kind {
        Kind::MaxLength { limit: n } => (json!({ "limit": n }), limit(n, "characters", true)),
        Kind::MinLength { limit: n } => (json!({ "limit": n }), limit(n, "characters", false)),
        Kind::MaxItems { limit: n } => (json!({ "limit": n }), limit(n, "items", true)),
        Kind::MinItems { limit: n } => (json!({ "limit": n }), limit(n, "items", false)),
        Kind::MaxProperties { limit: n } => (json!({ "limit": n }), limit(n, "properties", true)),
        Kind::MinProperties { limit: n } => (json!({ "limit": n }), limit(n, "properties", false)),
        Kind::AdditionalItems { limit: n } => (json!({ "limit": n }), limit(n, "items", true)),
        Kind::Maximum { limit } => compared("<=", limit),
        Kind::Minimum { limit } => compared(">=", limit),
        Kind::ExclusiveMaximum { limit } => compared("<", limit),
        Kind::ExclusiveMinimum { limit } => compared(">", limit),
        Kind::Required { property } => {
            let name = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_owned);
            (
                json!({ "missingProperty": name }),
                format!("must have required property '{name}'"),
            )
        }
        Kind::Type { kind } => {
            let names = match kind {
                TypeKind::Single(single) => single.to_string(),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|single| single.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
            };
            (json!({ "type": names }), format!("must be {names}"))
        }
        Kind::Format { format } => (
            json!({ "format": format }),
            format!("must match format \"{format}\""),
        ),
        Kind::Pattern { pattern } => (
            json!({ "pattern": pattern }),
            format!("must match pattern \"{pattern}\""),
        ),
        Kind::Enum { options } => (
            json!({ "allowedValues": options.as_ref() }),
            "must be equal to one of the allowed values".to_owned(),
        ),
        Kind::Constant { expected_value } => (
            json!({ "allowedValue": expected_value.as_ref() }),
            "must be equal to constant".to_owned(),
        ),
        Kind::MultipleOf { multiple_of } => (
            json!({ "multipleOf": multiple_of }),
            format!("must be multiple of {multiple_of}"),
        ),
        Kind::UniqueItems => (json!({}), "must NOT have duplicate items".to_owned()),
        Kind::AnyOf { .. } => (json!({}), "must match a schema in anyOf".to_owned()),
        Kind::OneOfNotValid { .. } | Kind::OneOfMultipleValid { .. } => (
            json!({ "passingSchemas": Value::Null }),
            "must match exactly one schema in oneOf".to_owned(),
        ),
        Kind::Not { .. } => (json!({}), "must NOT be valid".to_owned()),
        Kind::FalseSchema => (json!({}), "boolean schema is false".to_owned()),
        Kind::Contains => (
            json!({ "minContains": 1 }),
            "must contain at least 1 valid item(s)".to_owned(),
        ),
        Kind::PropertyNames { .. } => (
            json!({ "propertyName": Value::Null }),
            "property name must be valid".to_owned(),
        ),
        Kind::UnevaluatedItems { .. } => (json!({}), "must NOT have more items".to_owned()),
        Kind::Custom { message, .. } => (json!({}), message.clone()),
        // Content encodings, regular expressions that could not run, references:
        // nothing a client can act on beyond "this value is not accepted".
        _ => (json!({}), "must be valid".to_owned()),
    }
}

//! Validation hooks: a 400 BadRequest whose `errors` names each bad field.

use serde_json::{Map, Value};

use super::Names;
use crate::context::HookContext;
use crate::error::{Error, Result};
use crate::hooks::Hook;

/// A before hook requiring non-empty `fields` in the data (each record of an array).
/// A missing, null or blank field is a 400 with `errors: {"field": "is required"}`.
/// For `patch`, only the fields present are checked: they may not be blanked.
pub fn require_fields(fields: impl Into<Names>) -> RequireFields {
    RequireFields {
        fields: fields.into(),
    }
}

/// The hook made by [`require_fields`].
#[derive(Clone, Debug)]
pub struct RequireFields {
    fields: Names,
}

fn is_blank(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(_) => false,
    }
}

impl RequireFields {
    fn check(&self, record: &Value, partial: bool) -> Map<String, Value> {
        let mut errors = Map::new();
        let Value::Object(map) = record else {
            errors.insert("data".into(), Value::from("must be an object"));
            return errors;
        };
        for field in self.fields.iter() {
            let value = map.get(field);
            if partial && value.is_none() {
                continue;
            }
            if is_blank(value) {
                errors.insert(field.to_owned(), Value::from("is required"));
            }
        }
        errors
    }
}

impl Hook for RequireFields {
    async fn run(&self, ctx: &mut HookContext) -> Result<()> {
        let partial = ctx.method == crate::method::Method::Patch;
        let errors = match &ctx.data {
            Value::Array(records) => {
                let mut all = Map::new();
                for (index, record) in records.iter().enumerate() {
                    let errors = self.check(record, partial);
                    if !errors.is_empty() {
                        all.insert(index.to_string(), Value::Object(errors));
                    }
                }
                all
            }
            record => self.check(record, partial),
        };
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::bad_request("Validation failed").with_errors(Value::Object(errors)))
        }
    }
}

/// A before hook running `check` on the data; field errors it returns become a 400
/// with those errors.
///
/// ```
/// # use feathers_core::common_hooks::validate;
/// # use feathers_core::Hooks;
/// # use serde_json::{json, Value};
/// let adult = validate(|data: &Value| {
///     let mut errors = serde_json::Map::new();
///     if data["age"].as_u64().is_none_or(|age| age < 18) {
///         errors.insert("age".into(), json!("must be 18 or more"));
///     }
///     errors
/// });
/// let hooks = Hooks::new().before_on("create", adult);
/// ```
pub fn validate<F>(check: F) -> Validate<F>
where
    F: Fn(&Value) -> Map<String, Value> + Send + Sync + 'static,
{
    Validate { check }
}

/// The hook made by [`validate`].
#[derive(Clone, Debug)]
pub struct Validate<F> {
    check: F,
}

impl<F> Hook for Validate<F>
where
    F: Fn(&Value) -> Map<String, Value> + Send + Sync + 'static,
{
    async fn run(&self, ctx: &mut HookContext) -> Result<()> {
        let errors = (self.check)(&ctx.data);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::bad_request("Validation failed").with_errors(Value::Object(errors)))
        }
    }
}

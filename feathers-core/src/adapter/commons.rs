//! The helpers every adapter shares (Feathers' adapter-commons): pagination a hook may
//! override per call, the shape of data, falsy ids, and the errors and answers of the
//! many-record methods. The shared `Service` implementation uses them, so every adapter
//! answers alike.

use feathers_query::Paginate;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::id::Id;
use crate::json_kind::json_kind;
use crate::params::{PaginationOverride, Params};

/// The pagination for one call: `configured`, unless a hook set `params.paginate`:
/// [`PaginationOverride::Off`] turns it off, [`PaginationOverride::With`] replaces it
/// (Feathers' server-side `params.paginate`).
pub fn pagination_for(params: &Params, configured: Option<Paginate>) -> Option<Paginate> {
    match params.paginate {
        Some(PaginationOverride::Off) => None,
        Some(PaginationOverride::With(paginate)) => paginate.is_active().then_some(paginate),
        None => configured.filter(Paginate::is_active),
    }
}

/// The answer of a method that may act on one record or many: the array, or the one
/// record (`null` when there is none).
pub fn one_or_many(mut records: Vec<Value>, many: bool) -> Value {
    if many {
        Value::Array(records)
    } else {
        records.pop().unwrap_or(Value::Null)
    }
}

/// Data for create, update and patch: an object without `$` keys (adapters have no
/// update operators). `adapter` names the adapter in the message ("memory", "SQL").
pub fn check_data<'a>(
    data: &'a Value,
    method: &str,
    adapter: &str,
) -> Result<&'a Map<String, Value>> {
    let Value::Object(map) = data else {
        return Err(Error::bad_request(format!(
            "The data of '{method}' must be an object, found {}",
            json_kind(data)
        )));
    };
    if let Some(key) = map.keys().find(|key| key.starts_with('$')) {
        return Err(Error::bad_request(format!(
            "Invalid data for '{method}': the field '{key}' starts with '$'. The {adapter} \
             adapter has no update operators; send the new values themselves"
        )));
    }
    Ok(map)
}

/// JavaScript's falsiness, for ids: a falsy id in created data means "make one".
pub fn is_falsy(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(_) | Value::Object(_) => false,
    }
}

/// Feathers' NotFound for an id (`null` for a missing one).
pub fn not_found(id: Option<&Id>) -> Error {
    let shown = id.map_or_else(|| "null".to_owned(), Id::to_string);
    Error::not_found(format!("No record found for id '{shown}'"))
}

/// Feathers' answer to `update(null, ..)`.
pub fn replace_many() -> Error {
    Error::bad_request("You can not replace multiple instances. Did you mean 'patch'?")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn params_may_override_pagination() {
        let configured = Some(Paginate::new(10, 50));
        let mut params = Params::default();
        assert_eq!(pagination_for(&params, configured), configured);
        params.paginate = Some(PaginationOverride::Off);
        assert_eq!(pagination_for(&params, configured), None);
        let three = Paginate {
            default: Some(3),
            max: None,
        };
        params.paginate = Some(PaginationOverride::With(three));
        assert_eq!(pagination_for(&params, configured), Some(three));
    }

    #[test]
    fn data_is_an_object_without_operators() {
        assert!(check_data(&json!({"a": 1}), "create", "memory").is_ok());
        assert!(check_data(&json!([1]), "create", "memory").is_err());
        let err = check_data(&json!({"$set": {}}), "patch", "SQL").err();
        assert!(err.is_some_and(|err| err.message().contains("The SQL adapter")));
    }

    #[test]
    fn falsy_ids_follow_javascript() {
        for falsy in [json!(null), json!(false), json!(0), json!(""), json!(0.0)] {
            assert!(is_falsy(&falsy), "{falsy}");
        }
        for truthy in [json!(1), json!("0"), json!([]), json!({})] {
            assert!(!is_falsy(&truthy), "{truthy}");
        }
    }
}

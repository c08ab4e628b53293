//! Record ids: a number or a string, as in Feathers (`Id = number | string`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::error::{Error, Result};

/// A record id. Ids from REST paths are always strings (`"5"`); socket transports keep
/// the JSON type. Use [`Id::parse`] or [`Id::as_i64`] to read either form.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Id {
    /// A numeric id.
    Int(i64),
    /// A string id.
    Str(String),
}

impl Id {
    /// Reads an id from a JSON value: `null` is no id; an object, array, boolean or a
    /// number that is not an integer is a 400.
    pub fn from_value(value: &Value) -> Result<Option<Id>> {
        match value {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(Id::Str(s.clone()))),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Ok(Some(Id::Int(i))),
                None => Err(Error::bad_request(format!(
                    "Invalid id {n}: ids are integers or strings"
                ))),
            },
            other => Err(Error::bad_request(format!(
                "Invalid id {other}: ids are integers or strings"
            ))),
        }
    }

    /// The id as JSON.
    pub fn to_value(&self) -> Value {
        match self {
            Id::Int(i) => Value::from(*i),
            Id::Str(s) => Value::String(s.clone()),
        }
    }

    /// The id as an integer, parsing the string form.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Id::Int(i) => Some(*i),
            Id::Str(s) => s.parse().ok(),
        }
    }

    /// The id as a non-negative integer, parsing the string form.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Id::Int(i) => u64::try_from(*i).ok(),
            Id::Str(s) => s.parse().ok(),
        }
    }

    /// Parses the id's text into any type: a 400 naming the id when it does not parse.
    pub fn parse<T: FromStr>(&self) -> Result<T> {
        let text = self.to_string();
        text.parse()
            .map_err(|_| Error::bad_request(format!("Invalid id '{text}'")))
    }

    /// True when both ids name the same record, whatever their form (`1` and `"1"`).
    pub fn same_record(&self, other: &Id) -> bool {
        match (self, other) {
            (Id::Int(a), Id::Int(b)) => a == b,
            (Id::Str(a), Id::Str(b)) => a == b,
            (Id::Int(a), Id::Str(b)) | (Id::Str(b), Id::Int(a)) => b.parse::<i64>() == Ok(*a),
        }
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::Int(i) => write!(f, "{i}"),
            Id::Str(s) => f.write_str(s),
        }
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Id {
            fn from(value: $t) -> Id { Id::Int(i64::from(value)) }
        }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32);

impl From<&str> for Id {
    fn from(value: &str) -> Id {
        Id::Str(value.to_owned())
    }
}

impl From<String> for Id {
    fn from(value: String) -> Id {
        Id::Str(value)
    }
}

impl TryFrom<u64> for Id {
    type Error = Error;
    fn try_from(value: u64) -> Result<Id> {
        i64::try_from(value)
            .map(Id::Int)
            .map_err(|_| Error::bad_request(format!("Invalid id {value}: too large")))
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Id::Int(i) => serializer.serialize_i64(*i),
            Id::Str(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Id, D::Error> {
        let value = Value::deserialize(deserializer)?;
        match Id::from_value(&value) {
            Ok(Some(id)) => Ok(id),
            Ok(None) => Err(serde::de::Error::custom("expected an id, found null")),
            Err(err) => Err(serde::de::Error::custom(err.message())),
        }
    }
}

/// Conversion from the call's optional id into the id type a service method declares:
/// [`Id`], an integer type, `String`, or an `Option` of any of them for methods that
/// accept a null id (`patch(null)`, `remove(null)`).
pub trait FromId: Sized {
    /// Converts the call's id for the method named `method` (for error messages); a 400 when it does not fit.
    fn from_id(id: Option<&Id>, method: &str) -> Result<Self>;
}

impl FromId for Id {
    fn from_id(id: Option<&Id>, method: &str) -> Result<Id> {
        id.cloned()
            .ok_or_else(|| Error::bad_request(format!("An id is required for '{method}'")))
    }
}

impl FromId for String {
    fn from_id(id: Option<&Id>, method: &str) -> Result<String> {
        Id::from_id(id, method).map(|id| id.to_string())
    }
}

macro_rules! from_id_int {
    ($($t:ty),*) => {$(
        impl FromId for $t {
            fn from_id(id: Option<&Id>, method: &str) -> Result<$t> {
                Id::from_id(id, method)?.parse()
            }
        }
    )*};
}
from_id_int!(i32, i64, u32, u64, usize);

impl<T: FromId> FromId for Option<T> {
    fn from_id(id: Option<&Id>, method: &str) -> Result<Option<T>> {
        match id {
            None => Ok(None),
            Some(id) => T::from_id(Some(id), method).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_numbers_and_strings_and_rejects_the_rest() {
        assert_eq!(Id::from_value(&json!(5)).ok(), Some(Some(Id::Int(5))));
        assert_eq!(
            Id::from_value(&json!("a")).ok(),
            Some(Some(Id::Str("a".into())))
        );
        assert_eq!(Id::from_value(&json!(null)).ok(), Some(None));
        for bad in [json!({}), json!([1]), json!(true), json!(1.5)] {
            let err = Id::from_value(&bad).err().map(|e| e.code());
            assert_eq!(err, Some(400), "{bad}");
        }
    }

    #[test]
    fn typed_ids_parse_the_string_form() {
        let rest_id = Id::Str("42".into());
        assert_eq!(u64::from_id(Some(&rest_id), "get").ok(), Some(42));
        let bad = Id::Str("abc".into());
        assert_eq!(
            u64::from_id(Some(&bad), "get").err().map(|e| e.code()),
            Some(400)
        );
        assert_eq!(Option::<u64>::from_id(None, "patch").ok(), Some(None));
        assert_eq!(Id::from_id(None, "get").err().map(|e| e.code()), Some(400));
    }

    #[test]
    fn same_record_ignores_the_form() {
        assert!(Id::Int(1).same_record(&Id::Str("1".into())));
        assert!(!Id::Int(1).same_record(&Id::Str("01x".into())));
    }
}

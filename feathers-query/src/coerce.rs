//! Query-string typing. Every scalar of a URL query string is a string (`?age[$gt]=30`
//! gives `{"age": {"$gt": "30"}}`), so a query that came from a URL compares a string
//! with a stored number, boolean or null by reading the string as that type first. A
//! query from a JSON transport or an internal call compares strictly by type, as sift
//! does in Feathers: `"1"` never equals `1`.

use std::cmp::Ordering;

use serde_json::{Number, Value};

use crate::compare::{compare_numbers, compare_strings, objects_equal, values_equal};

/// How a query's values compare with stored values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Typing {
    /// Strictly by JSON type (JSON transports and internal calls).
    #[default]
    Strict,
    /// The query came from a URL query string: a string compared with a stored number,
    /// boolean or null is read as that type (`"30"` as 30, `"true"` as true, `""` and
    /// `"null"` as null).
    QueryString,
}

impl Typing {
    /// [`Typing::QueryString`] for a query that came from a URL query string,
    /// [`Typing::Strict`] otherwise.
    pub fn from_url(query_from_url: bool) -> Typing {
        if query_from_url {
            Typing::QueryString
        } else {
            Typing::Strict
        }
    }
}

/// Reads a query-string value as a JSON number: a decimal integer or a finite decimal
/// fraction (`"30"`, `"-1"`, `"2.5"`, `"1e3"`). Not `""`, `"0x10"`, `"Infinity"`.
pub fn parse_number(text: &str) -> Option<Number> {
    let first = text.as_bytes().first()?;
    if !(first.is_ascii_digit() || *first == b'-' || *first == b'.') {
        return None;
    }
    if let Ok(int) = text.parse::<i64>() {
        return Some(Number::from(int));
    }
    if let Ok(int) = text.parse::<u64>() {
        return Some(Number::from(int));
    }
    let valid = text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
    if !valid {
        return None;
    }
    text.parse::<f64>().ok().and_then(Number::from_f64)
}

/// Reads a query-string value as a boolean: exactly `"true"` or `"false"`.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Whether a query-string value stands for null: `""` (what `qs` makes of `null`) or
/// `"null"`.
pub fn is_null_text(text: &str) -> bool {
    text.is_empty() || text == "null"
}

static NULL: Value = Value::Null;

/// A value taken from a query, prepared once for comparing with many stored values.
#[derive(Clone, Debug, PartialEq)]
pub struct Operand {
    value: Value,
    typing: Typing,
    as_number: Option<Value>,
    as_bool: Option<Value>,
    as_null: bool,
}

impl Operand {
    /// Prepares `value` for comparisons under `typing`.
    pub fn new(value: Value, typing: Typing) -> Operand {
        let (mut as_number, mut as_bool, mut as_null) = (None, None, false);
        if let (Typing::QueryString, Value::String(text)) = (typing, &value) {
            as_number = parse_number(text).map(Value::Number);
            as_bool = parse_bool(text).map(Value::Bool);
            as_null = is_null_text(text);
        }
        Operand {
            value,
            typing,
            as_number,
            as_bool,
            as_null,
        }
    }

    /// The value as the query gave it.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The value to compare with `stored` (`None` for a missing field): the query
    /// string read as the stored value's type where it can be, else the value itself.
    pub fn for_stored(&self, stored: Option<&Value>) -> &Value {
        let converted = match stored {
            Some(Value::Number(_)) => self.as_number.as_ref(),
            Some(Value::Bool(_)) => self.as_bool.as_ref(),
            None | Some(Value::Null) if self.as_null => Some(&NULL),
            _ => None,
        };
        converted.unwrap_or(&self.value)
    }

    /// Whether `stored` (`None` when missing) equals this value. A missing field
    /// equals null, as in sift.
    pub fn equals(&self, stored: Option<&Value>) -> bool {
        let query = self.for_stored(stored);
        match stored {
            None => query.is_null(),
            Some(stored) => match (self.typing, query) {
                (Typing::QueryString, Value::Array(_) | Value::Object(_)) => {
                    equals_typed(stored, query, self.typing)
                }
                _ => values_equal(stored, query),
            },
        }
    }

    /// How `stored` compares with this value, for `$lt`, `$lte`, `$gt` and `$gte`:
    /// `None` unless both are numbers, both strings or both booleans (sift compares
    /// only values of the same type).
    pub fn compare(&self, stored: &Value) -> Option<Ordering> {
        match (stored, self.for_stored(Some(stored))) {
            (Value::Number(x), Value::Number(y)) => Some(compare_numbers(x, y)),
            (Value::String(x), Value::String(y)) => Some(compare_strings(x, y)),
            (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
            _ => None,
        }
    }
}

/// Deep equality of a stored value with a query value under `typing`: with
/// [`Typing::QueryString`], each string in the query is read as the type of the stored
/// value in the same place.
pub fn equals_typed(stored: &Value, query: &Value, typing: Typing) -> bool {
    if typing == Typing::Strict {
        return values_equal(stored, query);
    }
    match (stored, query) {
        (_, Value::String(text)) => match stored {
            Value::String(s) => s == text,
            Value::Number(n) => parse_number(text).is_some_and(|q| compare_numbers(n, &q).is_eq()),
            Value::Bool(b) => parse_bool(text) == Some(*b),
            Value::Null => is_null_text(text),
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(s, q)| equals_typed(s, q, typing))
        }
        (Value::Object(x), Value::Object(y)) => {
            objects_equal(x, y, |s, q| equals_typed(s, q, typing))
        }
        _ => values_equal(stored, query),
    }
}

/// A list from a query: an array, or under [`Typing::QueryString`] an object whose keys
/// are all array indices, which is what `qs` makes of arrays longer than its
/// `arrayLimit` (`ids[$in][25]=..` gives `{"$in": {"0": .., "25": ..}}`). The elements
/// keep their index order.
pub fn as_list(value: &Value, typing: Typing) -> Option<Vec<&Value>> {
    match value {
        Value::Array(items) => Some(items.iter().collect()),
        Value::Object(map) if typing == Typing::QueryString && !map.is_empty() => {
            let mut indexed = Vec::with_capacity(map.len());
            for (key, item) in map {
                let index = key
                    .parse::<usize>()
                    .ok()
                    .filter(|_| !key.starts_with('+'))?;
                indexed.push((index, item));
            }
            indexed.sort_by_key(|(index, _)| *index);
            Some(indexed.into_iter().map(|(_, item)| item).collect())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_numbers_strictly() {
        assert_eq!(parse_number("30"), Some(Number::from(30)));
        assert_eq!(parse_number("-1"), Some(Number::from(-1)));
        assert_eq!(parse_number("2.5").and_then(|n| n.as_f64()), Some(2.5));
        assert_eq!(
            parse_number("18446744073709551615"),
            Some(Number::from(u64::MAX))
        );
        for bad in [
            "", "abc", "0x10", "Infinity", "NaN", "1,5", " 1", "+1", "inf",
        ] {
            assert_eq!(parse_number(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn query_strings_take_the_stored_type() {
        let thirty = Operand::new(json!("30"), Typing::QueryString);
        assert!(thirty.equals(Some(&json!(30))));
        assert!(thirty.equals(Some(&json!(30.0))));
        assert!(thirty.equals(Some(&json!("30"))));
        assert!(!thirty.equals(Some(&json!(31))));
        assert_eq!(thirty.compare(&json!(40)), Some(Ordering::Greater));
        assert_eq!(thirty.compare(&json!("4")), Some(Ordering::Greater));

        let yes = Operand::new(json!("true"), Typing::QueryString);
        assert!(yes.equals(Some(&json!(true))));
        assert!(!yes.equals(Some(&json!(false))));

        let empty = Operand::new(json!(""), Typing::QueryString);
        assert!(empty.equals(None));
        assert!(empty.equals(Some(&json!(null))));
        assert!(empty.equals(Some(&json!(""))));
        assert!(!empty.equals(Some(&json!(0))));
    }

    #[test]
    fn json_values_compare_strictly() {
        let thirty = Operand::new(json!("30"), Typing::Strict);
        assert!(!thirty.equals(Some(&json!(30))));
        assert_eq!(thirty.compare(&json!(40)), None);
        let number = Operand::new(json!(30), Typing::QueryString);
        assert!(!number.equals(Some(&json!("30"))));
        assert!(Operand::new(json!(null), Typing::Strict).equals(None));
        assert!(!Operand::new(json!(""), Typing::Strict).equals(None));
    }

    #[test]
    fn nested_query_strings_are_converted_leaf_by_leaf() {
        let stored = json!({"a": 1, "tags": [true, null]});
        let query = json!({"tags": ["true", ""], "a": "1"});
        assert!(equals_typed(&stored, &query, Typing::QueryString));
        assert!(!equals_typed(&stored, &query, Typing::Strict));
        assert!(Operand::new(query, Typing::QueryString).equals(Some(&stored)));
    }

    #[test]
    fn index_keyed_objects_are_lists_only_in_query_strings() {
        let value = json!({"1": "b", "0": "a", "10": "c"});
        let list = as_list(&value, Typing::QueryString);
        assert_eq!(list, Some(vec![&json!("a"), &json!("b"), &json!("c")]));
        assert_eq!(as_list(&value, Typing::Strict), None);
        assert_eq!(as_list(&json!({"0": 1, "x": 2}), Typing::QueryString), None);
        assert_eq!(as_list(&json!("a"), Typing::QueryString), None);
    }
}

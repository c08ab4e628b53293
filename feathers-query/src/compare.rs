//! Comparing JSON values the way Feathers' JavaScript does: numbers by value (`1` equals
//! `1.0`), strings in UTF-16 code unit order (JavaScript's `<`), deep equality for arrays
//! and objects (sift's `equals`), and NeDB's order across types for `$sort`.

use std::cmp::Ordering;

use serde_json::{Map, Number, Value};

/// Compares two JSON numbers by value, exactly for integers.
pub fn compare_numbers(a: &Number, b: &Number) -> Ordering {
    match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
        (Some(x), Some(y), _, _) => x.cmp(&y),
        (_, _, Some(x), Some(y)) => x.cmp(&y),
        // One integer fits i64 and the other only u64: the latter is above i64::MAX.
        (Some(_), None, _, Some(_)) => Ordering::Less,
        (None, Some(_), Some(_), _) => Ordering::Greater,
        _ => {
            let x = a.as_f64().unwrap_or(f64::NAN);
            let y = b.as_f64().unwrap_or(f64::NAN);
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
    }
}

/// Compares two strings as JavaScript's `<` does: by UTF-16 code units. This differs
/// from Rust's byte order only between characters above U+FFFF and those in
/// U+E000..=U+FFFF.
pub fn compare_strings(a: &str, b: &str) -> Ordering {
    let mut left = a.chars();
    let mut right = b.chars();
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x == y => {}
            (Some(x), Some(y)) => {
                let (mut bx, mut by) = ([0u16; 2], [0u16; 2]);
                return x.encode_utf16(&mut bx).cmp(&y.encode_utf16(&mut by));
            }
        }
    }
}

/// Deep equality: numbers by value, arrays element by element, objects by their keys
/// whatever their order.
pub fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => compare_numbers(x, y) == Ordering::Equal,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Null, Value::Null) => true,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| values_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => objects_equal(x, y, values_equal),
        _ => false,
    }
}

/// Object equality with a given equality for the values.
pub(crate) fn objects_equal(
    x: &Map<String, Value>,
    y: &Map<String, Value>,
    eq: impl Fn(&Value, &Value) -> bool,
) -> bool {
    x.len() == y.len()
        && x.iter()
            .all(|(key, value)| y.get(key).is_some_and(|other| eq(value, other)))
}

/// The rank of a value's type in NeDB's order: undefined < null < numbers < strings <
/// booleans < arrays < objects (JSON has no dates, which NeDB ranks between booleans and
/// arrays).
fn type_rank(value: Option<&Value>) -> u8 {
    match value {
        None => 0,
        Some(Value::Null) => 1,
        Some(Value::Number(_)) => 2,
        Some(Value::String(_)) => 3,
        Some(Value::Bool(_)) => 4,
        Some(Value::Array(_)) => 6,
        Some(Value::Object(_)) => 7,
    }
}

/// NeDB's total order over JSON values, as Feathers' `$sort` uses it. `None` is a
/// missing field (JavaScript's `undefined`), which sorts first.
pub fn compare_values(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    let (ra, rb) = (type_rank(a), type_rank(b));
    if ra != rb {
        return ra.cmp(&rb);
    }
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => compare_numbers(x, y),
        (Some(Value::String(x)), Some(Value::String(y))) => compare_strings(x, y),
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            for (p, q) in x.iter().zip(y) {
                let ordering = compare_values(Some(p), Some(q));
                if ordering != Ordering::Equal {
                    return ordering;
                }
            }
            x.len().cmp(&y.len())
        }
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let mut x_keys: Vec<&String> = x.keys().collect();
            let mut y_keys: Vec<&String> = y.keys().collect();
            x_keys.sort_by(|p, q| compare_strings(p, q));
            y_keys.sort_by(|p, q| compare_strings(p, q));
            for (p, q) in x_keys.iter().zip(&y_keys) {
                let ordering = compare_values(x.get(*p), y.get(*q));
                if ordering != Ordering::Equal {
                    return ordering;
                }
            }
            x_keys.len().cmp(&y_keys.len())
        }
        _ => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value_across_representations() {
        let n = |v: Value| match v {
            Value::Number(n) => n,
            _ => Number::from(0),
        };
        assert_eq!(
            compare_numbers(&n(json!(1)), &n(json!(1.0))),
            Ordering::Equal
        );
        assert_eq!(
            compare_numbers(&n(json!(-1)), &n(json!(u64::MAX))),
            Ordering::Less
        );
        assert_eq!(
            compare_numbers(&n(json!(u64::MAX)), &n(json!(-1))),
            Ordering::Greater
        );
        assert_eq!(
            compare_numbers(&n(json!(2.5)), &n(json!(2))),
            Ordering::Greater
        );
        assert_eq!(
            compare_numbers(&n(json!(i64::MIN)), &n(json!(0.5))),
            Ordering::Less
        );
    }

    #[test]
    fn strings_compare_like_javascript() {
        assert_eq!(compare_strings("Alice", "Bob"), Ordering::Less);
        assert_eq!(compare_strings("a", "B"), Ordering::Greater);
        assert_eq!(compare_strings("ab", "abc"), Ordering::Less);
        // U+1F600 is a surrogate pair (0xD83D ..) in UTF-16, below U+FF5E (0xFF5E),
        // although its UTF-8 bytes sort above.
        assert_eq!(compare_strings("\u{1F600}", "\u{FF5E}"), Ordering::Less);
        assert_eq!("\u{1F600}".cmp("\u{FF5E}"), Ordering::Greater);
    }

    #[test]
    fn deep_equality_ignores_key_order_and_number_form() {
        assert!(values_equal(
            &json!({"a": 1, "b": [1, 2]}),
            &json!({"b": [1.0, 2], "a": 1})
        ));
        assert!(!values_equal(&json!({"a": 1}), &json!({"a": 1, "b": null})));
        assert!(!values_equal(&json!("1"), &json!(1)));
        assert!(!values_equal(&json!([1, 2]), &json!([2, 1])));
    }

    #[test]
    fn types_order_as_nedb() {
        let ascending = [
            None,
            Some(json!(null)),
            Some(json!(-3)),
            Some(json!(10)),
            Some(json!("")),
            Some(json!("a")),
            Some(json!(false)),
            Some(json!(true)),
            Some(json!([])),
            Some(json!([1])),
            Some(json!([1, 0])),
            Some(json!([2])),
            Some(json!({})),
            Some(json!({"a": 1})),
            Some(json!({"a": 2})),
            Some(json!({"a": 2, "b": 0})),
        ];
        for (i, a) in ascending.iter().enumerate() {
            for (j, b) in ascending.iter().enumerate() {
                assert_eq!(
                    compare_values(a.as_ref(), b.as_ref()),
                    i.cmp(&j),
                    "{a:?} vs {b:?}"
                );
            }
        }
        // NeDB compares objects by the values of their sorted keys, not the key names.
        let (b0, a1) = (json!({"b": 0}), json!({"a": 1}));
        assert_eq!(compare_values(Some(&b0), Some(&a1)), Ordering::Less);
    }
}

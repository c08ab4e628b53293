//! `$sort`: `{field: 1 | -1, "a.b": -1}`, several keys in the order given, values as
//! numbers or strings (`"1"`, `"-1"` from query strings), compared in NeDB's order across
//! types (see [`compare_values`]).

use std::borrow::Borrow;
use std::cmp::Ordering;

use serde_json::{Map, Value};

use crate::compare::compare_values;
use crate::error::{QueryError, Result};

/// One sort key: a field, dotted for nested fields, and its direction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortKey {
    /// The field as given (`"address.city"`).
    pub field: String,
    /// The field split at the dots.
    pub path: Vec<String>,
    /// True for `-1`.
    pub descending: bool,
}

/// A parsed `$sort`: the keys in the order the query gave them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sort {
    keys: Vec<SortKey>,
}

impl Sort {
    /// Parses a `$sort` value: an object whose values are `1`/`-1` (or any positive or
    /// negative integer, as numbers or strings). Anything else is a 400.
    pub fn parse(value: &Value) -> Result<Sort> {
        let Value::Object(fields) = value else {
            return Err(QueryError::new(
                "$sort must be an object such as {\"name\": 1, \"age\": -1}",
            ));
        };
        let mut keys = Vec::with_capacity(fields.len());
        for (field, direction) in fields {
            let descending = match parse_direction(direction) {
                Some(direction) => direction < 0,
                None => {
                    return Err(QueryError::new(format!(
                        "Invalid $sort direction {direction} for '{field}': use 1 or -1"
                    )))
                }
            };
            if field.is_empty() {
                return Err(QueryError::new("$sort names an empty field"));
            }
            keys.push(SortKey {
                field: field.clone(),
                path: field.split('.').map(str::to_owned).collect(),
                descending,
            });
        }
        Ok(Sort { keys })
    }

    /// The keys, most significant first.
    pub fn keys(&self) -> &[SortKey] {
        &self.keys
    }

    /// True for `$sort: {}`, which leaves the order as it is.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Compares two records by the keys in turn.
    pub fn compare(&self, a: &Value, b: &Value) -> Ordering {
        for key in &self.keys {
            let ordering = compare_values(lookup(a, &key.path), lookup(b, &key.path));
            let ordering = if key.descending {
                ordering.reverse()
            } else {
                ordering
            };
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        Ordering::Equal
    }

    /// The values of a record that the keys compare, for sorting many records without
    /// looking their fields up again at every comparison.
    pub fn key_of<'a>(&self, record: &'a Value) -> Vec<Option<&'a Value>> {
        self.keys
            .iter()
            .map(|key| lookup(record, &key.path))
            .collect()
    }

    /// Compares two results of [`Sort::key_of`].
    pub fn compare_keys(&self, a: &[Option<&Value>], b: &[Option<&Value>]) -> Ordering {
        for ((key, x), y) in self.keys.iter().zip(a).zip(b) {
            let ordering = compare_values(*x, *y);
            if ordering != Ordering::Equal {
                return if key.descending {
                    ordering.reverse()
                } else {
                    ordering
                };
            }
        }
        Ordering::Equal
    }

    /// Sorts `records` stably and keeps the first `keep` of them. Each record's sort
    /// values are looked up once, and only the kept ones are fully ordered, so a small
    /// page of a large result costs about one pass over it.
    pub fn sort_first<'a>(&self, records: &mut Vec<&'a Value>, keep: usize) {
        let keep = keep.min(records.len());
        if self.keys.is_empty() || keep == 0 {
            records.truncate(keep);
            return;
        }
        let width = self.keys.len();
        let mut values: Vec<Option<&Value>> = Vec::with_capacity(records.len() * width);
        for record in records.iter() {
            values.extend(self.keys.iter().map(|key| lookup(record, &key.path)));
        }
        let mut order: Vec<usize> = (0..records.len()).collect();
        // The position breaks ties, which makes the unstable sorts below stable.
        let compare = |a: &usize, b: &usize| {
            let (x, y) = (
                &values[a * width..(a + 1) * width],
                &values[b * width..(b + 1) * width],
            );
            self.compare_keys(x, y).then(a.cmp(b))
        };
        if keep < order.len() {
            order.select_nth_unstable_by(keep - 1, compare);
            order.truncate(keep);
        }
        order.sort_unstable_by(compare);
        let sorted: Vec<&'a Value> = order.into_iter().map(|i| records[i]).collect();
        *records = sorted;
    }

    /// Sorts records in place; equal records keep their order (the sort is stable).
    pub fn sort<T: Borrow<Value>>(&self, records: &mut [T]) {
        if !self.keys.is_empty() {
            records.sort_by(|a, b| self.compare(a.borrow(), b.borrow()));
        }
    }
}

/// A non-zero integer direction, from a number or a string (Feathers' `parseInt`).
fn parse_direction(value: &Value) -> Option<i64> {
    let direction = match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
                .map(|f| f as i64)
        })?,
        Value::String(s) => s.trim().parse::<i64>().ok()?,
        _ => return None,
    };
    (direction != 0).then_some(direction)
}

/// The value of a field of an object. Small objects (most records) are scanned, which
/// skips hashing the name and the hash table's memory: over large stores the lookups
/// are bound by cache misses, not by comparisons.
pub fn field<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    if map.len() <= 12 {
        map.iter()
            .find(|(key, _)| key.as_str() == name)
            .map(|(_, value)| value)
    } else {
        map.get(name)
    }
}

/// The value at a dotted path: objects by key, arrays by index. `None` when missing.
pub fn lookup<'a>(record: &'a Value, path: &[String]) -> Option<&'a Value> {
    let mut current = record;
    for segment in path {
        current = match current {
            Value::Object(map) => field(map, segment)?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn names(records: &[Value]) -> Vec<&str> {
        records
            .iter()
            .map(|r| r["name"].as_str().unwrap_or("?"))
            .collect()
    }

    #[test]
    fn sorts_by_several_keys_in_the_given_order() -> Result<()> {
        let mut records = vec![
            json!({"name": "a", "age": 1, "group": 2}),
            json!({"name": "b", "age": 2, "group": 1}),
            json!({"name": "c", "age": 3, "group": 2}),
        ];
        let sort = Sort::parse(&json!({"group": "1", "age": "-1"}))?;
        sort.sort(&mut records);
        assert_eq!(names(&records), ["b", "c", "a"]);
        let sort = Sort::parse(&json!({"age": -1, "group": 1}))?;
        sort.sort(&mut records);
        assert_eq!(names(&records), ["c", "b", "a"]);
        Ok(())
    }

    #[test]
    fn dotted_keys_and_mixed_types() -> Result<()> {
        let mut records = vec![
            json!({"name": "obj", "a": {"b": {}}}),
            json!({"name": "str", "a": {"b": "x"}}),
            json!({"name": "missing"}),
            json!({"name": "num", "a": {"b": 5}}),
            json!({"name": "bool", "a": {"b": true}}),
            json!({"name": "null", "a": {"b": null}}),
            json!({"name": "arr", "a": {"b": [1]}}),
        ];
        Sort::parse(&json!({"a.b": 1}))?.sort(&mut records);
        assert_eq!(
            names(&records),
            ["missing", "null", "num", "str", "bool", "arr", "obj"]
        );
        Sort::parse(&json!({"a.b": -1}))?.sort(&mut records);
        assert_eq!(
            names(&records),
            ["obj", "arr", "bool", "str", "num", "null", "missing"]
        );
        Ok(())
    }

    #[test]
    fn equal_records_keep_their_order() -> Result<()> {
        let mut records = vec![
            json!({"name": "first", "k": 1}),
            json!({"name": "second", "k": 1}),
            json!({"name": "zero", "k": 0}),
        ];
        let sort = Sort::parse(&json!({"k": -1}))?;
        sort.sort(&mut records);
        assert_eq!(names(&records), ["first", "second", "zero"]);
        let (a, b) = (sort.key_of(&records[0]), sort.key_of(&records[2]));
        assert_eq!(
            sort.compare_keys(&a, &b),
            sort.compare(&records[0], &records[2])
        );
        assert_eq!(sort.compare_keys(&a, &b), Ordering::Less);
        Ok(())
    }

    #[test]
    fn sort_first_matches_a_full_sort() -> Result<()> {
        let records: Vec<Value> = (0..200)
            .map(|i| json!({"name": format!("n{i}"), "k": (i * 7919) % 13, "j": i % 3}))
            .collect();
        let sort = Sort::parse(&json!({"k": -1, "j": 1}))?;
        let mut full: Vec<&Value> = records.iter().collect();
        sort.sort(&mut full);
        for keep in [0, 1, 5, 13, 199, 200, 500] {
            let mut first: Vec<&Value> = records.iter().collect();
            sort.sort_first(&mut first, keep);
            assert_eq!(first, full[..keep.min(200)].to_vec(), "keep {keep}");
        }
        Ok(())
    }

    #[test]
    fn rejects_what_is_not_a_direction() {
        for bad in [
            json!("name"),
            json!([1]),
            json!({"a": 0}),
            json!({"a": "up"}),
            json!({"a": {}}),
            json!({"a": 1.5}),
        ] {
            let err = Sort::parse(&bad).err().map(|e| e.code());
            assert_eq!(err, Some(400), "{bad}");
        }
    }

    #[test]
    fn lookup_follows_objects_and_array_indices() {
        let record = json!({"a": {"b": [10, {"c": 7}]}});
        let path = |p: &str| p.split('.').map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(lookup(&record, &path("a.b.1.c")), Some(&json!(7)));
        assert_eq!(lookup(&record, &path("a.x")), None);
        assert_eq!(lookup(&record, &path("a.b.x")), None);
    }
}

//! The conditions of a query (everything but its filters) as a tree, and matching
//! records against it with sift's semantics, as Feathers' memory adapter does.
//!
//! A query object is a conjunction of its keys. A key is a field (dotted for nested
//! fields) or `$or` / `$and` with a list of query objects. A field's value is either a
//! value to equal or an object of operators: `$in`, `$nin`, `$lt`, `$lte`, `$gt`,
//! `$gte`, `$ne`, `$or` with a list of operator objects or values, and knex's `$like`,
//! `$notlike` and `$ilike` (see [`like`](crate::like)).
//!
//! SQL adapters translate [`Condition`] instead of calling [`Matcher::matches`]; both
//! read the same tree, so they answer the same.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use crate::coerce::{as_list, Operand, Typing};
use crate::error::{QueryError, Result};
use crate::like::{Like, LikeKind};
use crate::sort::field;

/// The operators allowed inside a field's object (Feathers' `OPERATORS`).
pub const OPERATORS: [&str; 8] = ["$in", "$nin", "$lt", "$lte", "$gt", "$gte", "$ne", "$or"];

/// A condition on records.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// Every condition holds: the keys of one query object, or `$and`.
    All(Vec<Condition>),
    /// At least one condition holds: `$or`. An empty list matches nothing.
    Any(Vec<Condition>),
    /// A field's value passes every operator.
    Field(FieldCondition),
}

/// The operators on one field.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldCondition {
    /// The field as given (`"address.city"`).
    pub field: String,
    /// The field split at the dots.
    pub path: Vec<String>,
    /// Every one must pass.
    pub operators: Vec<Operator>,
}

/// One operator on a field's value. Where the stored value is an array, an operator
/// passes when it passes for the array itself or for any element (`$ne` and `$nin`:
/// for none), as in sift and MongoDB.
#[derive(Clone, Debug, PartialEq)]
pub enum Operator {
    /// Equal to the value (a missing field equals null).
    Eq(Operand),
    /// `$ne`
    Ne(Operand),
    /// `$in`: equal to one of the values.
    In(Vec<Operand>),
    /// `$nin`: equal to none of the values.
    Nin(Vec<Operand>),
    /// `$lt`; as all four comparisons, only between values of the same type.
    Lt(Operand),
    /// `$lte`
    Lte(Operand),
    /// `$gt`
    Gt(Operand),
    /// `$gte`
    Gte(Operand),
    /// `$or` inside a field: one of the lists of operators passes entirely.
    Or(Vec<Vec<Operator>>),
    /// knex's `$like`, `$notlike` and `$ilike`: only strings pass.
    Like(Like),
}

/// A query's conditions, ready to test records.
#[derive(Clone, Debug, PartialEq)]
pub struct Matcher {
    condition: Condition,
}

impl Matcher {
    /// Parses a query's conditions: the query without its filters (`$limit`, `$skip`,
    /// `$sort`, `$select`), whose `$or` and `$and` stay. An unknown `$` key at the top
    /// is `BadRequest("Invalid filter value $x")`; inside a field's object or an
    /// `$or`/`$and` item it is `BadRequest("Invalid query parameter $x")` with the
    /// offending object as `data`.
    pub fn new(query: &Map<String, Value>, typing: Typing) -> Result<Matcher> {
        Ok(Matcher {
            condition: parse_query(query, typing, true)?,
        })
    }

    /// A matcher that accepts every record.
    pub fn all() -> Matcher {
        Matcher {
            condition: Condition::All(Vec::new()),
        }
    }

    /// The condition tree, for adapters that translate it (SQL).
    pub fn condition(&self) -> &Condition {
        &self.condition
    }

    /// True when the query has no conditions: every record matches.
    pub fn is_empty(&self) -> bool {
        matches!(&self.condition, Condition::All(conditions) if conditions.is_empty())
    }

    /// Whether `record` satisfies the query.
    pub fn matches(&self, record: &Value) -> bool {
        self.condition.matches(record)
    }
}

impl Condition {
    /// Whether `record` satisfies the condition.
    pub fn matches(&self, record: &Value) -> bool {
        match self {
            Condition::All(conditions) => conditions.iter().all(|c| c.matches(record)),
            Condition::Any(conditions) => conditions.iter().any(|c| c.matches(record)),
            Condition::Field(field) => field.matches(record),
        }
    }
}

impl FieldCondition {
    /// Whether the record's value at this field passes every operator.
    pub fn matches(&self, record: &Value) -> bool {
        if let [key] = self.path.as_slice() {
            let value = record.as_object().and_then(|map| field(map, key));
            return all_pass(&self.operators, &[value]);
        }
        let mut values = Vec::new();
        collect(record, &self.path, &mut values);
        all_pass(&self.operators, &values)
    }
}

/// The values a dotted path reaches: through objects by key, through arrays by index
/// or, for any other segment, through every element (as sift does). `None` stands for
/// a missing value.
fn collect<'a>(value: &'a Value, path: &[String], out: &mut Vec<Option<&'a Value>>) {
    let Some((first, rest)) = path.split_first() else {
        out.push(Some(value));
        return;
    };
    match value {
        Value::Object(map) => match field(map, first) {
            Some(next) => collect(next, rest, out),
            None => out.push(None),
        },
        Value::Array(items) => {
            if let Some(item) = first.parse::<usize>().ok().and_then(|i| items.get(i)) {
                return collect(item, rest, out);
            }
            let before = out.len();
            for item in items
                .iter()
                .filter(|item| item.is_object() || item.is_array())
            {
                collect(item, path, out);
            }
            if out.len() == before {
                out.push(None);
            }
        }
        _ => out.push(None),
    }
}

fn all_pass(operators: &[Operator], values: &[Option<&Value>]) -> bool {
    operators.iter().all(|op| op.passes(values))
}

/// Whether `value` equals `operand`, or is an array with an element that does.
fn equals(operand: &Operand, value: Option<&Value>) -> bool {
    if operand.equals(value) {
        return true;
    }
    match value {
        Some(Value::Array(items)) => items.iter().any(|item| operand.equals(Some(item))),
        _ => false,
    }
}

/// Whether `value` (or an element, for arrays) compares with `operand` as `accept` says.
fn compares(operand: &Operand, value: Option<&Value>, accept: fn(Ordering) -> bool) -> bool {
    match value {
        None => false,
        Some(Value::Array(items)) => items
            .iter()
            .any(|item| operand.compare(item).is_some_and(accept)),
        Some(value) => operand.compare(value).is_some_and(accept),
    }
}

impl Operator {
    /// Whether the operator passes for the values a field reached.
    fn passes(&self, values: &[Option<&Value>]) -> bool {
        let any = |test: &dyn Fn(Option<&Value>) -> bool| values.iter().any(|v| test(*v));
        match self {
            Operator::Eq(operand) => any(&|v| equals(operand, v)),
            Operator::Ne(operand) => !any(&|v| equals(operand, v)),
            Operator::In(operands) => any(&|v| operands.iter().any(|o| equals(o, v))),
            Operator::Nin(operands) => !any(&|v| operands.iter().any(|o| equals(o, v))),
            Operator::Lt(operand) => any(&|v| compares(operand, v, Ordering::is_lt)),
            Operator::Lte(operand) => any(&|v| compares(operand, v, Ordering::is_le)),
            Operator::Gt(operand) => any(&|v| compares(operand, v, Ordering::is_gt)),
            Operator::Gte(operand) => any(&|v| compares(operand, v, Ordering::is_ge)),
            Operator::Or(alternatives) => alternatives
                .iter()
                .any(|operators| all_pass(operators, values)),
            Operator::Like(like) => any(&|v| matches!(v, Some(Value::String(s)) if like.passes(s))),
        }
    }
}

/// A query object: its fields, `$or` and `$and`.
fn parse_query(query: &Map<String, Value>, typing: Typing, top_level: bool) -> Result<Condition> {
    let mut conditions = Vec::with_capacity(query.len());
    for (key, value) in query {
        match key.as_str() {
            "$or" => conditions.push(Condition::Any(parse_query_list(key, value, typing)?)),
            "$and" => conditions.push(Condition::All(parse_query_list(key, value, typing)?)),
            other if other.starts_with('$') => {
                return Err(if top_level {
                    QueryError::new(format!("Invalid filter value {other}"))
                } else {
                    invalid_parameter(other, query)
                });
            }
            field => conditions.push(Condition::Field(parse_field(field, value, typing)?)),
        }
    }
    Ok(match conditions.len() {
        1 if !top_level => conditions.remove(0),
        _ => Condition::All(conditions),
    })
}

/// The list of query objects of `$or` / `$and`.
fn parse_query_list(key: &str, value: &Value, typing: Typing) -> Result<Vec<Condition>> {
    let items = as_list(value, typing).ok_or_else(|| {
        QueryError::new(format!("{key} must be an array of queries, found {value}"))
    })?;
    items
        .into_iter()
        .map(|item| match item {
            Value::Object(map) => parse_query(map, typing, false),
            other => Err(QueryError::new(format!(
                "{key} must be an array of queries, found the item {other}"
            ))),
        })
        .collect()
}

fn parse_field(field: &str, value: &Value, typing: Typing) -> Result<FieldCondition> {
    if field.is_empty() || field.split('.').any(str::is_empty) {
        return Err(QueryError::new(format!("Invalid query field '{field}'")));
    }
    Ok(FieldCondition {
        field: field.to_owned(),
        path: field.split('.').map(str::to_owned).collect(),
        operators: parse_operand_or_operators(field, value, typing)?,
    })
}

/// A field's value: an object of operators, or a value to equal.
fn parse_operand_or_operators(field: &str, value: &Value, typing: Typing) -> Result<Vec<Operator>> {
    match value {
        Value::Object(map) if map.keys().any(|key| key.starts_with('$')) => {
            parse_operators(field, map, typing)
        }
        other => Ok(vec![Operator::Eq(operand(other, typing)?)]),
    }
}

fn parse_operators(field: &str, map: &Map<String, Value>, typing: Typing) -> Result<Vec<Operator>> {
    let mut operators = Vec::with_capacity(map.len());
    for (key, value) in map {
        let op = match key.as_str() {
            "$in" => Operator::In(operand_list(key, value, map, typing)?),
            "$nin" => Operator::Nin(operand_list(key, value, map, typing)?),
            "$lt" => Operator::Lt(operand(value, typing)?),
            "$lte" => Operator::Lte(operand(value, typing)?),
            "$gt" => Operator::Gt(operand(value, typing)?),
            "$gte" => Operator::Gte(operand(value, typing)?),
            "$ne" => Operator::Ne(operand(value, typing)?),
            "$or" => {
                let items = as_list(value, typing).ok_or_else(|| {
                    QueryError::new(format!(
                        "$or on '{field}' must be an array of values or operator objects, found {value}"
                    ))
                })?;
                let alternatives = items
                    .into_iter()
                    .map(|item| parse_operand_or_operators(field, item, typing))
                    .collect::<Result<_>>()?;
                Operator::Or(alternatives)
            }
            other if LikeKind::from_key(other).is_some() => {
                let pattern = value.as_str().ok_or_else(|| {
                    QueryError::new(format!("The value of {other} must be a string"))
                        .with_data(Value::Object(map.clone()))
                })?;
                Operator::Like(Like {
                    kind: LikeKind::from_key(other).unwrap_or(LikeKind::Like),
                    pattern: pattern.to_owned(),
                })
            }
            other if other.starts_with('$') => return Err(invalid_parameter(other, map)),
            other => {
                return Err(QueryError::new(format!(
                "Invalid query for '{field}': the operator object also has the field '{other}'; \
                     use '{field}.{other}' to query a nested field"
            ))
                .with_data(Value::Object(map.clone())))
            }
        };
        operators.push(op);
    }
    Ok(operators)
}

/// The values of `$in` / `$nin`: an array; from a query string also one value
/// (`?name[$in]=a` gives `{"$in": "a"}`).
fn operand_list(
    key: &str,
    value: &Value,
    owner: &Map<String, Value>,
    typing: Typing,
) -> Result<Vec<Operand>> {
    let items = match (as_list(value, typing), typing) {
        (Some(items), _) => items,
        (None, Typing::QueryString) if !value.is_object() => vec![value],
        (None, _) => {
            return Err(
                QueryError::new(format!("The value of {key} must be an array"))
                    .with_data(Value::Object(owner.clone())),
            )
        }
    };
    items
        .into_iter()
        .map(|item| operand(item, typing))
        .collect()
}

/// A value to compare with. Objects nested in it may not hold unknown `$` keys
/// (Feathers validates them, arrays included).
fn operand(value: &Value, typing: Typing) -> Result<Operand> {
    check_nested(value)?;
    Ok(Operand::new(value.clone(), typing))
}

fn check_nested(value: &Value) -> Result<()> {
    match value {
        Value::Object(map) => {
            if let Some(key) = map
                .keys()
                .find(|key| key.starts_with('$') && !OPERATORS.contains(&key.as_str()))
            {
                return Err(invalid_parameter(key, map));
            }
            map.values().try_for_each(check_nested)
        }
        Value::Array(items) => items.iter().try_for_each(check_nested),
        _ => Ok(()),
    }
}

fn invalid_parameter(key: &str, owner: &Map<String, Value>) -> QueryError {
    QueryError::new(format!("Invalid query parameter {key}"))
        .with_data(Value::Object(owner.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn matcher(query: Value, typing: Typing) -> Result<Matcher> {
        match query {
            Value::Object(map) => Matcher::new(&map, typing),
            _ => Err(QueryError::new("not an object")),
        }
    }

    fn people() -> Vec<Value> {
        vec![
            json!({"id": 0, "name": "Bob", "age": 25, "tags": ["a", "b"], "address": {"city": "Oslo"}}),
            json!({"id": 1, "name": "Doug", "age": 32, "done": true, "address": {"city": "Rome"}}),
            json!({"id": 2, "name": "Alice", "age": 19, "done": false, "nick": null, "pets": [{"kind": "cat"}, {"kind": "dog"}]}),
        ]
    }

    fn names(query: Value, typing: Typing) -> Result<Vec<String>> {
        let matcher = matcher(query, typing)?;
        Ok(people()
            .iter()
            .filter(|record| matcher.matches(record))
            .map(|record| record["name"].as_str().unwrap_or("?").to_owned())
            .collect())
    }

    fn strict(query: Value) -> Vec<String> {
        names(query, Typing::Strict).unwrap_or_else(|err| vec![format!("error: {err}")])
    }

    fn url(query: Value) -> Vec<String> {
        names(query, Typing::QueryString).unwrap_or_else(|err| vec![format!("error: {err}")])
    }

    #[test]
    fn equality_and_comparison_operators() {
        assert_eq!(strict(json!({"name": "Alice"})), ["Alice"]);
        assert_eq!(
            strict(json!({"name": "Alice", "age": 20})),
            Vec::<String>::new()
        );
        assert_eq!(strict(json!({"age": {"$lt": 30}})), ["Bob", "Alice"]);
        assert_eq!(strict(json!({"age": {"$lte": 25}})), ["Bob", "Alice"]);
        assert_eq!(strict(json!({"age": {"$gt": 30}})), ["Doug"]);
        assert_eq!(strict(json!({"age": {"$gte": 25}})), ["Bob", "Doug"]);
        assert_eq!(strict(json!({"age": {"$ne": 25}})), ["Doug", "Alice"]);
        assert_eq!(
            strict(json!({"age": {"$gt": 18, "$lt": 30}})),
            ["Bob", "Alice"]
        );
        assert_eq!(
            strict(json!({"name": {"$in": ["Alice", "Bob"]}})),
            ["Bob", "Alice"]
        );
        assert_eq!(
            strict(json!({"name": {"$nin": ["Alice", "Bob"]}})),
            ["Doug"]
        );
        assert_eq!(strict(json!({"name": {"$gt": "B"}})), ["Bob", "Doug"]);
    }

    #[test]
    fn or_and_and_nest() {
        assert_eq!(
            strict(json!({"$or": [{"name": "Alice"}, {"name": "Bob"}]})),
            ["Bob", "Alice"]
        );
        let nested = json!({"$or": [{"name": "Doug"}, {"age": {"$gte": 18, "$lt": 25}}]});
        assert_eq!(strict(nested), ["Doug", "Alice"]);
        assert_eq!(strict(json!({"$and": [{"age": 19}]})), ["Alice"]);
        assert_eq!(
            strict(json!({"$and": [{"$or": [{"name": "Alice"}]}]})),
            ["Alice"]
        );
        let deep = json!({"$or": [{"$and": [{"age": {"$gt": 20}}, {"$or": [{"done": true}, {"name": "Bob"}]}]}]});
        assert_eq!(strict(deep), ["Bob", "Doug"]);
        assert_eq!(
            strict(json!({"age": {"$or": [{"$lt": 20}, 32]}})),
            ["Doug", "Alice"]
        );
        assert_eq!(strict(json!({"$or": []})), Vec::<String>::new());
    }

    #[test]
    fn nulls_missing_fields_arrays_and_nested_paths() {
        assert_eq!(strict(json!({"nick": null})), ["Bob", "Doug", "Alice"]);
        assert_eq!(strict(json!({"done": {"$ne": null}})), ["Doug", "Alice"]);
        assert_eq!(strict(json!({"tags": "a"})), ["Bob"]);
        assert_eq!(strict(json!({"tags": ["a", "b"]})), ["Bob"]);
        assert_eq!(strict(json!({"tags": {"$nin": ["b"]}})), ["Doug", "Alice"]);
        assert_eq!(strict(json!({"tags": {"$gt": "a"}})), ["Bob"]);
        assert_eq!(strict(json!({"address.city": "Rome"})), ["Doug"]);
        assert_eq!(strict(json!({"address": {"city": "Oslo"}})), ["Bob"]);
        assert_eq!(strict(json!({"pets.kind": "dog"})), ["Alice"]);
        assert_eq!(strict(json!({"pets.1.kind": "dog"})), ["Alice"]);
        assert_eq!(strict(json!({"pets.0.kind": "dog"})), Vec::<String>::new());
    }

    #[test]
    fn json_queries_compare_strictly_by_type() {
        assert_eq!(strict(json!({"age": "25"})), Vec::<String>::new());
        assert_eq!(strict(json!({"age": {"$gt": "30"}})), Vec::<String>::new());
        assert_eq!(strict(json!({"done": "true"})), Vec::<String>::new());
        assert_eq!(strict(json!({"id": {"$in": ["1"]}})), Vec::<String>::new());
    }

    #[test]
    fn query_strings_compare_with_the_stored_type() {
        assert_eq!(url(json!({"age": "25"})), ["Bob"]);
        assert_eq!(url(json!({"age": {"$gt": "30"}})), ["Doug"]);
        assert_eq!(url(json!({"age": {"$ne": "25"}})), ["Doug", "Alice"]);
        assert_eq!(url(json!({"done": "true"})), ["Doug"]);
        assert_eq!(url(json!({"done": "false"})), ["Alice"]);
        assert_eq!(url(json!({"id": {"$in": ["1", "2"]}})), ["Doug", "Alice"]);
        assert_eq!(url(json!({"id": {"$in": "1"}})), ["Doug"]);
        assert_eq!(
            url(json!({"id": {"$in": {"0": "0", "1": "2"}}})),
            ["Bob", "Alice"]
        );
        assert_eq!(
            url(json!({"$or": {"0": {"name": "Bob"}, "1": {"age": "19"}}})),
            ["Bob", "Alice"]
        );
        assert_eq!(url(json!({"name": {"$gt": "B"}})), ["Bob", "Doug"]);
        assert_eq!(url(json!({"age": "abc"})), Vec::<String>::new());
    }

    #[test]
    fn unknown_operators_are_feathers_errors() {
        let err = matcher(json!({"$foo": 1}), Typing::Strict).err();
        assert_eq!(
            err.as_ref().map(QueryError::message),
            Some("Invalid filter value $foo")
        );
        assert_eq!(err.and_then(|e| e.data().cloned()), None);

        let err = matcher(json!({"name": {"$foo": "1"}}), Typing::Strict).err();
        assert_eq!(
            err.as_ref().map(QueryError::message),
            Some("Invalid query parameter $foo")
        );
        assert_eq!(
            err.and_then(|e| e.data().cloned()),
            Some(json!({"$foo": "1"}))
        );

        for (query, key) in [
            (json!({"name": {"$and": []}}), "$and"),
            (json!({"$or": [{"$limit": 1}]}), "$limit"),
            (json!({"a": {"b": {"$regex": "x"}}}), "$regex"),
            (json!({"a": {"$in": [{"$where": 1}]}}), "$where"),
            (json!({"a": {"$or": [{"$exists": true}]}}), "$exists"),
        ] {
            let err = matcher(query.clone(), Typing::Strict).err();
            assert_eq!(
                err.map(|e| e.message().to_owned()),
                Some(format!("Invalid query parameter {key}")),
                "{query}"
            );
        }
    }

    #[test]
    fn malformed_queries_are_bad_requests() {
        for query in [
            json!({"$or": {"name": "a"}}),
            json!({"$or": ["a"]}),
            json!({"$and": 5}),
            json!({"name": {"$in": "a"}}),
            json!({"name": {"$gt": 1, "first": "x"}}),
            json!({"": 1}),
            json!({"a..b": 1}),
        ] {
            let err = matcher(query.clone(), Typing::Strict)
                .err()
                .map(|e| e.code());
            assert_eq!(err, Some(400), "{query}");
        }
    }

    #[test]
    fn an_empty_query_matches_everything() -> Result<()> {
        let m = matcher(json!({}), Typing::Strict)?;
        assert!(m.is_empty());
        assert!(m.matches(&json!({"x": 1})));
        assert!(Matcher::all().matches(&json!(null)));
        Ok(())
    }
}

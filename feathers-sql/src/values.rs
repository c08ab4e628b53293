//! JSON values to SQL values: data for `create`/`update`/`patch` and query operands,
//! checked against the column's type. REST query strings carry every value as a
//! string, which is read as the column's type (`"30"` on an integer column is 30).

use feathers_core::json_kind;
use feathers_core::query::coerce::{is_null_text, parse_bool, parse_number};
use feathers_core::{Error, Result};
use serde_json::Value;

use crate::column::{Column, ColumnKind};
use crate::statement::Bind;

/// A value for a column: SQL NULL or a bound value.
#[derive(Clone, Debug, PartialEq)]
pub enum SqlValue {
    /// SQL NULL.
    Null,
    /// A value to bind.
    Bound(Bind),
}

fn mismatch(column: &Column, value: &Value) -> Error {
    Error::bad_request(format!(
        "Invalid value for '{}': expected {}, found {}",
        column.name,
        column.kind.described(),
        json_kind(value)
    ))
    .with_data(serde_json::json!({ column.name.clone(): value }))
}

fn number(column: &Column, value: &Value, n: &serde_json::Number) -> Result<Bind> {
    if let Some(int) = n.as_i64() {
        return Ok(match column.kind {
            ColumnKind::Float => Bind::Float(int as f64),
            _ => Bind::Int(int),
        });
    }
    match (n.as_f64(), &column.kind) {
        (Some(f), ColumnKind::Integer) if f.fract() == 0.0 && f.abs() < 9.0e18 => {
            Ok(Bind::Int(f as i64))
        }
        (Some(f), ColumnKind::Float) => Ok(Bind::Float(f)),
        _ => Err(mismatch(column, value)),
    }
}

/// A value of the data of `create`, `update` or `patch` for `column`. JSON columns
/// take any value (JSON null is stored as JSON `null`); other columns take their own
/// type or null.
pub fn data_value(column: &Column, value: &Value) -> Result<SqlValue> {
    if column.kind == ColumnKind::Json {
        return Ok(SqlValue::Bound(Bind::Text(value.to_string())));
    }
    strict_value(column, value)
}

/// A JSON query operand or data value for a non-JSON column, compared strictly.
pub fn strict_value(column: &Column, value: &Value) -> Result<SqlValue> {
    let bind = match (&column.kind, value) {
        (_, Value::Null) => return Ok(SqlValue::Null),
        (ColumnKind::Integer | ColumnKind::Float, Value::Number(n)) => number(column, value, n)?,
        (ColumnKind::Bool, Value::Bool(b)) => Bind::Bool(*b),
        (ColumnKind::Text | ColumnKind::TextCast(_), Value::String(s)) => Bind::Text(s.clone()),
        (ColumnKind::Json, other) => Bind::Text(other.to_string()),
        _ => return Err(mismatch(column, value)),
    };
    Ok(SqlValue::Bound(bind))
}

/// A query-string operand for a non-JSON column: the string read as the column's
/// type. `""` and `"null"` are null except on text columns, where they are also
/// themselves (the caller matches both).
pub fn url_value(column: &Column, value: &Value) -> Result<SqlValue> {
    let Value::String(text) = value else {
        return strict_value(column, value);
    };
    let bind = match &column.kind {
        ColumnKind::Text | ColumnKind::TextCast(_) => Bind::Text(text.clone()),
        _ if is_null_text(text) => return Ok(SqlValue::Null),
        ColumnKind::Integer | ColumnKind::Float => match parse_number(text) {
            Some(n) => number(column, value, &n)?,
            None => return Err(mismatch(column, value)),
        },
        ColumnKind::Bool => match parse_bool(text) {
            Some(b) => Bind::Bool(b),
            None => return Err(mismatch(column, value)),
        },
        ColumnKind::Json => Bind::Text(value.to_string()),
    };
    Ok(SqlValue::Bound(bind))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn column(kind: ColumnKind) -> Column {
        Column {
            name: "c".into(),
            kind,
            declared: String::new(),
            nullable: true,
        }
    }

    #[test]
    fn query_strings_are_read_as_the_column_type() -> Result<()> {
        let age = column(ColumnKind::Integer);
        assert_eq!(
            url_value(&age, &json!("30"))?,
            SqlValue::Bound(Bind::Int(30))
        );
        assert_eq!(
            url_value(&age, &json!("3.2e1"))?,
            SqlValue::Bound(Bind::Int(32))
        );
        assert_eq!(url_value(&age, &json!(""))?, SqlValue::Null);
        assert_eq!(
            url_value(&age, &json!("abc")).map_err(|e| e.code()),
            Err(400)
        );
        let done = column(ColumnKind::Bool);
        assert_eq!(
            url_value(&done, &json!("true"))?,
            SqlValue::Bound(Bind::Bool(true))
        );
        assert_eq!(
            url_value(&done, &json!("yes")).map_err(|e| e.code()),
            Err(400)
        );
        let name = column(ColumnKind::Text);
        assert_eq!(
            url_value(&name, &json!("30"))?,
            SqlValue::Bound(Bind::Text("30".into()))
        );
        Ok(())
    }

    #[test]
    fn json_values_must_have_the_column_type() {
        let age = column(ColumnKind::Integer);
        let err = strict_value(&age, &json!("25")).err();
        assert_eq!(
            err.map(|e| e.message().to_owned()),
            Some("Invalid value for 'c': expected an integer, found a string".into())
        );
        assert_eq!(
            strict_value(&age, &json!(2.5)).map_err(|e| e.code()),
            Err(400)
        );
        assert_eq!(
            strict_value(&column(ColumnKind::Float), &json!(2.5)).ok(),
            Some(SqlValue::Bound(Bind::Float(2.5)))
        );
        assert_eq!(
            data_value(&column(ColumnKind::Json), &json!({"a": [1]})).ok(),
            Some(SqlValue::Bound(Bind::Text("{\"a\":[1]}".into())))
        );
    }
}

//! A query's [`Condition`] tree as a SQL `WHERE` expression, with the semantics of the
//! memory adapter: a missing value equals null, `$ne`/`$nin` pass for null, the four
//! comparisons compare only values of one type, and a JSON array equals a value it
//! contains. Field names must be columns; `a.b` reaches into the JSON column `a`.

use feathers_core::query::{Condition, FieldCondition, Like, Operand, Operator, Typing};
use feathers_core::{Error, Result};
use serde_json::Value;

use crate::dialect::{quote, Dialect, JsonType};
use crate::schema::{Column, ColumnKind, TableSchema};
use crate::statement::{Bind, Statement, MAX_BINDS};
use crate::values::{strict_value, url_value, SqlValue};

/// The most values a `$in` or `$nin` list may hold.
pub const MAX_LIST: usize = 1_000;

/// What a field names: a column, or a path inside a JSON column.
#[derive(Clone, Debug)]
pub enum Target<'a> {
    /// A whole column.
    Column(&'a Column),
    /// `column.key.key`: a JSON column and the keys inside it.
    JsonPath(&'a Column, &'a [String]),
}

impl<'a> Target<'a> {
    /// Resolves a field's path against the table: its first part must be a column,
    /// and only JSON columns have parts below.
    pub fn resolve(schema: &'a TableSchema, field: &str, path: &'a [String]) -> Result<Target<'a>> {
        let (first, rest) = path
            .split_first()
            .ok_or_else(|| Error::bad_request(format!("Invalid query field '{field}'")))?;
        let column = schema.column(first).ok_or_else(|| {
            crate::schema::unknown_column(
                if rest.is_empty() { field } else { first },
                &schema.table,
            )
        })?;
        if rest.is_empty() {
            return Ok(Target::Column(column));
        }
        if column.kind != ColumnKind::Json {
            return Err(Error::bad_request(format!(
                "Invalid field '{field}': '{first}' is not a JSON column, so it has no nested fields"
            )));
        }
        Ok(Target::JsonPath(column, rest))
    }

    /// Whether values are JSON (a JSON column or a path in one).
    pub fn is_json(&self) -> bool {
        match self {
            Target::Column(column) => column.kind == ColumnKind::Json,
            Target::JsonPath(..) => true,
        }
    }

    /// The SQL expression of the target (binding path keys into `sql`).
    pub fn expression(&self, sql: &mut Statement) -> String {
        match self {
            Target::Column(column) => sql.dialect.compared(column),
            Target::JsonPath(column, keys) => {
                let mut expr = sql.dialect.compared(column);
                for key in keys.iter() {
                    let placeholder = sql.bind(Bind::Text(key.clone()));
                    expr = sql.dialect.json_member(&expr, &placeholder);
                }
                expr
            }
        }
    }
}

/// Translates conditions into SQL for one statement.
pub struct Translator<'a> {
    /// The table's columns.
    pub schema: &'a TableSchema,
    /// How query values are read.
    pub typing: Typing,
}

const TRUE: &str = "1=1";
const FALSE: &str = "1=0";

impl Translator<'_> {
    /// The SQL of `condition`, binding its values into `sql`.
    pub fn condition(&self, condition: &Condition, sql: &mut Statement) -> Result<String> {
        let out = match condition {
            Condition::All(items) if items.is_empty() => TRUE.to_owned(),
            Condition::All(items) => self.joined(items, " AND ", sql)?,
            Condition::Any(items) if items.is_empty() => FALSE.to_owned(),
            Condition::Any(items) => self.joined(items, " OR ", sql)?,
            Condition::Field(field) => self.field(field, sql)?,
        };
        if sql.binds.len() > MAX_BINDS {
            return Err(Error::bad_request(format!(
                "The query is too large: it needs more than {MAX_BINDS} values"
            )));
        }
        Ok(out)
    }

    fn joined(&self, items: &[Condition], with: &str, sql: &mut Statement) -> Result<String> {
        let parts = items
            .iter()
            .map(|item| self.condition(item, sql))
            .collect::<Result<Vec<_>>>()?;
        Ok(balanced(&parts, with))
    }

    fn field(&self, field: &FieldCondition, sql: &mut Statement) -> Result<String> {
        let target = Target::resolve(self.schema, &field.field, &field.path)?;
        self.operators(&target, &field.operators, sql)
    }

    fn operators(
        &self,
        target: &Target<'_>,
        operators: &[Operator],
        sql: &mut Statement,
    ) -> Result<String> {
        let parts = operators
            .iter()
            .map(|op| self.operator(target, op, sql))
            .collect::<Result<Vec<_>>>()?;
        Ok(match parts.len() {
            0 => TRUE.to_owned(),
            1 => parts.into_iter().next().unwrap_or_default(),
            _ => format!("({})", parts.join(" AND ")),
        })
    }

    fn operator(
        &self,
        target: &Target<'_>,
        operator: &Operator,
        sql: &mut Statement,
    ) -> Result<String> {
        Ok(match operator {
            Operator::Eq(operand) => self.equals(target, operand, sql)?,
            Operator::Ne(operand) => negated(&self.equals(target, operand, sql)?),
            Operator::In(operands) => self.one_of(target, operands, sql)?,
            Operator::Nin(operands) => negated(&self.one_of(target, operands, sql)?),
            Operator::Lt(operand) => self.compare(target, operand, "<", sql)?,
            Operator::Lte(operand) => self.compare(target, operand, "<=", sql)?,
            Operator::Gt(operand) => self.compare(target, operand, ">", sql)?,
            Operator::Gte(operand) => self.compare(target, operand, ">=", sql)?,
            Operator::Or(alternatives) => {
                if alternatives.is_empty() {
                    return Ok(FALSE.to_owned());
                }
                let parts = alternatives
                    .iter()
                    .map(|ops| self.operators(target, ops, sql))
                    .collect::<Result<Vec<_>>>()?;
                balanced(&parts, " OR ")
            }
            Operator::Like(like) => self.like(target, like, sql)?,
        })
    }

    /// A query operand for a non-JSON column.
    fn scalar(&self, column: &Column, operand: &Operand) -> Result<SqlValue> {
        match self.typing {
            Typing::Strict => strict_value(column, operand.value()),
            Typing::QueryString => url_value(column, operand.value()),
        }
    }

    fn equals(
        &self,
        target: &Target<'_>,
        operand: &Operand,
        sql: &mut Statement,
    ) -> Result<String> {
        match target {
            Target::Column(column) if column.kind != ColumnKind::Json => {
                let expr = target.expression(sql);
                let value = self.scalar(column, operand)?;
                Ok(self.scalar_equals(column, &expr, value, operand, sql))
            }
            _ => {
                let alternatives = self.json_readings(operand);
                let parts: Vec<String> = alternatives
                    .iter()
                    .map(|value| json_equals(target, value, sql))
                    .collect();
                Ok(any(parts))
            }
        }
    }

    /// `expr = value` for a scalar column. From a query string, `""` and `"null"`
    /// on a text column match both null and the text itself.
    fn scalar_equals(
        &self,
        column: &Column,
        expr: &str,
        value: SqlValue,
        operand: &Operand,
        sql: &mut Statement,
    ) -> String {
        match value {
            SqlValue::Null => format!("{expr} IS NULL"),
            SqlValue::Bound(bind) => {
                let null_text = self.typing == Typing::QueryString
                    && matches!(operand.value(), Value::String(s) if feathers_core::query::coerce::is_null_text(s))
                    && matches!(column.kind, ColumnKind::Text | ColumnKind::TextCast(_));
                let placeholder = sql.bind(bind);
                let value = sql.dialect.stored(column, &placeholder);
                if null_text {
                    format!("({expr} IS NULL OR {expr} = {value})")
                } else {
                    format!("{expr} = {value}")
                }
            }
        }
    }

    fn one_of(
        &self,
        target: &Target<'_>,
        operands: &[Operand],
        sql: &mut Statement,
    ) -> Result<String> {
        if operands.len() > MAX_LIST {
            return Err(Error::bad_request(format!(
                "Too many values in a $in or $nin list: {} (at most {MAX_LIST})",
                operands.len()
            )));
        }
        if operands.is_empty() {
            return Ok(FALSE.to_owned());
        }
        let column = match target {
            Target::Column(column) if column.kind != ColumnKind::Json => *column,
            _ => {
                let parts = operands
                    .iter()
                    .map(|operand| self.equals(target, operand, sql))
                    .collect::<Result<Vec<_>>>()?;
                return Ok(any(parts));
            }
        };
        let expr = target.expression(sql);
        let mut placeholders = Vec::with_capacity(operands.len());
        let mut extra = Vec::new();
        for operand in operands {
            match self.scalar(column, operand)? {
                SqlValue::Null => extra.push(format!("{expr} IS NULL")),
                SqlValue::Bound(bind) => {
                    let null_text = self.typing == Typing::QueryString
                        && matches!(operand.value(), Value::String(s) if feathers_core::query::coerce::is_null_text(s));
                    if null_text {
                        extra.push(format!("{expr} IS NULL"));
                    }
                    let placeholder = sql.bind(bind);
                    placeholders.push(sql.dialect.stored(column, &placeholder));
                }
            }
        }
        let mut parts = Vec::new();
        if !placeholders.is_empty() {
            parts.push(format!("{expr} IN ({})", placeholders.join(", ")));
        }
        parts.extend(extra);
        Ok(any(parts))
    }

    fn compare(
        &self,
        target: &Target<'_>,
        operand: &Operand,
        op: &str,
        sql: &mut Statement,
    ) -> Result<String> {
        match target {
            Target::Column(column) if column.kind != ColumnKind::Json => {
                match self.scalar(column, operand)? {
                    SqlValue::Null => Ok(FALSE.to_owned()),
                    SqlValue::Bound(bind) => {
                        let expr = target.expression(sql);
                        let placeholder = sql.bind(bind);
                        let value = sql.dialect.stored(column, &placeholder);
                        Ok(format!("{expr} {op} {value}"))
                    }
                }
            }
            _ => {
                let parts: Vec<String> = self
                    .json_readings(operand)
                    .iter()
                    .filter_map(|value| json_compare(target, value, op, sql))
                    .collect();
                Ok(any(parts))
            }
        }
    }

    /// The JSON values a query operand stands for: itself, and from a query string
    /// also the number, boolean or null it reads as (the stored value's type picks).
    fn json_readings(&self, operand: &Operand) -> Vec<Value> {
        let value = operand.value().clone();
        let Value::String(text) = &value else {
            return vec![value];
        };
        if self.typing == Typing::Strict {
            return vec![value];
        }
        let mut readings = Vec::with_capacity(3);
        if let Some(n) = feathers_core::query::coerce::parse_number(text) {
            readings.push(Value::Number(n));
        }
        if let Some(b) = feathers_core::query::coerce::parse_bool(text) {
            readings.push(Value::Bool(b));
        }
        if feathers_core::query::coerce::is_null_text(text) {
            readings.push(Value::Null);
        }
        readings.push(value);
        readings
    }

    fn like(&self, target: &Target<'_>, like: &Like, sql: &mut Statement) -> Result<String> {
        let text = match target {
            Target::Column(column) => match column.kind {
                ColumnKind::Text => target.expression(sql),
                ColumnKind::TextCast(_) if sql.dialect == Dialect::Postgres => {
                    format!("CAST({} AS text)", quote(&column.name))
                }
                ColumnKind::Json => json_string(target, sql),
                _ => {
                    return Err(Error::bad_request(format!(
                        "{} needs a text column, and '{}' holds {}",
                        like.kind.key(),
                        column.name,
                        column.kind.described()
                    )))
                }
            },
            Target::JsonPath(..) => json_string(target, sql),
        };
        let pattern = sql.dialect.like_pattern(like.kind, &like.pattern);
        let placeholder = sql.bind(Bind::Text(pattern));
        Ok(format!(
            "({})",
            sql.dialect.like(&text, like.kind, &placeholder)
        ))
    }
}

/// The text of a JSON string target, NULL for other JSON types.
fn json_string(target: &Target<'_>, sql: &mut Statement) -> String {
    let expr = target.expression(sql);
    let kind = json_type_is(sql.dialect, &expr, JsonType::String);
    let text = sql.dialect.json_text(&expr);
    format!("CASE WHEN {kind} THEN {text} END")
}

/// Whether a JSON target equals `value`, or is an array containing it. Null matches
/// a missing value and JSON null.
fn json_equals(target: &Target<'_>, value: &Value, sql: &mut Statement) -> String {
    let expr = target.expression(sql);
    if value.is_null() {
        let is_null = json_type_is(sql.dialect, &expr, JsonType::Null);
        return format!("({expr} IS NULL OR {is_null})");
    }
    let placeholder = sql.bind(Bind::Text(value.to_string()));
    let param = sql.dialect.json_param(&placeholder);
    let whole = format!("{expr} = {param}");
    let element_placeholder = sql.bind(Bind::Text(value.to_string()));
    let element = sql.dialect.json_param(&element_placeholder);
    let contains = sql.dialect.json_array_has(&expr, &element);
    format!("({whole} OR {contains})")
}

/// A comparison of a JSON target with a value of the same JSON type; `None` for
/// values that never compare (null, arrays, objects).
fn json_compare(
    target: &Target<'_>,
    value: &Value,
    op: &str,
    sql: &mut Statement,
) -> Option<String> {
    let (kind, bind) = match value {
        Value::Number(n) => (
            JsonType::Number,
            match (sql.dialect, n.as_i64()) {
                (Dialect::Postgres, _) => Bind::Text(value.to_string()),
                (Dialect::Sqlite, Some(i)) => Bind::Int(i),
                (Dialect::Sqlite, None) => Bind::Float(n.as_f64().unwrap_or(0.0)),
            },
        ),
        Value::String(s) => (
            JsonType::String,
            match sql.dialect {
                Dialect::Postgres => Bind::Text(value.to_string()),
                Dialect::Sqlite => Bind::Text(s.clone()),
            },
        ),
        Value::Bool(b) => (
            JsonType::Bool,
            match sql.dialect {
                Dialect::Postgres => Bind::Text(value.to_string()),
                Dialect::Sqlite => Bind::Int(i64::from(*b)),
            },
        ),
        _ => return None,
    };
    let expr = target.expression(sql);
    let guard = json_type_is(sql.dialect, &expr, kind);
    let scalar = sql.dialect.json_scalar(&expr);
    let placeholder = sql.bind(bind);
    let value = match sql.dialect {
        Dialect::Postgres => sql.dialect.json_param(&placeholder),
        Dialect::Sqlite => placeholder,
    };
    Some(format!("({guard} AND {scalar} {op} {value})"))
}

/// `json_type(expr) IN (..)` for one JSON type.
pub fn json_type_is(dialect: Dialect, expr: &str, kind: JsonType) -> String {
    let names: Vec<String> = dialect
        .json_type_names(kind)
        .iter()
        .map(|name| format!("'{name}'"))
        .collect();
    format!("{} IN ({})", dialect.json_type(expr), names.join(", "))
}

/// `NOT` with SQL's unknown read as false, so that `$ne`/`$nin` pass for null.
fn negated(condition: &str) -> String {
    format!("NOT COALESCE({condition}, FALSE)")
}

fn any(parts: Vec<String>) -> String {
    match parts.len() {
        0 => FALSE.to_owned(),
        1 => parts.into_iter().next().unwrap_or_default(),
        _ => balanced(&parts, " OR "),
    }
}

/// The terms joined by `AND` or `OR` in a balanced tree of parentheses.
///
/// `a OR b OR c OR d` groups from the left, `(((a OR b) OR c) OR d)`: the first term
/// sits as many levels deep as there are terms, and SQLite refuses expressions deeper
/// than 1,000 levels. `((a OR b) OR (c OR d))` means the same and nests only
/// log2(terms) levels, so a long `$or` or `$in` cannot reach that limit.
fn balanced(parts: &[String], with: &str) -> String {
    // Up to four terms a flat list is as shallow as a tree, and reads better.
    const FLAT: usize = 4;
    if parts.len() <= FLAT {
        return format!("({})", parts.join(with));
    }
    let (left, right) = parts.split_at(parts.len() / 2);
    format!("({}{with}{})", balanced(left, with), balanced(right, with))
}

#[cfg(test)]
mod tests {
    use super::balanced;

    /// The deepest nesting of parentheses in `sql`.
    fn depth(sql: &str) -> usize {
        let mut deepest = 0;
        let mut open = 0usize;
        for c in sql.chars() {
            match c {
                '(' => {
                    open += 1;
                    deepest = deepest.max(open);
                }
                ')' => open = open.saturating_sub(1),
                _ => {}
            }
        }
        deepest
    }

    #[test]
    fn long_lists_nest_logarithmically_and_keep_their_order() {
        let parts: Vec<String> = (0..1_000).map(|i| format!("t{i}")).collect();
        let sql = balanced(&parts, " OR ");
        assert!(depth(&sql) <= 10, "{} levels", depth(&sql));
        let terms: Vec<&str> = sql
            .split(" OR ")
            .map(|t| t.trim_matches(|c| c == '(' || c == ')'))
            .collect();
        assert_eq!(terms, parts.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(balanced(&parts[..3], " AND "), "(t0 AND t1 AND t2)");
    }
}

//! The parts of a statement built from a query's filters: the select list (`$select`),
//! `ORDER BY` (`$sort`), and `WHERE` (the conditions, plus an id).

use feathers_core::query::{Query, Sort, Typing};
use feathers_core::Result;

use crate::condition::{Target, Translator};
use crate::dialect::{Dialect, JsonType};
use crate::schema::{Column, TableSchema};
use crate::statement::{Bind, Statement};

/// The columns a `$select` answers: those named (each must be a column) and the id,
/// in table order; every column without `$select`.
pub fn selected_columns<'a>(
    schema: &'a TableSchema,
    select: Option<&[String]>,
    id_field: &str,
) -> Result<Vec<&'a Column>> {
    let Some(fields) = select else {
        return Ok(schema.columns.iter().collect());
    };
    for field in fields {
        schema.require(field)?;
    }
    Ok(schema
        .columns
        .iter()
        .filter(|column| column.name == id_field || fields.contains(&column.name))
        .collect())
}

/// The select list for these columns.
pub fn select_list(dialect: Dialect, columns: &[&Column]) -> String {
    columns
        .iter()
        .map(|column| dialect.output(column))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `ORDER BY` for `$sort`, ending with the id so that equal records keep their
/// insertion order (for generated integer ids) and pages never overlap. JSON values
/// order by type first (null, numbers, strings, booleans, arrays, objects), as
/// Feathers' memory adapter does, with a missing value before a JSON null.
pub fn order_by(
    schema: &TableSchema,
    sort: Option<&Sort>,
    id: &Column,
    sql: &mut Statement,
) -> Result<String> {
    let dialect = sql.dialect;
    let mut parts = Vec::new();
    for key in sort.map(Sort::keys).unwrap_or_default() {
        let target = Target::resolve(schema, &key.field, &key.path)?;
        let nullable = match &target {
            Target::Column(column) => column.nullable,
            Target::JsonPath(..) => true,
        };
        let direction = dialect.direction(key.descending, nullable);
        if target.is_json() {
            let expr = target.expression(sql);
            parts.push(format!("{} {direction}", json_rank(dialect, &expr)));
            parts.push(format!(
                "CASE WHEN {expr} IS NULL THEN 0 ELSE 1 END {direction}"
            ));
            parts.push(format!("{} {direction}", dialect.json_scalar(&expr)));
        } else {
            parts.push(format!("{} {direction}", target.expression(sql)));
        }
    }
    if !parts
        .iter()
        .any(|part| part.starts_with(&crate::dialect::quote(&id.name)))
    {
        parts.push(format!("{} ASC", crate::dialect::quote(&id.name)));
    }
    Ok(format!(" ORDER BY {}", parts.join(", ")))
}

/// The rank of a JSON value's type in the sort order.
fn json_rank(dialect: Dialect, expr: &str) -> String {
    let mut cases = String::from("CASE");
    for (rank, kind) in [
        (1, JsonType::Number),
        (2, JsonType::String),
        (3, JsonType::Bool),
        (4, JsonType::Array),
        (5, JsonType::Object),
    ] {
        cases.push_str(&format!(
            " WHEN {} THEN {rank}",
            crate::condition::json_type_is(dialect, expr, kind)
        ));
    }
    cases.push_str(" ELSE 0 END");
    cases
}

/// ` WHERE ..` for the query's conditions, and the id when there is one.
pub fn where_clause(
    schema: &TableSchema,
    query: &Query,
    typing: Typing,
    id: Option<(&Column, Bind)>,
    sql: &mut Statement,
) -> Result<String> {
    let translator = Translator { schema, typing };
    let mut parts = Vec::new();
    if let Some((column, value)) = id {
        let placeholder = sql.bind(value);
        let stored = sql.dialect.stored(column, &placeholder);
        parts.push(format!(
            "{} = {stored}",
            crate::dialect::quote(&column.name)
        ));
    }
    if !query.matcher.is_empty() {
        parts.push(translator.condition(query.matcher.condition(), sql)?);
    }
    Ok(if parts.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", parts.join(" AND "))
    })
}

/// ` LIMIT .. OFFSET ..` (bound values).
pub fn limit_offset(limit: Option<u64>, skip: u64, sql: &mut Statement) -> String {
    let clamp = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let mut out = String::new();
    match limit {
        Some(limit) => {
            let placeholder = sql.bind(Bind::Int(clamp(limit)));
            out.push_str(&format!(" LIMIT {placeholder}"));
        }
        None if skip > 0 && sql.dialect == Dialect::Sqlite => out.push_str(" LIMIT -1"),
        None => {}
    }
    if skip > 0 {
        let placeholder = sql.bind(Bind::Int(clamp(skip)));
        out.push_str(&format!(" OFFSET {placeholder}"));
    }
    out
}

//! Running statements on either database and reading rows back as JSON records, by
//! the kinds of the columns selected.

use feathers_core::Result;
use serde_json::{Map, Value};
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Postgres, Row, Sqlite, TypeInfo, ValueRef};

use crate::column::{Column, ColumnKind};
use crate::errors::database_error;
use crate::pool::SqlPool;
use crate::statement::{Bind, Statement};

type Record = Map<String, Value>;

pub(crate) fn sqlite_query(
    stmt: &Statement,
) -> sqlx::query::Query<'_, Sqlite, SqliteArguments<'_>> {
    let mut query = sqlx::query(&stmt.text);
    for bind in &stmt.binds {
        query = match bind {
            Bind::Int(i) => query.bind(*i),
            Bind::Float(f) => query.bind(*f),
            Bind::Bool(b) => query.bind(*b),
            Bind::Text(s) => query.bind(s.as_str()),
        };
    }
    query
}

fn pg_query(stmt: &Statement) -> sqlx::query::Query<'_, Postgres, PgArguments> {
    let mut query = sqlx::query(&stmt.text);
    for bind in &stmt.binds {
        query = match bind {
            Bind::Int(i) => query.bind(*i),
            Bind::Float(f) => query.bind(*f),
            Bind::Bool(b) => query.bind(*b),
            Bind::Text(s) => query.bind(s.as_str()),
        };
    }
    query
}

/// Runs a statement that answers rows of `columns`.
pub(crate) async fn fetch(
    pool: &SqlPool,
    table: &str,
    stmt: &Statement,
    columns: &[&Column],
) -> Result<Vec<Record>> {
    let failed = |err| database_error(table, err);
    match pool {
        SqlPool::Sqlite(pool) => {
            let rows = sqlite_query(stmt).fetch_all(pool).await.map_err(failed)?;
            rows.iter()
                .map(|row| sqlite_record(row, columns).map_err(failed))
                .collect()
        }
        SqlPool::Postgres(pool) => {
            let rows = pg_query(stmt).fetch_all(pool).await.map_err(failed)?;
            rows.iter()
                .map(|row| pg_record(row, columns).map_err(failed))
                .collect()
        }
    }
}

/// Runs a statement answering one integer (a count).
pub(crate) async fn fetch_count(pool: &SqlPool, table: &str, stmt: &Statement) -> Result<u64> {
    let failed = |err| database_error(table, err);
    let count: i64 = match pool {
        SqlPool::Sqlite(pool) => sqlite_query(stmt)
            .fetch_one(pool)
            .await
            .and_then(|row| row.try_get(0)),
        SqlPool::Postgres(pool) => pg_query(stmt)
            .fetch_one(pool)
            .await
            .and_then(|row| row.try_get(0)),
    }
    .map_err(failed)?;
    Ok(u64::try_from(count).unwrap_or(0))
}

/// Runs statements that answer rows of `columns` in one transaction: all of them
/// take effect, or (on the first error) none.
pub(crate) async fn fetch_in_transaction(
    pool: &SqlPool,
    table: &str,
    stmts: &[Statement],
    columns: &[&Column],
) -> Result<Vec<Vec<Record>>> {
    let failed = |err| database_error(table, err);
    let mut answers = Vec::with_capacity(stmts.len());
    match pool {
        SqlPool::Sqlite(pool) => {
            let mut tx = pool.begin().await.map_err(failed)?;
            for stmt in stmts {
                let rows = sqlite_query(stmt)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(failed)?;
                answers.push(
                    rows.iter()
                        .map(|row| sqlite_record(row, columns).map_err(failed))
                        .collect::<Result<Vec<_>>>()?,
                );
            }
            tx.commit().await.map_err(failed)?;
        }
        SqlPool::Postgres(pool) => {
            let mut tx = pool.begin().await.map_err(failed)?;
            for stmt in stmts {
                let rows = pg_query(stmt).fetch_all(&mut *tx).await.map_err(failed)?;
                answers.push(
                    rows.iter()
                        .map(|row| pg_record(row, columns).map_err(failed))
                        .collect::<Result<Vec<_>>>()?,
                );
            }
            tx.commit().await.map_err(failed)?;
        }
    }
    Ok(answers)
}

/// A JSON number from a float; NaN and infinities (which JSON lacks) become null.
fn float(f: f64) -> Value {
    serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
}

pub(crate) fn sqlite_record(
    row: &SqliteRow,
    columns: &[&Column],
) -> std::result::Result<Record, sqlx::Error> {
    let mut record = Map::with_capacity(columns.len());
    for (i, column) in columns.iter().enumerate() {
        let raw = row.try_get_raw(i)?;
        let storage = if raw.is_null() {
            None
        } else {
            Some(raw.type_info())
        };
        let value = match storage.as_deref().map(TypeInfo::name) {
            None => Value::Null,
            Some("INTEGER") => {
                let int: i64 = row.try_get_unchecked(i)?;
                match column.kind {
                    ColumnKind::Bool => Value::Bool(int != 0),
                    ColumnKind::Float => float(int as f64),
                    _ => Value::from(int),
                }
            }
            Some("REAL") => {
                let f: f64 = row.try_get_unchecked(i)?;
                float(f)
            }
            _ => {
                let text: String = row.try_get_unchecked(i)?;
                match column.kind {
                    ColumnKind::Json => serde_json::from_str(&text).unwrap_or(Value::String(text)),
                    _ => Value::String(text),
                }
            }
        };
        record.insert(column.name.clone(), value);
    }
    Ok(record)
}

fn pg_record(row: &PgRow, columns: &[&Column]) -> std::result::Result<Record, sqlx::Error> {
    let mut record = Map::with_capacity(columns.len());
    for (i, column) in columns.iter().enumerate() {
        let value = match column.kind {
            ColumnKind::Integer => row.try_get::<Option<i64>, _>(i)?.map(Value::from),
            ColumnKind::Float => row.try_get::<Option<f64>, _>(i)?.map(float),
            ColumnKind::Bool => row.try_get::<Option<bool>, _>(i)?.map(Value::Bool),
            ColumnKind::Json => row.try_get::<Option<Value>, _>(i)?,
            ColumnKind::Text | ColumnKind::TextCast(_) => {
                row.try_get::<Option<String>, _>(i)?.map(Value::String)
            }
        };
        record.insert(column.name.clone(), value.unwrap_or(Value::Null));
    }
    Ok(record)
}

//! The columns of a table and their types, read from the database when a service is
//! built: they decide how values are bound and read back, and which names a query may
//! use.

use feathers_core::{Error, Result};
use sqlx::Row;

pub use crate::column::{Column, ColumnKind};
use crate::pool::SqlPool;

/// The columns of a table, in their order in the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableSchema {
    /// The table's name as given (possibly `schema.table` on PostgreSQL).
    pub table: String,
    /// The columns.
    pub columns: Vec<Column>,
}

impl TableSchema {
    /// The column named `name`, if the table has one.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|column| column.name == name)
    }

    /// The column named `name`, or a 400 naming it.
    pub fn require(&self, name: &str) -> Result<&Column> {
        self.column(name)
            .ok_or_else(|| unknown_column(name, &self.table))
    }

    /// Reads the columns of `table`. A table that does not exist, or that the
    /// database cannot describe, is an error naming it.
    pub async fn load(pool: &SqlPool, table: &str) -> Result<TableSchema> {
        let failed = |err: sqlx::Error| {
            Error::general(format!(
                "cannot read the columns of the table '{table}': {err}"
            ))
        };
        let columns = match pool {
            SqlPool::Sqlite(pool) => {
                let rows = sqlx::query(
                    "SELECT name, type, \"notnull\" = 0 AND pk = 0 FROM pragma_table_info(?1)",
                )
                .bind(table)
                .fetch_all(pool)
                .await
                .map_err(failed)?;
                rows.iter()
                    .map(|row| {
                        let name: String = row.try_get(0)?;
                        let declared: String = row.try_get(1)?;
                        let nullable: bool = row.try_get(2)?;
                        Ok(Column {
                            kind: sqlite_kind(&declared),
                            name,
                            declared,
                            nullable,
                        })
                    })
                    .collect::<std::result::Result<Vec<_>, sqlx::Error>>()
                    .map_err(failed)?
            }
            SqlPool::Postgres(pool) => {
                let (schema, name) = match table.split_once('.') {
                    Some((schema, name)) => (Some(schema), name),
                    None => (None, table),
                };
                let rows = sqlx::query(
                    "SELECT column_name::text, udt_name::text, is_nullable = 'YES' FROM information_schema.columns \
                     WHERE table_schema = COALESCE($1, current_schema()) AND table_name = $2 \
                     ORDER BY ordinal_position",
                )
                .bind(schema)
                .bind(name)
                .fetch_all(pool)
                .await
                .map_err(failed)?;
                rows.iter()
                    .map(|row| {
                        let name: String = row.try_get(0)?;
                        let declared: String = row.try_get(1)?;
                        let nullable: bool = row.try_get(2)?;
                        Ok(Column {
                            kind: postgres_kind(&declared),
                            name,
                            declared,
                            nullable,
                        })
                    })
                    .collect::<std::result::Result<Vec<_>, sqlx::Error>>()
                    .map_err(failed)?
            }
        };
        if columns.is_empty() {
            return Err(Error::general(format!(
                "the table '{table}' does not exist (or has no columns): run the migrations that create it first"
            )));
        }
        Ok(TableSchema {
            table: table.to_owned(),
            columns,
        })
    }
}

/// The 400 for a name that is not a column.
pub fn unknown_column(name: &str, table: &str) -> Error {
    Error::bad_request(format!(
        "Unknown field '{name}': the table '{table}' has no such column"
    ))
}

/// A SQLite column's kind from its declared type. SQLite itself only knows storage
/// classes; the declared type says what the application meant: `BOOLEAN`/`BOOL` are
/// booleans and a type containing `JSON` holds JSON text. The rest follows SQLite's
/// affinity rules (a type containing `INT` is an integer, `CHAR`/`CLOB`/`TEXT` a
/// string, `REAL`/`FLOA`/`DOUB` a float); anything else (`NUMERIC`, `DECIMAL`) is a
/// float, and a column without a type is text.
pub fn sqlite_kind(declared: &str) -> ColumnKind {
    let upper = declared.to_ascii_uppercase();
    if upper.contains("JSON") {
        ColumnKind::Json
    } else if upper.starts_with("BOOL") {
        ColumnKind::Bool
    } else if upper.contains("INT") {
        ColumnKind::Integer
    } else if upper.contains("CHAR")
        || upper.contains("CLOB")
        || upper.contains("TEXT")
        || upper.is_empty()
        || upper.contains("UUID")
        || upper.contains("DATE")
        || upper.contains("TIME")
    {
        ColumnKind::Text
    } else {
        ColumnKind::Float
    }
}

/// A PostgreSQL column's kind from its type (`udt_name`).
pub fn postgres_kind(udt: &str) -> ColumnKind {
    match udt {
        "int2" | "int4" | "int8" | "oid" => ColumnKind::Integer,
        "float4" | "float8" | "numeric" => ColumnKind::Float,
        "bool" => ColumnKind::Bool,
        "text" | "varchar" | "bpchar" | "name" | "citext" => ColumnKind::Text,
        "json" | "jsonb" => ColumnKind::Json,
        other => ColumnKind::TextCast(other.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_types_decide_the_kind() {
        assert_eq!(sqlite_kind("INTEGER"), ColumnKind::Integer);
        assert_eq!(sqlite_kind("bigint"), ColumnKind::Integer);
        assert_eq!(sqlite_kind("BOOLEAN"), ColumnKind::Bool);
        assert_eq!(sqlite_kind("JSON"), ColumnKind::Json);
        assert_eq!(sqlite_kind("VARCHAR(20)"), ColumnKind::Text);
        assert_eq!(sqlite_kind("REAL"), ColumnKind::Float);
        assert_eq!(sqlite_kind(""), ColumnKind::Text);
        assert_eq!(postgres_kind("jsonb"), ColumnKind::Json);
        assert_eq!(postgres_kind("int4"), ColumnKind::Integer);
        assert_eq!(postgres_kind("uuid"), ColumnKind::TextCast("uuid".into()));
    }
}

//! [`SqlService`] itself: the pool, the table's description and the options it shares
//! between clones, and the helpers every method uses.

use std::sync::Arc;

use feathers_core::Result;
use serde_json::{Map, Value};

use crate::column::Column;
use crate::exec::{fetch, fetch_in_transaction};
use crate::options::SqlOptions;
use crate::pool::SqlPool;
use crate::schema::TableSchema;
use crate::statement::Statement;
use crate::writer::SqliteWriter;

/// A service keeping its records in a SQL table (SQLite or PostgreSQL), with the
/// memory adapter's semantics and options. Build it with [`SqlService::builder`]:
///
/// ```no_run
/// use feathers_sql::{AdapterBuilder, SqlService};
///
/// # async fn demo() -> feathers_runtime::Result<()> {
/// let pool = feathers_sql::connect("sqlite://app.sqlite").await?;
/// let todos = SqlService::builder(pool, "todos")
///     .paginate(10, 50)
///     .multi(true)
///     .build()
///     .await?;
/// let app = feathers_runtime::App::builder().service_at("todos", todos).build()?;
/// # Ok(()) }
/// ```
///
/// It is an [`Adapter`](feathers_core::adapter::Adapter): a `Service`, with the typed
/// methods of [`AdapterExt`](feathers_core::adapter::AdapterExt) (`find`, `get`, ..).
/// A clone shares the pool and the table description, so a `#[service]` of your own
/// can hold one, call its methods or name it as its `delegate`.
#[derive(Clone)]
pub struct SqlService {
    pub(super) inner: Arc<Inner>,
}

/// What the clones of a service share.
pub(super) struct Inner {
    pub(super) pool: SqlPool,
    pub(super) schema: TableSchema,
    /// The table's name, quoted for SQL.
    pub(super) table_sql: String,
    pub(super) options: SqlOptions,
    /// The id column.
    pub(super) id: Column,
    /// On a SQLite file, the writer that commits the table's writes in groups.
    writer: Option<SqliteWriter>,
}

impl Inner {
    /// Runs write statements (an insert, update or delete answering its rows), all of
    /// them or none: through the writer on a SQLite file, straight on the pool
    /// otherwise (PostgreSQL writes concurrently).
    pub(super) async fn write(
        &self,
        statements: Vec<Statement>,
        columns: &[&Column],
    ) -> Result<Vec<Vec<Map<String, Value>>>> {
        let table = &self.schema.table;
        if statements.is_empty() {
            return Ok(Vec::new());
        }
        match (&self.writer, statements.as_slice()) {
            (Some(writer), _) => writer.write(table, statements, columns).await,
            (None, [one]) => Ok(vec![fetch(&self.pool, table, one, columns).await?]),
            (None, all) => fetch_in_transaction(&self.pool, table, all, columns).await,
        }
    }
}

impl std::fmt::Debug for SqlService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlService")
            .field("table", &self.inner.schema.table)
            .field("dialect", &self.inner.pool.dialect())
            .field("options", &self.inner.options)
            .finish()
    }
}

impl SqlService {
    /// A service on the table `schema` describes, `id` being its id column.
    pub(super) async fn new(
        pool: SqlPool,
        schema: TableSchema,
        options: SqlOptions,
        id: Column,
    ) -> Result<SqlService> {
        let writer = match &pool {
            SqlPool::Sqlite(sqlite) => SqliteWriter::start(sqlite, &schema.table).await?,
            SqlPool::Postgres(_) => None,
        };
        Ok(SqlService {
            inner: Arc::new(Inner {
                writer,
                table_sql: pool.dialect().table(&schema.table),
                pool,
                schema,
                options,
                id,
            }),
        })
    }

    /// The options in effect.
    pub fn options(&self) -> &SqlOptions {
        &self.inner.options
    }

    /// The table's columns, as read when the service was built.
    pub fn schema(&self) -> &TableSchema {
        &self.inner.schema
    }

    /// The pool.
    pub fn pool(&self) -> &SqlPool {
        &self.inner.pool
    }

    /// An empty statement in the pool's dialect.
    pub(super) fn statement(&self) -> Statement {
        Statement::new(self.inner.pool.dialect())
    }

    /// The table's name as given, for errors.
    pub(super) fn table(&self) -> &str {
        &self.inner.schema.table
    }

    /// Every field of the data must be a column: a 400 naming the first that is not.
    pub(super) fn check_fields(&self, record: &Map<String, Value>) -> Result<()> {
        for name in record.keys() {
            self.inner.schema.require(name)?;
        }
        Ok(())
    }

    /// A record as answered: without NULL columns when `omit_nulls` is set.
    pub(super) fn shown(&self, mut record: Map<String, Value>) -> Value {
        if self.inner.options.omit_nulls {
            let id = &self.inner.id.name;
            record.retain(|name, value| !value.is_null() || name == id);
        }
        Value::Object(record)
    }
}

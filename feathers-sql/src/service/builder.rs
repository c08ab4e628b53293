//! [`SqlServiceBuilder`]: a [`SqlService`]'s options, then the table's columns read
//! once, at startup.

use feathers_core::query::{ConditionLimits, Paginate};
use feathers_core::{Error, Multi, Result};

use super::state::SqlService;
use crate::options::{IdGeneration, SqlOptions};
use crate::pool::SqlPool;
use crate::schema::TableSchema;

impl SqlService {
    /// Starts building a service on `table` (`schema.table` on PostgreSQL).
    pub fn builder(pool: impl Into<SqlPool>, table: impl Into<String>) -> SqlServiceBuilder {
        SqlServiceBuilder {
            pool: pool.into(),
            table: table.into(),
            options: SqlOptions::default(),
        }
    }
}

/// Builds a [`SqlService`]: options first, then [`build`](Self::build) reads the
/// table's columns.
#[derive(Debug)]
pub struct SqlServiceBuilder {
    pool: SqlPool,
    table: String,
    options: SqlOptions,
}

impl SqlServiceBuilder {
    /// Names the id column (default `id`).
    pub fn id_field(mut self, name: impl Into<String>) -> SqlServiceBuilder {
        self.options.id_field = name.into();
        self
    }

    /// Who makes the ids of records created without one (default: the database).
    pub fn ids(mut self, ids: IdGeneration) -> SqlServiceBuilder {
        self.options.ids = ids;
        self
    }

    /// Paginates `find`: pages of `default` records, `$limit` up to `max`.
    pub fn paginate(self, default: u64, max: u64) -> SqlServiceBuilder {
        self.pagination(Some(Paginate::new(default, max)))
    }

    /// Sets or removes pagination.
    pub fn pagination(mut self, paginate: Option<Paginate>) -> SqlServiceBuilder {
        self.options.paginate = paginate.filter(Paginate::is_active);
        self
    }

    /// Which methods may act on many records: `true`, `false`, or a list such as
    /// `["create", "patch"]`.
    pub fn multi(mut self, multi: impl Into<Multi>) -> SqlServiceBuilder {
        self.options.multi = multi.into();
        self
    }

    /// Custom events the service may emit.
    pub fn events<I, S>(mut self, events: I) -> SqlServiceBuilder
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.options.events = events.into_iter().map(Into::into).collect();
        self
    }

    /// Leave NULL columns out of records instead of answering `null` (default off).
    pub fn omit_nulls(mut self, omit: bool) -> SqlServiceBuilder {
        self.options.omit_nulls = omit;
        self
    }

    /// How wide and deep a query's conditions may be (default: 100 terms in one
    /// `$or`, `$and` or query object, 10 levels). Past them a call is a 400 naming
    /// the limit, on SQLite and PostgreSQL alike.
    pub fn condition_limits(mut self, limits: ConditionLimits) -> SqlServiceBuilder {
        self.options.condition_limits = limits;
        self
    }

    /// Replaces every option.
    pub fn options(mut self, options: SqlOptions) -> SqlServiceBuilder {
        self.options = options;
        self
    }

    /// Reads the table's columns and answers the service. A table the database
    /// cannot describe, or one without the id column, is an error naming it: call
    /// this at startup.
    pub async fn build(self) -> Result<SqlService> {
        let schema = TableSchema::load(&self.pool, &self.table).await?;
        let id = schema
            .column(&self.options.id_field)
            .cloned()
            .ok_or_else(|| {
                Error::general(format!(
                    "the id field '{}' is not a column of the table '{}' (its columns: {})",
                    self.options.id_field,
                    self.table,
                    schema
                        .columns
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
        Ok(SqlService::new(self.pool, schema, self.options, id))
    }
}

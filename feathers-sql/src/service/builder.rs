//! [`SqlServiceBuilder`]: a [`SqlService`]'s options, then the table's columns read
//! once, at startup.

use feathers_core::adapter::{AdapterBuilder, AdapterOptions};
use feathers_core::query::ConditionLimits;
use feathers_core::{Error, Result};

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

/// Builds a [`SqlService`]: options first (those every adapter has through
/// [`AdapterBuilder`], `id_field` naming the id column), then [`build`](Self::build)
/// reads the table's columns.
#[derive(Debug)]
pub struct SqlServiceBuilder {
    pool: SqlPool,
    table: String,
    options: SqlOptions,
}

impl SqlServiceBuilder {
    /// Who makes the ids of records created without one (default: the database).
    pub fn ids(mut self, ids: IdGeneration) -> SqlServiceBuilder {
        self.options.ids = ids;
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
            .column(&self.options.adapter.id_field)
            .cloned()
            .ok_or_else(|| {
                Error::general(format!(
                    "the id field '{}' is not a column of the table '{}' (its columns: {})",
                    self.options.adapter.id_field,
                    self.table,
                    schema
                        .columns
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
        SqlService::new(self.pool, schema, self.options, id).await
    }
}

impl AdapterBuilder for SqlServiceBuilder {
    fn adapter_options_mut(&mut self) -> &mut AdapterOptions {
        &mut self.options.adapter
    }
}

//! The options of a [`SqlService`](crate::SqlService): those every adapter has
//! ([`AdapterOptions`]: id field, pagination, multi, custom events) and how ids are
//! made, nulls shown and conditions bounded.

use feathers_core::adapter::AdapterOptions;
use feathers_core::query::ConditionLimits;

/// Who makes the id of a record created without one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IdGeneration {
    /// The database: an integer `PRIMARY KEY` (SQLite's rowid alias or
    /// AUTOINCREMENT), an identity or serial column, or a column default such as
    /// PostgreSQL's `gen_random_uuid()`. The default.
    #[default]
    Database,
    /// The service: a random (version 4) UUID as a string, for tables whose id is
    /// text and has no default (SQLite has no UUID function).
    Uuid,
}

/// The settings of a [`SqlService`](crate::SqlService).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlOptions {
    /// The options every adapter has (`id_field` names the id column).
    pub adapter: AdapterOptions,
    /// Who makes missing ids.
    pub ids: IdGeneration,
    /// Leave columns that are NULL out of records (as a document store would)
    /// instead of answering them as `null`. Default false.
    pub omit_nulls: bool,
    /// How wide and deep the conditions of a query may be: a wider `$or`/`$and` is
    /// a 400 naming the limit, the same on every database. Default: 100 terms per
    /// list, 10 levels ([`ConditionLimits::default`]).
    pub condition_limits: ConditionLimits,
}

impl Default for SqlOptions {
    fn default() -> SqlOptions {
        SqlOptions {
            adapter: AdapterOptions::default(),
            ids: IdGeneration::Database,
            omit_nulls: false,
            condition_limits: ConditionLimits::default(),
        }
    }
}

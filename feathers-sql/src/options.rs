//! The options of a [`SqlService`](crate::SqlService): those of the memory adapter
//! (id field, pagination, multi, custom events) and how ids are made and nulls shown.

use feathers_core::query::{ConditionLimits, Paginate};
use feathers_core::Multi;
use feathers_core::Params;

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
    /// The id column. Default `"id"`.
    pub id_field: String,
    /// Who makes missing ids.
    pub ids: IdGeneration,
    /// Pagination of `find`; `None` answers bare arrays.
    pub paginate: Option<Paginate>,
    /// Which methods may act on many records.
    pub multi: Multi,
    /// Custom events, besides created/updated/patched/removed.
    pub events: Vec<String>,
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
            id_field: "id".to_owned(),
            ids: IdGeneration::Database,
            paginate: None,
            multi: Multi::Off,
            events: Vec::new(),
            omit_nulls: false,
            condition_limits: ConditionLimits::default(),
        }
    }
}

impl SqlOptions {
    /// The pagination for one call: a hook may turn it off with
    /// `params.paginate = Some(PaginationOverride::Off)` or replace it with
    /// `PaginationOverride::With(..)`.
    pub fn paginate_for(&self, params: &Params) -> Option<Paginate> {
        feathers_core::adapter::pagination_for(params, self.paginate)
    }
}

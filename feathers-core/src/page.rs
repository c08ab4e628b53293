//! A page of results, as paginated `find` answers: `{total, limit, skip, data}`.

use serde::{Deserialize, Serialize};

/// One page of a paginated `find`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    /// How many records matched, before `$skip` and `$limit`.
    pub total: u64,
    /// The page size used.
    pub limit: u64,
    /// How many matching records were skipped.
    pub skip: u64,
    /// The records of this page.
    pub data: Vec<T>,
}

//! Feathers' query syntax: parsing query strings (`qs`), comparing and coercing values,
//! filtering, matching, sorting and selecting records.
//!
//! Every adapter shares this model: the memory adapter runs a [`Matcher`] over its
//! records, the SQL adapter translates the same [`Query`] into SQL. It depends on
//! serde_json alone (no async runtime, no HTTP); its [`QueryError`] becomes a 400
//! BadRequest in the services that use it.
#![warn(missing_docs, unreachable_pub)]

pub mod coerce;
pub mod compare;
mod error;
pub mod fields;
pub mod filter;
pub mod like;
pub mod limits;
pub mod matcher;
pub mod qs;
pub mod select;
pub mod sort;

pub use coerce::{Operand, Typing};
pub use error::{QueryError, Result};
pub use fields::{named_fields, refuse_hidden, refuse_unlisted, FieldUse};
pub use filter::{Filters, Paginate, Query, QueryOptions};
pub use like::{Like, LikeKind};
pub use limits::ConditionLimits;
pub use matcher::{Condition, FieldCondition, Matcher, Operator};
pub use qs::QueryLimits;
pub use select::select;
pub use sort::{Sort, SortKey};

//! Feathers' query syntax: parsing query strings (`qs`), comparing and coercing values,
//! filtering, matching, sorting and selecting records.

pub mod coerce;
pub mod compare;
pub mod filter;
pub mod like;
pub mod matcher;
pub mod qs;
pub mod select;
pub mod sort;

pub use coerce::{Operand, Typing};
pub use filter::{Filters, Paginate, Query, QueryOptions};
pub use like::{Like, LikeKind};
pub use matcher::{Condition, FieldCondition, Matcher, Operator};
pub use select::select;
pub use sort::{Sort, SortKey};

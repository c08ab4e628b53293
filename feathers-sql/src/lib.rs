//! SQL adapters for feathers-rs: [`SqlService`] puts a Feathers service on a table of
//! SQLite (compiled in) or PostgreSQL, through sqlx, with the memory adapter's query
//! syntax, options and errors.
//!
//! ```no_run
//! use feathers_sql::{AdapterBuilder, SqlService};
//!
//! # async fn demo() -> feathers_runtime::Result<()> {
//! let pool = feathers_sql::connect("sqlite://app.sqlite").await?;
//! feathers_sql::migrate(&pool, &sqlx::migrate!("tests/migrations/sqlite")).await?; // your folder
//! let messages = SqlService::builder(pool, "messages").paginate(10, 50).build().await?;
//! let app = feathers_runtime::App::builder().service_at("messages", messages).build()?;
//! # Ok(()) }
//! ```
//!
//! The columns of the table are read once, when the service is built: they say how
//! data is stored and how query values are read (`?age[$gt]=30` on an integer column
//! compares with 30). Names in a query that are not columns are 400s; values are
//! always bound parameters. On a SQLite file, each table's writes go through one
//! connection of their own and are committed in groups (one sync of the journal for
//! the writes waiting at a time), each caller answered once its write is durable. The
//! writer is a task of the runtime that built the service: build it on the runtime
//! that serves it.

#![warn(missing_docs, unreachable_pub)]

pub mod clauses;
mod column;
pub mod condition;
pub mod dialect;
mod errors;
mod exec;
mod migrate;
mod options;
mod pool;
pub mod schema;
mod service;
pub mod statement;
pub mod values;
mod writer;

pub use dialect::Dialect;
pub use feathers_core::adapter::{Adapter, AdapterBuilder, AdapterExt, AdapterOptions};
pub use feathers_core::query::ConditionLimits;
pub use migrate::migrate;
pub use options::{IdGeneration, SqlOptions};
pub use pool::{connect, connect_with, PoolSettings, SqlPool};
pub use schema::{Column, ColumnKind, TableSchema};
pub use service::{SqlService, SqlServiceBuilder};

/// sqlx, as this crate uses it (for `sqlx::migrate!` and pools).
pub use sqlx;

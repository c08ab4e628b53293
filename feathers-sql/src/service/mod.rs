//! [`SqlService`]: a Feathers service on one table, answering Feathers' query syntax
//! with SQL that binds every value.
//!
//! One concept a file, each depending only on those listed before it:
//! - `ids`: the id column's values (bound ids, UUIDs),
//! - `state`: the service, its shared state and the helpers every method uses,
//! - `builder`: [`SqlServiceBuilder`], which reads the table and makes the service,
//! - `statements`: the SQL text of each method (`SELECT`, `INSERT`, `UPDATE`, `DELETE`),
//! - `methods`: the [`Adapter`](feathers_core::adapter::Adapter) implementation: the
//!   storage operations of `find`, `get`, `create`, `update`, `patch` and `remove` (the
//!   core's adapter layer makes them a `Service`).

mod builder;
mod ids;
mod methods;
mod state;
mod statements;

pub use builder::SqlServiceBuilder;
pub use state::SqlService;

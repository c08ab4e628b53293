//! [`SqlService`]: a Feathers service on one table, answering Feathers' query syntax
//! with SQL that binds every value.
//!
//! One concept a file, each depending only on those listed before it:
//! - `ids`: the id column's values (bound ids, UUIDs),
//! - `state`: the service, its shared state and the helpers every method uses,
//! - `builder`: [`SqlServiceBuilder`], which reads the table and makes the service,
//! - `statements`: the SQL text of each method (`SELECT`, `INSERT`, `UPDATE`, `DELETE`),
//! - `methods`: `find`, `get`, `create`, `update`, `patch` and `remove`,
//! - `dispatch`: the [`Service`](feathers_core::Service) implementation, a call to its method.

mod builder;
mod dispatch;
mod ids;
mod methods;
mod state;
mod statements;

pub use builder::SqlServiceBuilder;
pub use state::SqlService;

//! The memory adapter: [`MemoryService`] keeps records in memory and answers Feathers'
//! full query syntax, pagination and multi options, like `@feathersjs/memory` 5.x.
//!
//! ```
//! use feathers_memory::{AdapterBuilder, MemoryService};
//! use feathers_core::App;
//!
//! # fn main() -> feathers_core::Result<()> {
//! let app = App::builder()
//!     .service_at("todos", MemoryService::new().paginate(10, 50).multi(true))
//!     .build()?;
//! # Ok(()) }
//! ```
//!
//! Without a builder, `feathers_runtime::register_service!` registers it for
//! `App::from_registered()` and `serve()`.

#![warn(missing_docs, unreachable_pub)]

mod adapter;
mod options;
mod service;
mod store;

#[cfg(test)]
mod tests;

pub use feathers_core::adapter::{Adapter, AdapterBuilder, AdapterExt, AdapterOptions};
pub use feathers_core::Multi;
pub use options::MemoryOptions;
pub use service::MemoryService;

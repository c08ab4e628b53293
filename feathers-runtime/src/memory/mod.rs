//! The memory adapter: [`MemoryService`] keeps records in memory and answers Feathers'
//! full query syntax, pagination and multi options, like `@feathersjs/memory` 5.x.
//!
//! ```
//! use feathers_runtime::memory::MemoryService;
//! use feathers_runtime::App;
//!
//! # fn main() -> feathers_runtime::Result<()> {
//! let app = App::builder()
//!     .service_at("todos", MemoryService::new().paginate(10, 50).multi(true))
//!     .build()?;
//! # Ok(()) }
//! ```
//!
//! Without a builder, [`register_service!`](crate::register_service) registers it for
//! `App::from_registered()` and `serve()`.

mod options;
mod register;
mod service;
mod store;

#[cfg(test)]
mod tests;

pub use options::{MemoryOptions, Multi};
pub use service::MemoryService;

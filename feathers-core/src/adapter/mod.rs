//! One adapter abstraction for every database: memory, SQL, or a third party's.
//!
//! An adapter implements [`Adapter`]: its storage operations on records already
//! checked, and its [`AdapterOptions`]. In return it is a [`Service`](crate::Service)
//! (one method match, one place that applies pagination, `multi` and the checks of
//! data), has the typed methods of [`AdapterExt`] (`find`, `get`, `create`, ...) for
//! services of one's own that hold it, and the setters of [`AdapterBuilder`] when it
//! is configured builder-style. [`DynAdapter`] picks an adapter at run time (memory in
//! tests, SQL in production) behind one type.
//!
//! ```text
//! options.rs   AdapterOptions: id field, pagination, multi, custom events
//! builder.rs   AdapterBuilder: the setters of those options, written once
//! records.rs   Adapter: what an adapter implements; Found, what find answers
//! calls.rs     the checks and answers of each method, and AdapterExt
//! service.rs   impl Service for every Adapter
//! dynamic.rs   DynAdapter, an adapter chosen at run time
//! commons.rs   helpers: pagination_for, check_data, one_or_many, not_found, ..
//! ```

mod builder;
mod calls;
mod commons;
mod dynamic;
mod options;
mod records;
mod service;

pub use builder::AdapterBuilder;
pub use calls::AdapterExt;
pub use commons::{check_data, is_falsy, not_found, one_or_many, pagination_for, replace_many};
pub use dynamic::DynAdapter;
pub use options::AdapterOptions;
pub use records::{Adapter, Found};

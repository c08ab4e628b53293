//! The memory adapter's options: those every adapter has ([`AdapterOptions`]: id
//! field, pagination, multi, custom events) and the first counter id (Feathers'
//! `MemoryServiceOptions`).

use feathers_core::adapter::AdapterOptions;

/// The settings of a [`MemoryService`](super::MemoryService).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryOptions {
    /// The options every adapter has.
    pub adapter: AdapterOptions,
    /// The first id the counter hands out to records created without one. Default 0.
    pub start_id: i64,
}

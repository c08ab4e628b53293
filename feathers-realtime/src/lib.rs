//! Real-time delivery for feathers-rs, above the core and below the transports:
//! channels (named groups of connections), publishers (which channels an event goes
//! to, with Feathers' precedence), delivery of each event to each connection at most
//! once, encoded once, and the method-call semantics Socket.io and Primus share
//! ([`dispatch`]). It knows no transport: connections are the core's
//! [`Connection`](feathers_core::Connection)s.
#![warn(missing_docs, unreachable_pub)]

mod app_api;
pub mod channels;
pub mod dispatch;
pub mod lifecycle;
mod live;
pub mod metrics;
mod settings;
pub mod shutdown;
mod state;
mod stats;
pub mod transport;

pub use app_api::{RealtimeApp, RealtimeService};
pub use channels::{Channel, Publisher};
pub use settings::RealtimeSettings;
pub use shutdown::DrainReport;
pub use stats::RealtimeStats;

//! The transport-agnostic core of the real-time transports: connections with bounded
//! outboxes, frames encoded once per event, the socket call semantics both Socket.io
//! and Primus share, and channels.

mod app_api;
pub mod channels;
mod connection;
pub(crate) mod dispatch;
mod frame;
mod outbox;
mod peer;
pub(crate) mod ws_loop;

pub(crate) use app_api::RealtimeState;
pub use channels::{Channel, Publisher};
pub use connection::{Connection, ConnectionId};
pub(crate) use frame::Frame;
pub use frame::{EventFrame, Framing};
pub use outbox::CloseReason;
pub(crate) use peer::{peer_address, record_peer};

//! A real-time connection (Feathers' `connection` object): its identity, handshake
//! headers, fields that hooks set (user, authentication, ...), and its outbox.

mod frame;
mod handle;
mod outbox;
mod transport;

pub use frame::{EventFrame, Frame, Framing, WireText, FRAMING_SLOTS};
pub use handle::{Connection, ConnectionId};
pub use outbox::{CloseReason, Outbox, QueueLimits};
pub use transport::TransportConnection;

//! Channels (docs/protocol.md, "Events and channels"): named groups of connections that publishers pick
//! to receive an event. They know nothing of transports.

mod channel;
mod members;
mod publishers;
mod registry;

pub use channel::Channel;
pub use publishers::Publisher;
pub(crate) use publishers::{deliver, Publishers};
pub(crate) use registry::ChannelRegistry;

#[cfg(test)]
mod tests;

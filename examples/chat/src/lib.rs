//! The chat example: a `messages` service, as in Feathers' chat guide.
//!
//! Start it with `cargo run -p chat`, then:
//!
//! ```text
//! curl -X POST localhost:3030/messages -H 'Content-Type: application/json' -d '{"text":"Hello"}'
//! curl localhost:3030/messages
//! ```
//!
//! Socket.io and Primus clients connected to it receive `messages created` and the
//! other events: every connection joins the `everybody` channel.

mod channels;
mod messages;

pub use messages::{Message, MessagePatch, Messages, NewMessage};

//! The Engine.IO v4 and Socket.IO v5 protocols as the Feathers clients speak them
//! (`socket.io-client` 4): reading the packets a client sends and writing the ones a
//! server answers with. Text only (binary attachments are refused by the reader), no
//! I/O, no runtime: the Socket.io transport of `feathers-transports` carries these
//! over websockets and long-polling.
//!
//! ```
//! use feathers_socketio_protocol::{engine, socket};
//!
//! let engine::EnginePacket::Message(inner) = engine::parse(r#"42["find","todos"]"#) else {
//!     unreachable!()
//! };
//! assert!(matches!(socket::parse(inner), Ok(socket::SocketPacket::Event { .. })));
//! ```
#![warn(missing_docs, unreachable_pub)]

pub mod engine;
pub mod socket;

//! What the client sends, whatever carries it: Engine.IO packets, and the Socket.IO
//! packets inside them (CONNECT, EVENT as method calls, DISCONNECT).

use std::sync::Arc;

use super::engine::{self, EnginePacket};
use super::packet::{self, PacketError, SocketPacket};
use super::session::{random_id, Session};
use feathers_core::CloseReason;
use feathers_core::Error;
use feathers_realtime::dispatch;
use feathers_realtime::transport::RealtimeTransport;

/// Whether the session goes on after a packet.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Flow {
    Continue,
    Close,
}

/// Event names Socket.IO reserves; a client may not emit them.
const RESERVED_EVENTS: &[&str] = &[
    "connect",
    "connect_error",
    "disconnect",
    "disconnecting",
    "newListener",
    "removeListener",
];

pub(super) fn engine_packet(session: &Arc<Session>, text: &str) -> Flow {
    match engine::parse(text) {
        EnginePacket::Pong(_) => {
            session.pong();
            Flow::Continue
        }
        EnginePacket::Message(socket_packet) => socket_packet_received(session, socket_packet),
        EnginePacket::Close => Flow::Close,
        EnginePacket::Binary => {
            session.connection.close_with(CloseReason::Protocol(
                "binary attachments are not supported".to_owned(),
            ));
            Flow::Close
        }
        EnginePacket::Ping(_) | EnginePacket::Upgrade | EnginePacket::Noop => Flow::Continue,
        EnginePacket::Invalid => {
            tracing::debug!(sid = %session.sid, "dropped an invalid engine.io packet");
            Flow::Continue
        }
    }
}

fn socket_packet_received(session: &Arc<Session>, text: &str) -> Flow {
    match packet::parse(text) {
        Ok(SocketPacket::Connect { namespace }) => {
            if namespace != "/" {
                session
                    .connection
                    .send_text(packet::connect_error(&namespace, "Invalid namespace"));
            } else if session.connect_socket() {
                session
                    .connection
                    .send_text(packet::connected(&random_id()));
                session.app.connected(&session.connection);
            }
            Flow::Continue
        }
        Ok(SocketPacket::Disconnect) => Flow::Close,
        Ok(SocketPacket::Event { ack, event, args }) => {
            if session.socket_connected() {
                call(session, ack, event, args);
            }
            Flow::Continue
        }
        Ok(SocketPacket::Ignored) => Flow::Continue,
        Ok(SocketPacket::OtherNamespace { namespace }) => {
            tracing::debug!(sid = %session.sid, namespace, "dropped a packet for a namespace the server does not have");
            Flow::Continue
        }
        Err(PacketError::Binary) => {
            session.connection.close_with(CloseReason::Protocol(
                "binary attachments are not supported".to_owned(),
            ));
            Flow::Close
        }
        Err(PacketError::BadEvent { ack, why }) => {
            tracing::debug!(sid = %session.sid, why, "answered a malformed socket.io event");
            if session.socket_connected() {
                let err = Error::bad_request(format!("Invalid Socket.io event: {why}"));
                session.connection.send_text(packet::ack(ack, &Err(err)));
            }
            Flow::Continue
        }
        Err(PacketError::Malformed(why)) => {
            tracing::debug!(sid = %session.sid, why, "dropped a malformed socket.io packet");
            Flow::Continue
        }
    }
}

/// A method call: refused when its name is reserved, else dispatched.
fn call(session: &Arc<Session>, ack: Option<u64>, event: String, args: Vec<serde_json::Value>) {
    if RESERVED_EVENTS.contains(&event.as_str()) {
        if let Some(id) = ack {
            let err = Error::bad_request(format!("'{event}' is a reserved event name"));
            session.connection.send_text(packet::ack(id, &Err(err)));
        }
        return;
    }
    dispatch::spawn(
        &session.app,
        &session.connection,
        event,
        args,
        ack,
        packet::ack,
    );
}

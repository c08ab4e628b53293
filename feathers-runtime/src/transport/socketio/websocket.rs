//! The websocket carrier: a direct websocket session, or the upgrade of a polling one
//! (`2probe` / `3probe` / `5`). One task per connection reads, writes and pings.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use tokio::time::Instant;

use super::engine;
use super::inbound::{engine_packet, Flow};
use super::packet;
use super::session::{Carrier, Session};
use super::SocketIo;
use crate::realtime::ws_loop::{self, Heartbeat, WsProtocol};
use crate::realtime::{CloseReason, Connection, Framing};

/// The read buffer of each websocket: small, so idle connections stay small.
const READ_BUFFER: usize = 512;
/// How long the client may take to finish an upgrade (Engine.IO's upgradeTimeout).
const UPGRADE_TIMEOUT: Duration = Duration::from_secs(10);

pub(super) fn upgrade(
    state: Arc<SocketIo>,
    ws: WebSocketUpgrade,
    headers: http::HeaderMap,
    polling: Option<Arc<Session>>,
    peer: Option<std::net::IpAddr>,
) -> Response {
    let max = state.app.config().max_message;
    // Only a new session needs the headers; keeping them longer would keep the request's
    // read buffer alive (see `Connection::new`).
    // Boxed, as the task keeps what it captured for the connection's whole life.
    let headers = polling.is_none().then(|| Box::new(headers));
    ws.read_buffer_size(READ_BUFFER)
        .max_message_size(max)
        .max_frame_size(max)
        .on_upgrade(move |mut socket| async move {
            // Boxed: the handshake is short, and should not size the connection's task.
            let session = match polling {
                Some(session) => Box::pin(upgrade_polling(&mut socket, session)).await,
                None => {
                    let headers = headers.map(|headers| *headers).unwrap_or_default();
                    Box::pin(open_direct(&state, &mut socket, headers, peer)).await
                }
            };
            let Some(session) = session else {
                return;
            };
            let config = state.app.config();
            let heartbeat = Heartbeat {
                interval: config.ping_interval,
                timeout: config.ping_timeout,
            };
            ws_loop::run(&mut socket, &SocketIoOverWs(session.clone()), heartbeat).await;
            session.finish(&state.sessions);
        })
}

async fn open_direct(
    state: &Arc<SocketIo>,
    socket: &mut WebSocket,
    headers: http::HeaderMap,
    peer: Option<std::net::IpAddr>,
) -> Option<Arc<Session>> {
    let session = Session::new(state.app.clone(), headers, Carrier::WebSocket, peer);
    let open = engine::open_packet(&session.sid, false, state.app.config());
    socket.send(Message::Text(open.into())).await.ok()?;
    Some(session)
}

/// Probes, then takes over a polling session. On failure the session keeps polling.
async fn upgrade_polling(socket: &mut WebSocket, session: Arc<Session>) -> Option<Arc<Session>> {
    let deadline = Instant::now() + UPGRADE_TIMEOUT;
    let mut probed = false;
    loop {
        let message = tokio::time::timeout_at(deadline, socket.recv()).await;
        let Ok(Some(Ok(Message::Text(text)))) = message else {
            if probed {
                session.set_carrier(Carrier::Polling);
            }
            return None;
        };
        match (probed, text.as_str()) {
            (false, "2probe") => {
                socket.send(Message::Text("3probe".into())).await.ok()?;
                probed = true;
                session.set_carrier(Carrier::Upgrading);
            }
            (true, "5") => {
                session.set_carrier(Carrier::WebSocket);
                return Some(session);
            }
            (true, other) => {
                if engine_packet(&session, other) == Flow::Close {
                    return None;
                }
            }
            (false, _) => return None,
        }
    }
}

/// A Socket.io session as the shared websocket loop sees it.
struct SocketIoOverWs(Arc<Session>);

impl WsProtocol for SocketIoOverWs {
    fn connection(&self) -> &Connection {
        &self.0.connection
    }

    fn framing(&self) -> Framing {
        Framing::SocketIo
    }

    fn received(&self, text: &str) -> bool {
        engine_packet(&self.0, text) == Flow::Continue
    }

    fn ping(&self) {
        self.0.ping();
    }

    fn awaiting_pong(&self) -> bool {
        self.0.awaiting_pong()
    }

    fn goodbye(&self, reason: &CloseReason) -> Option<Utf8Bytes> {
        (*reason == CloseReason::Server).then(|| packet::DISCONNECT.into())
    }
}

//! The websocket carrier: a direct websocket session, or the upgrade of a polling one
//! (`2probe` / `3probe` / `5`). One task per connection reads, writes and pings.

use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use tokio::time::Instant;

use super::engine;
use super::inbound::{engine_packet, Flow};
use super::packet;
use super::session::{Carrier, Session};
use super::SocketIo;
use crate::ws_loop::{self, Heartbeat, WsProtocol};
use feathers_core::connection::WireText;
use feathers_core::{CloseReason, Connection, Framing};

/// The read buffer of each websocket: small, so idle connections stay small.
const READ_BUFFER: usize = 512;

pub(super) fn upgrade(
    state: Arc<SocketIo>,
    ws: WebSocketUpgrade,
    headers: http::HeaderMap,
    polling: Option<Arc<Session>>,
    peer: Option<std::net::IpAddr>,
) -> Response {
    let max = state.realtime.max_message;
    // Only a new session needs the headers; keeping them longer would keep the request's
    // read buffer alive (see `Connection::new`).
    // Boxed, as the task keeps what it captured for the connection's whole life.
    let headers = polling.is_none().then(|| Box::new(headers));
    let failed = polling.clone();
    ws.read_buffer_size(READ_BUFFER)
        .max_message_size(max)
        .max_frame_size(max)
        .on_failed_upgrade(move |_| {
            if let Some(session) = failed {
                session.release_upgrade();
            }
        })
        .on_upgrade(move |mut socket| async move {
            // Boxed: the handshake is short, and should not size the connection's task.
            let session = match polling {
                Some(session) => Box::pin(upgrade_polling(&state, &mut socket, session)).await,
                None => {
                    let headers = headers.map(|headers| *headers).unwrap_or_default();
                    Box::pin(open_direct(&state, &mut socket, headers, peer)).await
                }
            };
            let Some(session) = session else {
                return;
            };
            let heartbeat = Heartbeat {
                interval: state.settings.ping_interval,
                timeout: state.settings.ping_timeout,
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
    let Some(session) = Session::new(
        state.app.clone(),
        state.realtime.queue_limits(),
        headers,
        Carrier::WebSocket,
        peer,
    ) else {
        let goodbye = CloseFrame {
            code: axum::extract::ws::close_code::AWAY,
            reason: CloseReason::Shutdown.as_str().into(),
        };
        let _ = socket.send(Message::Close(Some(goodbye))).await;
        return None;
    };
    let open = engine::open_packet(
        &session.sid,
        false,
        &state.settings,
        state.realtime.max_message,
    );
    if socket.send(Message::Text(open.into())).await.is_err() {
        session.finish(&state.sessions);
        return None;
    }
    Some(session)
}

/// Probes, then takes over a polling session. When the upgrade fails (the socket
/// closes, errs, says something else or nothing in time) the session goes on polling,
/// its heartbeat watching it again; when the client closes the session meanwhile, it
/// ends here.
async fn upgrade_polling(
    state: &Arc<SocketIo>,
    socket: &mut WebSocket,
    session: Arc<Session>,
) -> Option<Arc<Session>> {
    let deadline = Instant::now() + state.settings.upgrade_timeout;
    let mut probed = false;
    loop {
        // A session closed meanwhile (a shutdown, say) still completes its upgrade:
        // the client has paused polling for it, and the websocket then delivers the
        // last frames and the close.
        let message = tokio::time::timeout_at(deadline, socket.recv()).await;
        let Ok(Some(Ok(Message::Text(text)))) = message else {
            session.release_upgrade();
            return None;
        };
        match (probed, text.as_str()) {
            (false, "2probe") => {
                if socket.send(Message::Text("3probe".into())).await.is_err() {
                    session.release_upgrade();
                    return None;
                }
                probed = true;
                session.set_carrier(Carrier::Upgrading);
            }
            (true, "5") => {
                session.set_carrier(Carrier::WebSocket);
                return Some(session);
            }
            (true, other) => {
                if engine_packet(&session, other) == Flow::Close {
                    session.finish(&state.sessions);
                    return None;
                }
            }
            (false, _) => {
                session.release_upgrade();
                return None;
            }
        }
    }
}

/// A Socket.io session as the shared websocket loop sees it.
struct SocketIoOverWs(Arc<Session>);

impl WsProtocol for SocketIoOverWs {
    fn connection(&self) -> &Connection {
        &self.0.connection
    }

    fn framing(&self) -> &'static Framing {
        &super::FRAMING
    }

    fn received(&self, text: &str) -> bool {
        engine_packet(&self.0, text) == Flow::Continue
    }

    fn ping_frame(&self) -> WireText {
        self.0.start_ping();
        engine::PING.into()
    }

    fn awaiting_pong(&self) -> bool {
        self.0.awaiting_pong()
    }

    /// The application's close is a Socket.IO DISCONNECT, after which the client does
    /// not reconnect; a shutdown is an Engine.IO close, after which it does.
    fn goodbye(&self, reason: &CloseReason) -> Option<Utf8Bytes> {
        match reason {
            CloseReason::Server => Some(packet::DISCONNECT.into()),
            CloseReason::Shutdown => Some(engine::CLOSE.into()),
            _ => None,
        }
    }
}

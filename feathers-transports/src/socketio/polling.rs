//! HTTP long-polling: `GET` waits for frames, `POST` delivers the client's packets.

use std::sync::Arc;

use axum::body::Body;
use axum::response::Response;
use http::{header, StatusCode};

use super::engine;
use super::inbound::{engine_packet, Flow};
use super::packet;
use super::session::{Carrier, Session};
use super::{engine_error, SocketIo};
use feathers_core::connection::TransportConnection;
use feathers_core::CloseReason;

fn text(body: String, content_type: &'static str) -> Response {
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(content_type),
    );
    response
}

const TEXT_PLAIN: &str = "text/plain; charset=UTF-8";

/// The first request: a new session and its open packet.
pub(super) fn handshake(
    state: &Arc<SocketIo>,
    headers: http::HeaderMap,
    peer: Option<std::net::IpAddr>,
) -> Response {
    let Some(session) = Session::new(
        state.app.clone(),
        state.realtime.queue_limits(),
        headers,
        Carrier::Polling,
        peer,
    ) else {
        return super::shutting_down();
    };
    state.sessions.insert(&session);
    tokio::spawn(heartbeat(state.clone(), session.clone()));
    let open = engine::open_packet(
        &session.sid,
        true,
        &state.settings,
        state.realtime.max_message,
    );
    text(open, TEXT_PLAIN)
}

/// Watches a polling session until it ends: pings it, ends it when a pong is missing
/// (a client that stopped polling misses it too), and ends it as soon as its
/// connection closes for any reason. Once a websocket has taken over, the websocket's
/// task does all this instead; while an upgrade is under way pings pause, and resume
/// if the upgrade fails.
async fn heartbeat(state: Arc<SocketIo>, session: Arc<Session>) {
    let config = state.settings.clone();
    let connection = session.connection.clone();
    let closed = connection.closed();
    tokio::pin!(closed);
    loop {
        tokio::select! {
            () = tokio::time::sleep(config.ping_interval) => {}
            () = &mut closed => break,
        }
        match session.carrier() {
            Carrier::WebSocket => return,
            Carrier::Upgrading => continue,
            Carrier::Polling => {}
        }
        session.ping();
        tokio::select! {
            () = tokio::time::sleep(config.ping_timeout) => {}
            () = &mut closed => break,
        }
        match session.carrier() {
            Carrier::WebSocket => return,
            Carrier::Upgrading => continue,
            Carrier::Polling => {}
        }
        if session.awaiting_pong() {
            connection.close_with(CloseReason::Timeout);
            break;
        }
    }
    if session.carrier() == Carrier::WebSocket {
        return;
    }
    if connection.close_reason() != Some(CloseReason::Timeout) {
        // The client is still there: its next poll collects the last frames (acks of
        // calls that finished) and the close. It gets a ping timeout to come.
        session.wait_finished(config.ping_timeout).await;
    }
    session.finish(&state.sessions);
}

/// A `GET` with a session: the waiting frames, or a wait until there are some.
pub(super) async fn poll(state: &Arc<SocketIo>, session: Arc<Session>) -> Response {
    if !session.start_poll() {
        session
            .connection
            .close_with(CloseReason::Protocol("overlapping polls".to_owned()));
        session.finish(&state.sessions);
        return engine_error(StatusCode::BAD_REQUEST, 3, "Bad request");
    }
    let body = wait_for_frames(state, &session).await;
    session.end_poll();
    text(body, TEXT_PLAIN)
}

async fn wait_for_frames(state: &Arc<SocketIo>, session: &Arc<Session>) -> String {
    let config = &state.settings;
    let give_up = tokio::time::sleep(config.ping_interval + config.ping_timeout);
    tokio::pin!(give_up);
    let mut frames = Vec::new();
    loop {
        let changed = session.carrier_changed.notified();
        tokio::pin!(changed);
        changed.as_mut().enable();
        if session.carrier() != Carrier::Polling {
            return engine::NOOP.to_owned();
        }
        let closed = session.connection.outbox().drain(&mut frames);
        if !frames.is_empty() {
            // Never the close in the same answer as other frames: socket.io-client
            // handles an answer's messages a tick later than its close, and drops the
            // acks still pending at the close. The next poll gets the close.
            let mut body = String::new();
            for (index, frame) in frames.iter().enumerate() {
                if index > 0 {
                    body.push(engine::SEPARATOR);
                }
                body.push_str(frame.text(&super::FRAMING).as_str());
            }
            return body;
        }
        if let Some(reason) = closed {
            session.finish(&state.sessions);
            // The application's close is a Socket.IO DISCONNECT, after which the client
            // does not reconnect (and closes its side); any other close is an Engine.IO
            // close, after which it does.
            return match reason {
                CloseReason::Server => packet::DISCONNECT.to_owned(),
                _ => engine::CLOSE.to_owned(),
            };
        }
        tokio::select! {
            () = session.connection.outbox().ready() => {}
            () = &mut changed => {}
            () = &mut give_up => return engine::NOOP.to_owned(),
        }
    }
}

/// A `POST` with a session: the client's packets, separated by `\x1e`.
pub(super) async fn deliver(state: &Arc<SocketIo>, session: Arc<Session>, body: Body) -> Response {
    let limit = state.realtime.max_message;
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(_) => {
            // The client gives up its transport on this answer: so does the server.
            session
                .connection
                .close_with(CloseReason::Protocol("payload too large".to_owned()));
            session.finish(&state.sessions);
            return engine_error(StatusCode::PAYLOAD_TOO_LARGE, 3, "Payload too large");
        }
    };
    let Ok(payload) = std::str::from_utf8(&bytes) else {
        return engine_error(StatusCode::BAD_REQUEST, 3, "Payload is not UTF-8");
    };
    for packet in payload.split(engine::SEPARATOR) {
        if engine_packet(&session, packet) == Flow::Close {
            session.finish(&state.sessions);
            break;
        }
    }
    text("ok".to_owned(), "text/html")
}

//! HTTP long-polling: `GET` waits for frames, `POST` delivers the client's packets.

use std::sync::Arc;

use axum::body::Body;
use axum::response::Response;
use http::{header, StatusCode};

use super::engine;
use super::inbound::{engine_packet, Flow};
use super::session::{Carrier, Session};
use super::{engine_error, SocketIo};
use crate::realtime::{CloseReason, Framing};

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
    let session = Session::new(state.app.clone(), headers, Carrier::Polling, peer);
    state.sessions.insert(&session);
    tokio::spawn(heartbeat(state.clone(), session.clone()));
    let open = engine::open_packet(&session.sid, true, state.app.config());
    text(open, TEXT_PLAIN)
}

/// Pings a polling session; a missing pong ends it. Stops once a websocket takes over.
async fn heartbeat(state: Arc<SocketIo>, session: Arc<Session>) {
    let config = state.app.config().clone();
    loop {
        tokio::time::sleep(config.ping_interval).await;
        if session.carrier() != Carrier::Polling {
            return;
        }
        if session.connection.is_closed() {
            break;
        }
        session.ping();
        tokio::time::sleep(config.ping_timeout).await;
        if session.carrier() != Carrier::Polling {
            return;
        }
        if session.awaiting_pong() || session.connection.is_closed() {
            session.connection.close_with(CloseReason::Timeout);
            break;
        }
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
    let config = state.app.config();
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
            let mut body = String::new();
            for (index, frame) in frames.iter().enumerate() {
                if index > 0 {
                    body.push(engine::SEPARATOR);
                }
                body.push_str(&frame.text(Framing::SocketIo));
            }
            return body;
        }
        if closed.is_some() {
            session.finish(&state.sessions);
            return engine::CLOSE.to_owned();
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
    let limit = state.app.config().max_message;
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(_) => return engine_error(StatusCode::PAYLOAD_TOO_LARGE, 3, "Payload too large"),
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

//! The Socket.io transport: Engine.IO v4 (long-polling and websocket, with the upgrade
//! between them) carrying Socket.IO v5 packets in the default namespace, at
//! `/socket.io/` on the REST port (docs/protocol.md, "Socket.io").

mod engine;
mod fuzz_entry;
mod inbound;
mod packet;
mod polling;
mod session;
mod settings;
mod websocket;

use std::sync::Arc;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{FromRequestParts, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::{header, Method, StatusCode};

use feathers_core::{App, Framing};
use feathers_realtime::RealtimeSettings;
pub use fuzz_entry::{fuzz_frame, fuzz_payload};
use session::Sessions;
pub use settings::SocketIoSettings;

/// Engine.IO message + Socket.IO EVENT: `42["<name>",<payload>]`.
pub(crate) static FRAMING: Framing = Framing::new(|name, payload| format!("42[{name},{payload}]"));

pub(crate) struct SocketIo {
    app: App,
    sessions: Sessions,
    /// The transport's timing, read once when the router is made.
    settings: Arc<SocketIoSettings>,
    /// The limits of each connection, read once when the router is made.
    realtime: Arc<RealtimeSettings>,
}

/// The `/socket.io/` routes of `app`.
pub(crate) fn router(app: App) -> Router {
    let state = Arc::new(SocketIo {
        settings: app.settings::<SocketIoSettings>(),
        realtime: app.settings::<RealtimeSettings>(),
        app,
        sessions: Sessions::default(),
    });
    Router::new()
        .route("/socket.io/", get(endpoint).post(endpoint))
        .route("/socket.io", get(endpoint).post(endpoint))
        .with_state(state)
}

/// The query of an Engine.IO request.
#[derive(Default)]
struct EngineQuery {
    eio: Option<String>,
    transport: Option<String>,
    sid: Option<String>,
}

impl EngineQuery {
    fn parse(query: Option<&str>) -> EngineQuery {
        let mut parsed = EngineQuery::default();
        for pair in query.unwrap_or("").split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = Some(value.to_owned());
            match key {
                "EIO" => parsed.eio = value,
                "transport" => parsed.transport = value,
                "sid" => parsed.sid = value,
                _ => {}
            }
        }
        parsed
    }
}

/// The answer to a new session while the app shuts down.
fn shutting_down() -> Response {
    engine_error(
        StatusCode::SERVICE_UNAVAILABLE,
        3,
        "Server is shutting down",
    )
}

/// An Engine.IO error answer: `{"code": n, "message": ".."}`.
fn engine_error(status: StatusCode, code: u8, message: &str) -> Response {
    let body = serde_json::json!({ "code": code, "message": message }).to_string();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn endpoint(State(state): State<Arc<SocketIo>>, request: Request) -> Response {
    let query = EngineQuery::parse(request.uri().query());
    if query.eio.as_deref() != Some("4") {
        return engine_error(StatusCode::BAD_REQUEST, 5, "Unsupported protocol version");
    }
    let session = match &query.sid {
        None => None,
        Some(sid) => match state.sessions.get(sid) {
            Some(session) => Some(session),
            None => return engine_error(StatusCode::BAD_REQUEST, 1, "Session ID unknown"),
        },
    };
    let method = request.method().clone();
    let peer = crate::peer::peer_address(request.extensions());
    match (query.transport.as_deref(), method) {
        (Some("polling"), Method::GET) => match session {
            None => polling::handshake(&state, request.headers().clone(), peer),
            Some(session) => polling::poll(&state, session).await,
        },
        (Some("polling"), Method::POST) => match session {
            None => engine_error(StatusCode::BAD_REQUEST, 1, "Session ID unknown"),
            Some(session) => polling::deliver(&state, session, request.into_body()).await,
        },
        (Some("websocket"), Method::GET) => {
            if let Some(session) = &session {
                if !session.claim_upgrade() {
                    return engine_error(StatusCode::BAD_REQUEST, 3, "Bad request");
                }
            }
            let (mut parts, _body) = request.into_parts();
            let headers = parts.headers.clone();
            match WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
                Ok(ws) => websocket::upgrade(state.clone(), ws, headers, session, peer),
                Err(rejection) => {
                    if let Some(session) = &session {
                        session.release_upgrade();
                    }
                    rejection.into_response()
                }
            }
        }
        (Some("polling" | "websocket"), _) => {
            engine_error(StatusCode::BAD_REQUEST, 2, "Bad handshake method")
        }
        _ => engine_error(StatusCode::BAD_REQUEST, 0, "Transport unknown"),
    }
}

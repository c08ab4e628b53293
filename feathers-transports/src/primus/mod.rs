//! The Primus transport for `@feathersjs/primus-client` 4.x (docs/protocol.md, "Primus"):
//! the websockets transformer with the JSON parser and primus-emitter framing, at
//! `/primus`, sharing connections, channels and dispatch with Socket.io.

mod fuzz_entry;
mod packet;
mod settings;
mod spark;

use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Message, WebSocketUpgrade};
use axum::extract::{FromRequestParts, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::{header, StatusCode};
use serde_json::json;

use crate::ws_loop::{self, Heartbeat};
use feathers_core::App;
use feathers_core::Error;
use feathers_core::Provider;
use feathers_core::{CloseReason, Connection};
use feathers_realtime::transport::RealtimeTransport;
use feathers_realtime::RealtimeSettings;
pub use fuzz_entry::fuzz_frame;
pub use settings::PrimusSettings;
use spark::{Spark, SparkOverWs};

/// The Primus version whose client library and protocol we follow.
const PRIMUS_VERSION: &str = "8.0.9";
/// The read buffer of each websocket: small, so idle connections stay small.
const READ_BUFFER: usize = 512;

/// The `/primus` routes of `app`.
pub(crate) fn router(app: App) -> Router {
    let app = Arc::new(app);
    Router::new()
        .route("/primus/spec", get(spec))
        .route("/primus/primus.js", get(client_library))
        .route("/primus", get(endpoint))
        .route("/primus/{*rest}", get(endpoint))
        .with_state(app)
}

async fn spec(State(app): State<Arc<App>>) -> Response {
    let body = json!({
        "pingInterval": app.settings::<PrimusSettings>().ping_interval.as_millis() as u64,
        "pathname": "/primus",
        "version": PRIMUS_VERSION,
        "parser": "json",
        "transformer": "websockets",
    });
    axum::Json(body).into_response()
}

async fn client_library(State(app): State<Arc<App>>) -> Response {
    let settings = app.settings::<PrimusSettings>();
    let Some(path) = &settings.client else {
        let err = Error::not_found(
            "primus.js is not configured: generate it with scripts/primus-client.mjs and set PrimusSettings::client",
        );
        return (StatusCode::NOT_FOUND, axum::Json(err)).into_response();
    };
    match tokio::fs::read(path).await {
        Ok(library) => (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
            library,
        )
            .into_response(),
        Err(err) => {
            tracing::error!(path = %path.display(), "cannot read primus.js: {err}");
            let err = Error::not_found("primus.js could not be read");
            (StatusCode::NOT_FOUND, axum::Json(err)).into_response()
        }
    }
}

async fn endpoint(State(app): State<Arc<App>>, request: Request) -> Response {
    let (mut parts, _body) = request.into_parts();
    let headers = parts.headers.clone();
    let Ok(ws) = WebSocketUpgrade::from_request_parts(&mut parts, &app).await else {
        return (StatusCode::UPGRADE_REQUIRED, "Upgrade Required").into_response();
    };
    let realtime = app.settings::<RealtimeSettings>();
    let max = realtime.max_message;
    let connection = Connection::with_limits(Provider::Primus, &headers, realtime.queue_limits());
    crate::peer::record_peer(&connection, crate::peer::peer_address(&parts.extensions));
    drop(headers);
    ws.read_buffer_size(READ_BUFFER)
        .max_message_size(max)
        .max_frame_size(max)
        .on_upgrade(move |mut socket| async move {
            if !feathers_realtime::lifecycle::track_connection(&app, &connection) {
                // Shutting down: the client reconnects, to another instance if any.
                let goodbye = CloseFrame {
                    code: axum::extract::ws::close_code::AWAY,
                    reason: CloseReason::Shutdown.as_str().into(),
                };
                let _ = socket.send(Message::Close(Some(goodbye))).await;
                return;
            }
            let spark = Spark::new((*app).clone(), spark_id(&connection), connection);
            spark.app.connected(&spark.connection);
            let interval = app.settings::<PrimusSettings>().ping_interval;
            let heartbeat = Heartbeat {
                interval,
                timeout: interval,
            };
            ws_loop::run(&mut socket, &SparkOverWs(spark.clone()), heartbeat).await;
            feathers_realtime::lifecycle::end_connection(&spark.app, &spark.connection);
        })
}

fn spark_id(connection: &Connection) -> String {
    format!("spark-{}", connection.id())
}

//! The Socket.io peer of `bench/run.sh`: axum with socketioxide, no feathers-rs, what a
//! Rust developer writes for the same real-time app. The records are in memory
//! ([`bench::records`]); REST as in `axum_server`, except that `POST /messages` also
//! broadcasts `messages created` with the record to the room `everybody`. Every
//! Socket.io connection on `/` joins `everybody`, and a Feathers client's `get` call,
//! `42<ack>["get","messages",<id>,<query>]`, is acknowledged as Feathers does:
//! `43<ack>[null,<record>]`, or `43<ack>[<NotFound error>]`. Listens on 127.0.0.1:PORT.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use bench::records::{feathers_error, Records};
use serde_json::Value;
use socketioxide::extract::{AckSender, SocketRef, TryData};
use socketioxide::SocketIo;

#[derive(Clone)]
struct Shared {
    records: Arc<Records>,
    io: SocketIo,
}

async fn get_one(State(shared): State<Shared>, Path(id): Path<u64>) -> Response {
    match shared.records.get(id, Value::clone) {
        Some(record) => Json(record).into_response(),
        None => (StatusCode::NOT_FOUND, Json(not_found(&id))).into_response(),
    }
}

fn not_found(id: &dyn std::fmt::Display) -> Value {
    feathers_error(
        "NotFound",
        "not-found",
        404,
        format!("No record found for id '{id}'"),
    )
}

fn bad_request(message: String) -> Value {
    feathers_error("BadRequest", "bad-request", 400, message)
}

async fn find(State(shared): State<Shared>, RawQuery(query): RawQuery) -> Response {
    match shared.records.find(query.as_deref()) {
        Ok(found) => Json(found).into_response(),
        Err(bad) => (StatusCode::BAD_REQUEST, Json(bad_request(bad.0))).into_response(),
    }
}

async fn create(State(shared): State<Shared>, Json(record): Json<Value>) -> Response {
    let Some(record) = shared.records.create(record) else {
        let error = bad_request("a message must be a JSON object".to_owned());
        return (StatusCode::BAD_REQUEST, Json(error)).into_response();
    };
    // Errors here are sockets whose buffer is full or that just closed: they miss
    // the event, as with Socket.io's own server.
    let _ = shared
        .io
        .to("everybody")
        .emit("messages created", &record)
        .await;
    (StatusCode::CREATED, Json(record)).into_response()
}

/// A Feathers `get` call: `(service, id, query)`.
type GetCall = (String, Value, Value);

fn on_get(records: &Records, call: Result<GetCall, impl std::fmt::Display>, ack: AckSender) {
    let sent = match call {
        Ok((service, id, _query)) if service == "messages" => {
            let record = id
                .as_u64()
                .or_else(|| id.as_str().and_then(|text| text.parse().ok()))
                .and_then(|id| records.get(id, Value::clone));
            match record {
                Some(record) => ack.send(&(Value::Null, record)),
                None => ack.send(&(not_found(&id),)),
            }
        }
        Ok((service, ..)) => {
            let error = feathers_error(
                "NotFound",
                "not-found",
                404,
                format!("Service '{service}' not found"),
            );
            ack.send(&(error,))
        }
        Err(err) => ack.send(&(bad_request(format!("invalid get call: {err}")),)),
    };
    // A socket that closed meanwhile needs no answer.
    let _ = sent;
}

#[tokio::main]
async fn main() {
    let port = std::env::var("PORT").unwrap_or_else(|_| "3030".to_owned());
    let records = Arc::new(Records::default());
    let (layer, io) = SocketIo::new_layer();
    let on_connect = {
        let records = records.clone();
        async move |socket: SocketRef| {
            socket.join("everybody");
            let records = records.clone();
            socket.on(
                "get",
                async move |ack: AckSender, TryData(call): TryData<GetCall>| {
                    on_get(&records, call, ack);
                },
            );
        }
    };
    io.ns("/", on_connect);
    let app = Router::new()
        .route("/messages", get(find).post(create))
        .route("/messages/{id}", get(get_one))
        .with_state(Shared { records, io })
        .layer(layer);
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|err| panic!("cannot listen on 127.0.0.1:{port}: {err}"));
    axum::serve(listener, app)
        .await
        .unwrap_or_else(|err| panic!("the server failed: {err}"));
}

//! The REST peer of `bench/run.sh`: bare axum, no feathers-rs, what a Rust developer
//! writes for the same REST API. The records are in memory ([`bench::records`]):
//! `GET /messages/{id}` answers one as JSON, as the memory service's `get` does;
//! `GET /messages` finds with equality filters, `$limit` and `$skip`, in id order, as
//! the memory service's `find` does without pagination; `POST /messages` stores a
//! record under the next id and answers 201 with it. Listens on 127.0.0.1:PORT.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use bench::records::{feathers_error, Records};
use serde_json::Value;

type Shared = Arc<Records>;

async fn get_one(State(records): State<Shared>, Path(id): Path<u64>) -> Response {
    match records.get(id, Value::clone) {
        Some(record) => Json(record).into_response(),
        None => not_found(id),
    }
}

fn not_found(id: u64) -> Response {
    let error = feathers_error(
        "NotFound",
        "not-found",
        404,
        format!("No record found for id '{id}'"),
    );
    (StatusCode::NOT_FOUND, Json(error)).into_response()
}

async fn find(State(records): State<Shared>, RawQuery(query): RawQuery) -> Response {
    match records.find(query.as_deref()) {
        Ok(found) => Json(found).into_response(),
        Err(bad) => bad_request(bad.0),
    }
}

fn bad_request(message: String) -> Response {
    let error = feathers_error("BadRequest", "bad-request", 400, message);
    (StatusCode::BAD_REQUEST, Json(error)).into_response()
}

async fn create(State(records): State<Shared>, Json(record): Json<Value>) -> Response {
    match records.create(record) {
        Some(record) => (StatusCode::CREATED, Json(record)).into_response(),
        None => bad_request("a message must be a JSON object".to_owned()),
    }
}

#[tokio::main]
async fn main() {
    let port = std::env::var("PORT").unwrap_or_else(|_| "3030".to_owned());
    let app = Router::new()
        .route("/messages", get(find).post(create))
        .route("/messages/{id}", get(get_one))
        .with_state(Shared::default());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|err| panic!("cannot listen on 127.0.0.1:{port}: {err}"));
    axum::serve(listener, app)
        .await
        .unwrap_or_else(|err| panic!("the server failed: {err}"));
}

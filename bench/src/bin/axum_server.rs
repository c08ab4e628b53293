//! The baseline for framework overhead in `bench/run.sh`: bare axum, no feathers-rs.
//! `GET /messages/{id}` looks the record up by id in an in-memory map and answers it
//! as JSON, as the memory service's `get` does; `POST /messages` stores a record
//! under the next id (to seed the map the same way); `GET /messages` lists them.
//! Listens on 127.0.0.1:PORT.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;

#[derive(Default)]
struct Store {
    next_id: u64,
    records: HashMap<u64, Value>,
}

type Shared = Arc<RwLock<Store>>;

async fn get_one(
    State(store): State<Shared>,
    Path(id): Path<u64>,
) -> Result<Json<Value>, StatusCode> {
    let store = store.read().unwrap_or_else(PoisonError::into_inner);
    store
        .records
        .get(&id)
        .cloned()
        .map(Json)
        .ok_or(StatusCode::NOT_FOUND)
}

async fn list(State(store): State<Shared>) -> Json<Vec<Value>> {
    let store = store.read().unwrap_or_else(PoisonError::into_inner);
    Json(store.records.values().cloned().collect())
}

async fn create(
    State(store): State<Shared>,
    Json(mut record): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let mut store = store.write().unwrap_or_else(PoisonError::into_inner);
    let id = store.next_id;
    store.next_id += 1;
    if let Value::Object(fields) = &mut record {
        fields.insert("id".to_owned(), Value::from(id));
    }
    store.records.insert(id, record.clone());
    (StatusCode::CREATED, Json(record))
}

#[tokio::main]
async fn main() {
    let port = std::env::var("PORT").unwrap_or_else(|_| "3030".to_owned());
    let app = Router::new()
        .route("/messages", get(list).post(create))
        .route("/messages/{id}", get(get_one))
        .with_state(Shared::default());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|err| panic!("cannot listen on 127.0.0.1:{port}: {err}"));
    axum::serve(listener, app)
        .await
        .unwrap_or_else(|err| panic!("the server failed: {err}"));
}

//! The hand-written peer of `bench/src/bin/sql_server.rs` in `bench/sql.sh`: what a
//! Rust developer writes for the same REST API with axum and sqlx and no framework.
//! `GET /messages/{id}`, `GET /messages?grp=N&$sort[id]=-1&$limit=10` and
//! `POST /messages` on the table `messages` of DATABASE_URL, each one statement into
//! a struct answered as JSON, on the same pool as the adapter's
//! ([`feathers_sql::connect`]). Listens on 127.0.0.1:PORT.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use bench::records::feathers_error;
use feathers_sql::SqlPool;
use serde::{Deserialize, Serialize};

/// A row of the table.
#[derive(Serialize, sqlx::FromRow)]
struct Message {
    id: i64,
    text: String,
    grp: i64,
}

/// The body of a create.
#[derive(Deserialize)]
struct NewMessage {
    text: String,
    grp: i64,
}

fn error(status: StatusCode, name: &str, class: &str, message: String) -> Response {
    let body = feathers_error(name, class, status.as_u16(), message);
    (status, Json(body)).into_response()
}

fn failed(err: sqlx::Error) -> Response {
    eprintln!("sql_axum_server: {err}");
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "GeneralError",
        "general-error",
        "the database failed".to_owned(),
    )
}

async fn get_one(State(pool): State<SqlPool>, Path(id): Path<i64>) -> Response {
    const SQL: &str = "SELECT id, text, grp FROM messages WHERE id = $1";
    let found = match &pool {
        SqlPool::Sqlite(pool) => {
            sqlx::query_as::<_, Message>(SQL)
                .bind(id)
                .fetch_optional(pool)
                .await
        }
        SqlPool::Postgres(pool) => sqlx::query_as::<_, (i64, String, i32)>(SQL)
            .bind(id)
            .fetch_optional(pool)
            .await
            .map(|row| {
                row.map(|(id, text, grp)| Message {
                    id,
                    text,
                    grp: grp.into(),
                })
            }),
    };
    match found {
        Ok(Some(message)) => Json(message).into_response(),
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            "NotFound",
            "not-found",
            format!("No record found for id '{id}'"),
        ),
        Err(err) => failed(err),
    }
}

/// `grp` (required), `$limit` (10 unless given, at most 100) and `$sort[id]` (`-1`
/// for newest first).
async fn find(
    State(pool): State<SqlPool>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let bad = |message: &str| {
        error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "bad-request",
            message.to_owned(),
        )
    };
    let Some(grp) = query.get("grp").and_then(|grp| grp.parse::<i64>().ok()) else {
        return bad("grp must be an integer");
    };
    let limit = match query.get("$limit").map(|limit| limit.parse::<i64>()) {
        None => 10,
        Some(Ok(limit)) => limit.clamp(0, 100),
        Some(Err(_)) => return bad("$limit must be an integer"),
    };
    let sql = match query.get("$sort[id]").map(String::as_str) {
        Some("-1") => "SELECT id, text, grp FROM messages WHERE grp = $1 ORDER BY id DESC LIMIT $2",
        _ => "SELECT id, text, grp FROM messages WHERE grp = $1 ORDER BY id LIMIT $2",
    };
    let found = match &pool {
        SqlPool::Sqlite(pool) => {
            sqlx::query_as::<_, Message>(sql)
                .bind(grp)
                .bind(limit)
                .fetch_all(pool)
                .await
        }
        SqlPool::Postgres(pool) => sqlx::query_as::<_, (i64, String, i32)>(sql)
            .bind(grp as i32)
            .bind(limit)
            .fetch_all(pool)
            .await
            .map(|rows| {
                rows.into_iter()
                    .map(|(id, text, grp)| Message {
                        id,
                        text,
                        grp: grp.into(),
                    })
                    .collect()
            }),
    };
    match found {
        Ok(messages) => Json(messages).into_response(),
        Err(err) => failed(err),
    }
}

async fn create(State(pool): State<SqlPool>, Json(new): Json<NewMessage>) -> Response {
    const SQL: &str = "INSERT INTO messages (text, grp) VALUES ($1, $2) RETURNING id";
    let id = match &pool {
        SqlPool::Sqlite(pool) => {
            sqlx::query_scalar::<_, i64>(SQL)
                .bind(&new.text)
                .bind(new.grp)
                .fetch_one(pool)
                .await
        }
        SqlPool::Postgres(pool) => {
            sqlx::query_scalar::<_, i64>(SQL)
                .bind(&new.text)
                .bind(new.grp as i32)
                .fetch_one(pool)
                .await
        }
    };
    match id {
        Ok(id) => {
            let message = Message {
                id,
                text: new.text,
                grp: new.grp,
            };
            (StatusCode::CREATED, Json(message)).into_response()
        }
        Err(err) => failed(err),
    }
}

#[tokio::main]
async fn main() {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| panic!("DATABASE_URL is not set"));
    let pool = feathers_sql::connect(&url)
        .await
        .unwrap_or_else(|err| panic!("cannot open {url}: {err}"));
    let port = std::env::var("PORT").unwrap_or_else(|_| "3030".to_owned());
    let app = Router::new()
        .route("/messages", get(find).post(create))
        .route("/messages/{id}", get(get_one))
        .with_state(pool);
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|err| panic!("cannot listen on 127.0.0.1:{port}: {err}"));
    axum::serve(listener, app)
        .await
        .unwrap_or_else(|err| panic!("the server failed: {err}"));
}

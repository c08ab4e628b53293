//! What the authentication tests share: an app with a users service (argon2id hashes,
//! passwords protected), a messages service that needs a login, and REST requests
//! driven through the app's router with a peer address.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use feathers_auth::{authenticate, hash_password, AuthAppExt, AuthBuilderExt, AuthConfig};
use feathers_runtime::prelude::*;
use feathers_runtime::realtime::{Connection, RealtimeTransport};
use feathers_runtime::{hook_with, Provider};
use http::Request;
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const SECRET: &str = "a test secret that is long enough!!";

/// Counts the users service's `find` calls (every local login runs one).
#[derive(Default)]
pub struct Counters {
    pub user_finds: AtomicUsize,
}

/// The config the tests start from.
pub fn config() -> AuthConfig {
    AuthConfig::new(SECRET)
}

/// The test app with `config`; returns it with its counters.
pub fn app_with(config: AuthConfig) -> (App, Arc<Counters>) {
    let counters = Arc::new(Counters::default());
    let counting = counters.clone();
    let users = Hooks::new()
        .before_on(
            "find",
            hook_with(
                counting,
                async |_ctx: &mut HookContext, counting: &Arc<Counters>| {
                    counting.user_finds.fetch_add(1, Ordering::SeqCst);
                    Ok(())
                },
            ),
        )
        .before_on("create", hash_password("password"))
        .before_on("update", hash_password("password"))
        .before_on("patch", hash_password("password"))
        .after(protect("password"));
    let messages = Hooks::new()
        .before(authenticate("jwt"))
        .before_on("create", record_author);
    let app = App::builder()
        .service_at("users", MemoryService::new())
        .service_hooks("users", users)
        .service_at("messages", MemoryService::new())
        .service_hooks("messages", messages)
        .authentication(config)
        .expect("the config is valid")
        .build()
        .expect("the app builds");
    app.on_login(|_result, connection, app| {
        if let Some(connection) = connection {
            app.channel("authenticated").join(connection);
        }
    });
    (app, counters)
}

pub fn app() -> App {
    app_with(config()).0
}

/// Records the author, proving `params.user` is set.
async fn record_author(ctx: &mut HookContext) -> Result<()> {
    let id = ctx
        .params
        .user
        .as_ref()
        .and_then(|user| user.get("id"))
        .cloned()
        .unwrap_or(Value::Null);
    if let Value::Object(data) = &mut ctx.data {
        data.insert("userId".into(), id);
    }
    Ok(())
}

/// Creates a user through the users service, as a client would.
pub async fn create_user(app: &App, email: &str, password: &str) -> Value {
    let params = Params {
        provider: Some(Provider::Rest),
        ..Params::default()
    };
    app.service("users")
        .expect("users")
        .create(json!({ "email": email, "password": password }), params)
        .await
        .expect("the user is created")
}

/// A REST exchange from `peer`: status and JSON body.
pub async fn rest_from(
    app: &App,
    peer: &str,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let body = match body {
        Some(body) => {
            request = request.header("content-type", "application/json");
            Body::from(body.to_string())
        }
        None => Body::empty(),
    };
    let mut request = request.body(body).expect("a valid request");
    let peer: SocketAddr = peer.parse().expect("a socket address");
    request.extensions_mut().insert(ConnectInfo(peer));
    let response = app
        .router()
        .oneshot(request)
        .await
        .expect("the router answers");
    let status = response.status().as_u16();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("a JSON body")
    };
    (status, value)
}

/// A REST exchange from 127.0.0.1.
pub async fn rest(
    app: &App,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> (u16, Value) {
    rest_from(app, "127.0.0.1:40000", method, uri, headers, body).await
}

/// Logs in over REST with the local strategy; returns the whole answer.
pub async fn login(app: &App, email: &str, password: &str) -> Value {
    let (status, body) = rest(
        app,
        "POST",
        "/authentication",
        &[],
        Some(json!({ "strategy": "local", "email": email, "password": password })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body
}

pub fn token_of(result: &Value) -> String {
    result["accessToken"]
        .as_str()
        .expect("an access token")
        .to_owned()
}

/// A socket connection (as Socket.io makes one) with these handshake headers.
pub fn socket(app: &App, headers: &[(&str, &str)]) -> Connection {
    let mut map = http::HeaderMap::new();
    for (name, value) in headers {
        map.insert(
            http::HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
            value.parse().expect("a header value"),
        );
    }
    let connection = Connection::new(Provider::SocketIo, &map, 64);
    app.connected(&connection);
    connection
}

/// A call over `connection`, as the socket transports make it.
pub async fn socket_call(
    app: &App,
    connection: &Connection,
    method: feathers_runtime::Method,
    path: &str,
    id: Option<Id>,
    data: Value,
) -> Result<Value> {
    let params = connection.params(Default::default());
    let ctx = app.service(path)?.call(method, id, data, params).await?;
    Ok(ctx.into_client_result())
}

//! Over a real Primus websocket: a login, an authenticated call, and login limits per
//! client address (the transport records the TCP peer for sockets too).

mod support;

use feathers_auth::RateLimitOptions;
use feathers_runtime::prelude::*;
use futures_util::{SinkExt, StreamExt};
use support::*;
use tokio_tungstenite::tungstenite::Message;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn open(url: &str) -> Ws {
    let url = format!("{}/primus", url.replacen("http", "ws", 1));
    tokio_tungstenite::connect_async(url)
        .await
        .expect("the websocket opens")
        .0
}

/// Sends a call with ack id `id` and returns the ack's arguments.
async fn call(ws: &mut Ws, id: u64, args: Value) -> Value {
    let frame = json!({ "type": 0, "data": args, "id": id }).to_string();
    ws.send(Message::text(frame)).await.expect("sent");
    loop {
        let message = tokio::time::timeout(std::time::Duration::from_secs(10), ws.next())
            .await
            .expect("an answer within 10 s")
            .expect("the socket is open")
            .expect("a frame");
        let Message::Text(text) = message else {
            continue;
        };
        let value: Value = serde_json::from_str(&text).expect("JSON");
        if value["type"] == 1 && value["id"] == id {
            return value["data"].clone();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn primus_logins_are_limited_per_client_address() {
    let (app, _) = app_with(config().rate_limit(RateLimitOptions {
        per_address_per_minute: 3,
        ..RateLimitOptions::default()
    }));
    create_user(&app, "wire@example.com", "pw-wire").await;
    let server = app.listen("127.0.0.1:0").await.expect("listening");
    let mut ws = open(&server.url()).await;

    let refused = call(&mut ws, 1, json!(["find", "messages", {}])).await;
    assert_eq!(refused[0]["code"], 401, "{refused}");
    let login = json!(["create", "authentication",
        { "strategy": "local", "email": "wire@example.com", "password": "pw-wire" }, {}]);
    let ack = call(&mut ws, 2, login).await;
    assert!(ack[0].is_null(), "{ack}");
    assert!(ack[1]["user"].get("password").is_none());
    let ack = call(
        &mut ws,
        3,
        json!(["create", "messages", { "text": "hi" }, {}]),
    )
    .await;
    assert_eq!(ack[1]["userId"], 0, "{ack}");

    // Two more attempts from this address (other usernames, other connection) use the
    // budget of 3; the next is refused.
    let mut other = open(&server.url()).await;
    for (n, email) in ["a@example.com", "b@example.com"].iter().enumerate() {
        let attempt = json!(["create", "authentication",
            { "strategy": "local", "email": email, "password": "x" }, {}]);
        let ack = call(&mut other, 10 + n as u64, attempt).await;
        assert_eq!(ack[0]["code"], 401, "{ack}");
    }
    let attempt = json!(["create", "authentication",
        { "strategy": "local", "email": "c@example.com", "password": "x" }, {}]);
    let ack = call(&mut other, 20, attempt).await;
    assert_eq!(ack[0]["code"], 429, "{ack}");
    assert_eq!(ack[0]["name"], "TooManyRequests");

    drop(ws);
    drop(other);
    server.shutdown().await.expect("stops");
}

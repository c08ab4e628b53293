//! The Primus transport on the wire with a raw websocket client: the HTTP endpoints,
//! emitter calls and acks (and the legacy `path::method` form), the heartbeat, bad
//! input, and events shared with Socket.io clients through channels.

mod realtime_support;

use std::time::Duration;

use feathers_runtime::prelude::*;
use feathers_runtime::{AppBuilder, Method, PrimusSettings, RealtimeSettings, Server, Service};
use futures_util::{SinkExt, StreamExt};
use realtime_support::{closes_within, Ws};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

struct Todos;

impl Service for Todos {
    fn methods(&self) -> Vec<Method> {
        vec![Method::Find, Method::Get, Method::Create]
    }

    async fn call(&self, ctx: &mut HookContext) -> Result<Value> {
        match ctx.method() {
            Method::Create => Ok(ctx.data.clone()),
            Method::Get => Ok(
                json!({ "id": ctx.id, "provider": ctx.params.provider.as_ref().map(|p| p.to_string()) }),
            ),
            _ => Ok(json!([{ "text": "a" }])),
        }
    }
}

async fn start(settings: impl FnOnce(AppBuilder) -> AppBuilder) -> (App, Server) {
    realtime_support::start("todos", Todos, settings).await
}

async fn open(server: &Server) -> Ws {
    let url = format!("ws://{}/primus?_primuscb=abc-0", server.local_addr());
    tokio_tungstenite::connect_async(url)
        .await
        .expect("websocket connects")
        .0
}

async fn next_json(ws: &mut Ws) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a frame within 5s")
            .expect("the socket is open")
            .expect("a valid frame");
        if let Message::Text(text) = message {
            return serde_json::from_str(&text).expect("every Primus frame is JSON");
        }
    }
}

async fn send(ws: &mut Ws, value: &Value) {
    ws.send(Message::Text(value.to_string().into()))
        .await
        .expect("sends");
}

async fn get(server: &Server, path: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = TcpStream::connect(server.local_addr())
        .await
        .expect("connects");
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("reads");
    let status = response[9..12].parse().expect("status code");
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("").to_owned();
    (status, body)
}

#[tokio::test]
async fn the_http_endpoints_answer_as_primus_does() {
    let library = std::env::temp_dir().join(format!("primus-test-{}.js", std::process::id()));
    std::fs::write(&library, "/* primus client */").expect("writes the library");
    let client = library.clone();
    let (_app, server) = start(|builder| {
        builder.configure(|primus: &mut PrimusSettings| primus.client = Some(client))
    })
    .await;

    let (status, body) = get(&server, "/primus/spec").await;
    assert_eq!(status, 200);
    let spec: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(
        spec,
        json!({"pingInterval": 30000, "pathname": "/primus", "version": "8.0.9", "parser": "json", "transformer": "websockets"})
    );
    assert_eq!(get(&server, "/primus").await.0, 426);
    assert_eq!(
        get(&server, "/primus/primus.js").await,
        (200, "/* primus client */".to_owned())
    );

    let (_app, bare) = start(|builder| builder).await;
    assert_eq!(get(&bare, "/primus/primus.js").await.0, 404);
    let _ = std::fs::remove_file(library);
}

#[tokio::test]
async fn emitter_calls_are_acked_and_events_framed_for_primus() {
    let (_app, server) = start(|builder| builder).await;
    let mut ws = open(&server).await;

    send(
        &mut ws,
        &json!({"type": 0, "data": ["find", "todos", {}], "id": 1}),
    )
    .await;
    assert_eq!(
        next_json(&mut ws).await,
        json!({"id": 1, "type": 1, "data": [null, [{"text": "a"}]]})
    );

    send(
        &mut ws,
        &json!({"type": 0, "data": ["get", "todos", 5, {}], "id": 2}),
    )
    .await;
    assert_eq!(
        next_json(&mut ws).await,
        json!({"id": 2, "type": 1, "data": [null, {"id": 5, "provider": "primus"}]})
    );

    send(
        &mut ws,
        &json!({"type": 0, "data": ["todos::get", 7, {}], "id": 3}),
    )
    .await;
    assert_eq!(
        next_json(&mut ws).await["data"],
        json!([null, {"id": 7, "provider": "primus"}])
    );

    send(
        &mut ws,
        &json!({"type": 0, "data": ["get", "nope", 1], "id": 4}),
    )
    .await;
    let ack = next_json(&mut ws).await;
    assert_eq!(ack["data"][0]["name"], "NotFound");
    assert_eq!(ack["data"][0]["message"], "Service 'nope' not found");

    send(
        &mut ws,
        &json!({"type": 0, "data": ["create", "todos", {"text": "p"}, {}], "id": 5}),
    )
    .await;
    let mut frames = [next_json(&mut ws).await, next_json(&mut ws).await];
    frames.sort_by_key(|frame| frame["type"].as_u64());
    assert_eq!(
        frames[0],
        json!({"type": 0, "data": ["todos created", {"text": "p"}]})
    );
    assert_eq!(
        frames[1],
        json!({"id": 5, "type": 1, "data": [null, {"text": "p"}]})
    );

    send(&mut ws, &json!("primus::id::")).await;
    assert!(next_json(&mut ws)
        .await
        .as_str()
        .is_some_and(|id| id.starts_with("primus::id::spark-")));
}

#[tokio::test]
async fn the_heartbeat_pings_and_a_client_that_misses_a_pong_is_closed() {
    let (_app, server) = start(|builder| {
        builder.configure(|primus: &mut PrimusSettings| {
            primus.ping_interval = Duration::from_millis(150);
        })
    })
    .await;
    let mut ws = open(&server).await;
    for _ in 0..2 {
        let ping = next_json(&mut ws).await;
        let ping = ping.as_str().expect("a protocol string").to_owned();
        let stamp = ping.strip_prefix("primus::ping::").expect("a ping");
        assert!(stamp.parse::<u128>().is_ok(), "{ping}");
        send(&mut ws, &json!(format!("primus::pong::{stamp}"))).await;
    }
    let ended = closes_within(&mut ws, Duration::from_secs(3)).await;
    assert!(ended, "a missed pong closes the connection");
}

#[tokio::test]
async fn bad_frames_are_dropped_oversized_ones_close_only_their_connection() {
    let (_app, server) = start(|builder| {
        builder.configure(|realtime: &mut RealtimeSettings| realtime.max_message = 1024)
    })
    .await;
    let mut ws = open(&server).await;
    let mut other = open(&server).await;
    for garbage in [
        "not json",
        "{}",
        "[1,2]",
        "{\"type\":0,\"data\":\"x\"}",
        "{\"type\":0,\"data\":[]}",
        "\"primus::nope\"",
    ] {
        ws.send(Message::Text(garbage.into())).await.expect("sends");
    }
    send(
        &mut ws,
        &json!({"type": 0, "data": ["find", "todos", {}], "id": 9}),
    )
    .await;
    assert_eq!(
        next_json(&mut ws).await["id"],
        9,
        "still usable after garbage"
    );

    ws.send(Message::Text("x".repeat(4096).into()))
        .await
        .expect("sends");
    let closed = closes_within(&mut ws, Duration::from_secs(3)).await;
    assert!(closed, "a frame over the limit closes that connection");

    send(
        &mut other,
        &json!({"type": 0, "data": ["find", "todos", {}], "id": 1}),
    )
    .await;
    assert_eq!(
        next_json(&mut other).await["id"],
        1,
        "other connections are unaffected"
    );
}

#[tokio::test]
async fn a_socketio_client_change_reaches_primus_clients_and_back() {
    let (_app, server) = start(|builder| builder).await;
    let mut primus = open(&server).await;
    let url = format!(
        "ws://{}/socket.io/?EIO=4&transport=websocket",
        server.local_addr()
    );
    let (mut socketio, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("connects");
    let _open = socketio.next().await;
    socketio
        .send(Message::Text("40".into()))
        .await
        .expect("sends");
    let _connected = socketio.next().await;

    socketio
        .send(Message::Text(
            r#"42["create","todos",{"from":"socket.io"}]"#.into(),
        ))
        .await
        .expect("sends");
    assert_eq!(
        next_json(&mut primus).await,
        json!({"type": 0, "data": ["todos created", {"from": "socket.io"}]})
    );

    send(
        &mut primus,
        &json!({"type": 0, "data": ["create", "todos", {"from": "primus"}]}),
    )
    .await;
    let expected = r#"42["todos created",{"from":"primus"}]"#;
    let received = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(Ok(message)) = socketio.next().await {
            if let Message::Text(text) = message {
                if text.as_str() == expected {
                    return true;
                }
            }
        }
        false
    })
    .await;
    assert_eq!(received.ok(), Some(true));
}

#[tokio::test]
async fn a_server_close_says_primus_server_close_first() {
    let (app, server) = start(|builder| builder).await;
    app.publish(|_event, _app| Vec::new());
    let mut ws = open(&server).await;
    let registered = feathers_test_support::eventually(Duration::from_secs(5), || {
        app.channel("everybody").len() == 1
    })
    .await;
    assert!(registered, "the connection joins its channel");
    for connection in app.channel("everybody").connections() {
        connection.close();
    }
    assert_eq!(next_json(&mut ws).await, json!("primus::server::close"));
}

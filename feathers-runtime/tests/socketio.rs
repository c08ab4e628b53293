//! The Socket.io transport on the wire, with a raw websocket client and raw polling
//! requests: handshake, calls and acks, bad frames, heartbeats, the upgrade, channels
//! and the slow-consumer cut-off.

mod realtime_support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use feathers_runtime::prelude::*;
use feathers_runtime::realtime::{CloseReason, Connection};
use feathers_runtime::{AppBuilder, Method, RealtimeSettings, Server, Service, SocketIoSettings};
use feathers_test_support::eventually;
use futures_util::{SinkExt, StreamExt};
use realtime_support::{closes_within, next_text, CloseReasons, Ws};
use tokio_tungstenite::tungstenite::Message;

/// `notes`: create echoes its data, find answers `[]`, get fails for id 0.
struct Notes;

impl Service for Notes {
    fn methods(&self) -> Vec<Method> {
        vec![Method::Find, Method::Get, Method::Create]
    }

    async fn call(&self, ctx: &mut HookContext) -> Result<Value> {
        match ctx.method() {
            Method::Create => Ok(ctx.data.clone()),
            Method::Get if ctx.id == Some(Id::Int(0)) => {
                Err(Error::not_found("No record found for id '0'"))
            }
            Method::Get if ctx.id == Some(Id::Str("slow".into())) => {
                tokio::time::sleep(Duration::from_millis(300)).await;
                Ok(json!("slow"))
            }
            Method::Get => Ok(json!({ "id": ctx.id, "query": ctx.params.query })),
            _ => Ok(json!([])),
        }
    }
}

async fn start(settings: impl FnOnce(AppBuilder) -> AppBuilder) -> (App, Server) {
    realtime_support::start("notes", Notes, settings).await
}

/// Pings far apart: a test about something else is never cut short by the heartbeat.
fn slow_pings(socketio: &mut SocketIoSettings) {
    socketio.ping_interval = Duration::from_secs(60);
    socketio.ping_timeout = Duration::from_secs(60);
}

async fn open_ws(server: &Server) -> Ws {
    let url = format!(
        "ws://{}/socket.io/?EIO=4&transport=websocket",
        server.local_addr()
    );
    let (ws, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("websocket connects");
    ws
}

async fn send(ws: &mut Ws, text: &str) {
    ws.send(Message::Text(text.into())).await.expect("sends");
}

/// Opens a websocket session and connects the default namespace.
async fn connected_ws(server: &Server) -> Ws {
    let mut ws = open_ws(server).await;
    let open = next_text(&mut ws).await;
    assert!(open.starts_with("0{"), "{open}");
    let open: Value = serde_json::from_str(&open[1..]).expect("open packet JSON");
    assert_eq!(open["upgrades"], json!([]));
    assert!(
        open["pingInterval"].is_u64() && open["sid"].is_string(),
        "{open}"
    );
    send(&mut ws, "40").await;
    let connected = next_text(&mut ws).await;
    assert!(connected.starts_with("40{\"sid\":"), "{connected}");
    ws
}

#[tokio::test]
async fn calls_are_acked_with_results_or_feathers_errors() {
    let (_app, server) = start(|builder| builder).await;
    let mut ws = connected_ws(&server).await;

    send(&mut ws, r#"421["get","notes",5,{"a":1}]"#).await;
    assert_eq!(
        next_text(&mut ws).await,
        r#"431[null,{"id":5,"query":{"a":1}}]"#
    );

    send(&mut ws, r#"422["get","notes",0]"#).await;
    assert_eq!(
        next_text(&mut ws).await,
        r#"432[{"name":"NotFound","message":"No record found for id '0'","code":404,"className":"not-found"}]"#
    );

    send(&mut ws, r#"423["find","notes",1,{}]"#).await;
    assert_eq!(
        next_text(&mut ws).await,
        r#"433[{"name":"BadRequest","message":"Too many arguments for 'find' method","code":400,"className":"bad-request"}]"#
    );

    send(&mut ws, r#"427["get","nope",1]"#).await;
    assert!(next_text(&mut ws)
        .await
        .contains("Service 'nope' not found"));

    send(&mut ws, r#"428["update","notes",1,{}]"#).await;
    assert!(next_text(&mut ws)
        .await
        .contains("Method 'update' not allowed on service 'notes'"));
}

#[tokio::test]
async fn calls_beyond_the_in_flight_limit_are_refused_with_429() {
    let (_app, server) = start(|builder| {
        builder.configure(|realtime: &mut RealtimeSettings| realtime.max_calls_in_flight = 1)
    })
    .await;
    let mut ws = connected_ws(&server).await;
    send(&mut ws, r#"421["get","notes","slow",{}]"#).await;
    send(&mut ws, r#"422["get","notes",5,{}]"#).await;
    let refused = next_text(&mut ws).await;
    assert!(
        refused.starts_with(r#"432[{"name":"TooManyRequests""#),
        "{refused}"
    );
    assert_eq!(next_text(&mut ws).await, r#"431[null,"slow"]"#);
    send(&mut ws, r#"423["get","notes",5,{}]"#).await;
    assert_eq!(
        next_text(&mut ws).await,
        r#"433[null,{"id":5,"query":{}}]"#,
        "room again once it finished"
    );
}

#[tokio::test]
async fn a_call_that_waits_does_not_hold_up_the_calls_after_it() {
    // Calls that finish at once run on the connection's task; one that waits goes on
    // in a task of its own, so a later call is answered first, as with Feathers.
    let (_app, server) = start(|builder| builder).await;
    let mut ws = connected_ws(&server).await;
    send(&mut ws, r#"421["get","notes","slow",{}]"#).await;
    send(&mut ws, r#"422["get","notes",5,{}]"#).await;
    send(&mut ws, r#"423["create","notes",{"n":3}]"#).await;
    let mut texts = Vec::new();
    while texts.len() < 4 {
        texts.push(next_text(&mut ws).await);
    }
    let position = |prefix: &str| {
        texts
            .iter()
            .position(|text| text.starts_with(prefix))
            .unwrap_or_else(|| panic!("no frame starting {prefix} in {texts:?}"))
    };
    assert_eq!(texts[position("432")], r#"432[null,{"id":5,"query":{}}]"#);
    assert_eq!(texts[position("433")], r#"433[null,{"n":3}]"#);
    assert_eq!(texts[position("431")], r#"431[null,"slow"]"#);
    assert!(
        position("432") < position("431") && position("433") < position("431"),
        "the waiting call answers last: {texts:?}"
    );
    assert!(texts.contains(&r#"42["notes created",{"n":3}]"#.to_owned()));
}

#[tokio::test]
async fn a_call_without_an_ack_still_runs_and_emits_its_event() {
    let (_app, server) = start(|builder| builder).await;
    let mut ws = connected_ws(&server).await;
    send(&mut ws, r#"42["create","notes",{"text":"no ack"}]"#).await;
    assert_eq!(
        next_text(&mut ws).await,
        r#"42["notes created",{"text":"no ack"}]"#
    );
}

#[tokio::test]
async fn bad_frames_are_answered_or_dropped_and_the_connection_stays_usable() {
    let (_app, server) = start(|builder| builder).await;
    let mut ws = connected_ws(&server).await;
    for garbage in [
        "",
        "4",
        "42",
        "42{}",
        "42[]",
        "42[1,2]",
        "42[\"find\"",
        "9",
        "4999",
        "42999999999999999999[\"x\"]",
    ] {
        send(&mut ws, garbage).await;
    }
    send(&mut ws, r#"425["find",{"path":1},{}]"#).await;
    assert!(next_text(&mut ws)
        .await
        .starts_with(r#"435[{"name":"NotFound","message":"Invalid service path""#));
    send(&mut ws, r#"426["find","notes","not an object"]"#).await;
    assert!(next_text(&mut ws)
        .await
        .starts_with(r#"436[{"name":"BadRequest""#));
    send(&mut ws, r#"427["get","notes",{"id":1},{}]"#).await;
    assert!(next_text(&mut ws)
        .await
        .starts_with(r#"437[{"name":"BadRequest""#));
    send(&mut ws, r#"428["disconnect","notes"]"#).await;
    assert!(next_text(&mut ws).await.contains("reserved event name"));
    send(&mut ws, r#"429["find","notes",{}]"#).await;
    assert_eq!(next_text(&mut ws).await, "439[null,[]]");
}

/// A call the client waits on must be answered even when its payload cannot be read:
/// the ack id comes before the payload, so the error goes to that ack.
#[tokio::test]
async fn a_malformed_event_with_a_readable_ack_id_gets_an_error_answer() {
    let (_app, server) = start(|builder| builder).await;
    let mut ws = connected_ws(&server).await;
    for (frame, ack) in [
        (r#"4211["find","notes""#, 11),
        ("4212{}", 12),
        ("4213[]", 13),
        ("4214[1,2]", 14),
    ] {
        send(&mut ws, frame).await;
        let answer = next_text(&mut ws).await;
        assert!(
            answer.starts_with(&format!(r#"43{ack}[{{"name":"BadRequest""#)),
            "{frame} got {answer}"
        );
        assert!(answer.contains("Invalid Socket.io event"), "{answer}");
    }
    send(&mut ws, r#"4215["find","notes",{}]"#).await;
    assert_eq!(next_text(&mut ws).await, "4315[null,[]]");
}

#[tokio::test]
async fn binary_attachments_close_the_connection_with_a_reason() {
    let (_app, server) = start(|builder| builder).await;
    let mut ws = connected_ws(&server).await;
    ws.send(Message::Binary(vec![1, 2, 3].into()))
        .await
        .expect("sends");
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(Ok(message)) = ws.next().await {
            if let Message::Close(frame) = message {
                return frame.map(|f| f.reason.to_string());
            }
        }
        None
    })
    .await
    .expect("closed within 5s");
    assert_eq!(closed.as_deref(), Some("binary frames are not supported"));
}

#[tokio::test]
async fn the_server_pings_and_a_client_that_does_not_pong_is_closed() {
    let (app, server) = start(|builder| {
        builder.configure(|socketio: &mut SocketIoSettings| {
            socketio.ping_interval = Duration::from_millis(100);
            socketio.ping_timeout = Duration::from_millis(200);
        })
    })
    .await;
    let reasons = CloseReasons::record(&app);
    let mut ws = connected_ws(&server).await;
    for _ in 0..3 {
        assert_eq!(next_text(&mut ws).await, "2");
        send(&mut ws, "3").await;
    }
    assert_eq!(next_text(&mut ws).await, "2");
    // No pong now: the server must give up within the timeout.
    let ended = closes_within(&mut ws, Duration::from_secs(3)).await;
    assert!(ended, "the connection must close after a missed pong");
    assert!(reasons.wait_any(Duration::from_secs(5)).await);
    let reasons = reasons.all();
    assert_eq!(reasons, vec![Some(CloseReason::Timeout)]);
}

#[tokio::test]
async fn disconnect_leaves_every_channel_and_empty_channels_are_dropped() {
    let (app, server) = start(|builder| builder).await;
    let joined: Arc<Mutex<Vec<Connection>>> = Arc::default();
    let record = joined.clone();
    app.on_connection(move |connection, app| {
        app.channel("room").join(connection);
        if let Ok(mut joined) = record.lock() {
            joined.push(connection.clone());
        }
    });
    let mut ws = connected_ws(&server).await;
    assert_eq!(app.channel_names(), ["everybody", "room"]);
    send(&mut ws, "41").await;
    assert!(
        eventually(Duration::from_secs(5), || app.channel_names().is_empty()).await,
        "every channel is left and dropped"
    );
    assert!(app.channel("room").is_empty());
}

/// One raw HTTP exchange with the router: the response's status and body text.
async fn exchange(router: &axum::Router, method: &str, uri: &str, body: &str) -> (u16, String) {
    use tower::ServiceExt;
    let request = http::Request::builder()
        .method(method)
        .uri(uri)
        .body(axum::body::Body::from(body.to_owned()))
        .expect("request");
    let response = router.clone().oneshot(request).await.expect("a response");
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("body");
    (status, String::from_utf8(bytes.to_vec()).expect("utf-8"))
}

/// Raw polling requests through the router: handshake, CONNECT, a call, the ack.
#[tokio::test]
async fn long_polling_carries_calls_and_acks() {
    let app = App::builder()
        .service_at("notes", Notes)
        .build()
        .expect("app builds");
    let router = app.router();
    let (_, open) = exchange(&router, "GET", "/socket.io/?EIO=4&transport=polling", "").await;
    let open: Value = serde_json::from_str(&open[1..]).expect("open packet");
    assert_eq!(open["upgrades"], json!(["websocket"]));
    let sid = open["sid"].as_str().expect("sid").to_owned();
    let uri = format!("/socket.io/?EIO=4&transport=polling&sid={sid}");

    let (_, ok) = exchange(&router, "POST", &uri, "40").await;
    assert_eq!(ok, "ok");
    let (_, connected) = exchange(&router, "GET", &uri, "").await;
    assert!(connected.starts_with("40{\"sid\":"), "{connected}");

    let calls = "420[\"get\",\"notes\",1,{}]\u{1e}421[\"get\",\"notes\",2,{}]";
    assert_eq!(exchange(&router, "POST", &uri, calls).await.1, "ok");
    let mut acks = Vec::new();
    while acks.len() < 2 {
        let (_, body) = exchange(&router, "GET", &uri, "").await;
        acks.extend(body.split('\u{1e}').map(str::to_owned));
    }
    acks.sort();
    assert_eq!(
        acks,
        [
            r#"430[null,{"id":1,"query":{}}]"#,
            r#"431[null,{"id":2,"query":{}}]"#
        ]
    );

    let unknown = "/socket.io/?EIO=4&transport=polling&sid=nope";
    assert_eq!(exchange(&router, "GET", unknown, "").await.0, 400);
    let old = "/socket.io/?EIO=3&transport=polling";
    assert_eq!(exchange(&router, "GET", old, "").await.0, 400);
}

/// The queue is bounded in bytes as well as frames: a client that stops reading large
/// events is cut off long before its few frames hold gigabytes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_large_events_is_cut_off_by_bytes() {
    let (app, server) = start(|builder| {
        builder
            .configure(slow_pings)
            .configure(|realtime: &mut RealtimeSettings| {
                realtime.outbound_queue = 100_000;
                realtime.outbound_queue_bytes = 1024 * 1024;
            })
    })
    .await;
    let reasons = CloseReasons::record(&app);
    let slow = connected_ws(&server).await; // never read again
    let notes = app.service("notes").expect("registered");
    let padding = "x".repeat(100_000);
    // 30 MB in all: more than the socket buffers take, 30 times the byte bound.
    for seq in 0..300 {
        notes
            .create(json!({ "seq": seq, "padding": padding }), Params::default())
            .await
            .expect("create");
        if !reasons.all().is_empty() {
            break;
        }
    }
    assert!(
        reasons.wait_any(Duration::from_secs(10)).await,
        "the slow client is disconnected"
    );
    assert_eq!(reasons.all(), vec![Some(CloseReason::SlowConsumer)]);
    drop(slow);
}

/// A client that never reads is cut off once its queue is full, while the others
/// receive every event in order and the publisher never waits for the slow one.
///
/// The publisher keeps at most `WINDOW` events ahead of the reading clients (far less
/// than their queue), so a busy test machine cannot make a reader look slow; the
/// client that never reads falls behind without bound and is the only one cut off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_is_cut_off_while_others_get_every_event() {
    const EVENTS: usize = 200;
    const WINDOW: usize = 2;
    let (app, server) = start(|builder| {
        builder
            .configure(slow_pings)
            .configure(|realtime: &mut RealtimeSettings| realtime.outbound_queue = 8)
    })
    .await;
    let reasons = CloseReasons::record(&app);

    let slow = connected_ws(&server).await; // never read again
    let mut readers = Vec::new();
    let mut progress = Vec::new();
    for _ in 0..2 {
        let mut ws = connected_ws(&server).await;
        let (received, watch) = tokio::sync::watch::channel(0usize);
        progress.push(watch);
        readers.push(tokio::spawn(async move {
            let mut seqs = Vec::new();
            while seqs.len() < EVENTS {
                let text = next_text(&mut ws).await;
                if let Some(json) = text.strip_prefix("42") {
                    let event: Value = serde_json::from_str(json).expect("event JSON");
                    seqs.push(event[1]["seq"].as_u64().expect("seq"));
                    received.send_replace(seqs.len());
                }
            }
            seqs
        }));
    }

    let notes = app.service("notes").expect("registered");
    let padding = "x".repeat(100_000);
    let started = std::time::Instant::now();
    for seq in 0..EVENTS {
        for watch in &mut progress {
            tokio::time::timeout(
                Duration::from_secs(10),
                watch.wait_for(|received| received + WINDOW >= seq),
            )
            .await
            .expect("a reading client keeps up")
            .expect("reader alive");
        }
        notes
            .create(json!({ "seq": seq, "padding": padding }), Params::default())
            .await
            .expect("create");
    }
    let publishing = started.elapsed();

    for reader in readers {
        let seqs = reader.await.expect("reader finished");
        assert_eq!(
            seqs,
            (0..EVENTS as u64).collect::<Vec<_>>(),
            "every event, in order"
        );
    }
    assert!(
        reasons.wait_any(Duration::from_secs(10)).await,
        "the slow client is disconnected"
    );
    // Readers that finished may have disconnected too; they did so themselves.
    let server_side: Vec<_> = reasons
        .all()
        .into_iter()
        .filter(|reason| *reason != Some(CloseReason::Client))
        .collect();
    assert_eq!(server_side, vec![Some(CloseReason::SlowConsumer)]);
    assert!(
        publishing < Duration::from_secs(20),
        "publishing took {publishing:?}"
    );
    drop(slow);
}

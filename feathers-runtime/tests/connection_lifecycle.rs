//! Every way a real-time connection ends goes through one ending: afterwards the
//! session table and the channels are empty, no connection is tracked, and the
//! disconnect handlers ran exactly once for each connection that had connected.

mod engine_client;

use std::sync::Arc;
use std::time::Duration;

use engine_client::{
    connected_ws, http, next_text, next_text_or_close, primus, send, wait_idle, Disconnects,
    Polling,
};
use feathers_runtime::prelude::*;
use feathers_runtime::realtime::CloseReason;
use feathers_runtime::{
    AppBuilder, HttpLimits, Method, PrimusSettings, RealtimeSettings, Server, Service,
    SocketIoSettings,
};
use feathers_test_support::eventually;
use futures_util::SinkExt;
use tokio::sync::Semaphore;
use tokio_tungstenite::tungstenite::Message;

/// `notes`: `create` echoes its data; `get` waits for a permit of the gate first.
struct Notes {
    gate: Arc<Semaphore>,
}

impl Service for Notes {
    fn methods(&self) -> Vec<Method> {
        vec![Method::Get, Method::Create]
    }

    async fn call(&self, ctx: &mut HookContext) -> Result<Value> {
        if *ctx.method() == Method::Get {
            let permit = self.gate.acquire().await;
            drop(permit);
            return Ok(json!({ "id": ctx.id }));
        }
        Ok(ctx.data.clone())
    }
}

/// Short timings, so that timeouts are seen within a test.
fn quick(builder: AppBuilder) -> AppBuilder {
    builder
        .configure(|socketio: &mut SocketIoSettings| {
            socketio.ping_interval = Duration::from_millis(150);
            socketio.ping_timeout = Duration::from_millis(150);
            socketio.upgrade_timeout = Duration::from_millis(300);
        })
        .configure(|primus: &mut PrimusSettings| {
            primus.ping_interval = Duration::from_millis(150);
        })
        .configure(|http: &mut HttpLimits| http.drain_timeout = Duration::from_secs(5))
}

/// No heartbeat gets in the way: for raw clients that do not answer pings.
fn no_heartbeat(builder: AppBuilder) -> AppBuilder {
    builder
        .configure(|socketio: &mut SocketIoSettings| {
            socketio.ping_interval = Duration::from_secs(30);
            socketio.ping_timeout = Duration::from_secs(30);
        })
        .configure(|primus: &mut PrimusSettings| {
            primus.ping_interval = Duration::from_secs(30);
        })
}

struct Fixture {
    app: App,
    server: Server,
    gate: Arc<Semaphore>,
    disconnects: Disconnects,
}

async fn start(settings: impl FnOnce(AppBuilder) -> AppBuilder) -> Fixture {
    let gate = Arc::new(Semaphore::new(0));
    let app = settings(App::builder())
        .service_at("notes", Notes { gate: gate.clone() })
        .setup(|app: &App| {
            app.on_connection(|connection, app| {
                app.channel("everybody").join(connection);
                app.channel(&format!("user/{}", connection.id()))
                    .join(connection);
            });
            app.publish(|_event, app| vec![app.channel("everybody")]);
        })
        .build()
        .expect("app builds");
    let disconnects = Disconnects::record(&app);
    let server = app.listen("127.0.0.1:0").await.expect("listens");
    Fixture {
        app,
        server,
        gate,
        disconnects,
    }
}

impl Fixture {
    fn addr(&self) -> std::net::SocketAddr {
        self.server.local_addr()
    }

    /// Waits until nothing is live, then checks each connection ended once for `reason`.
    async fn ended(&self, expected: usize, reason: CloseReason) {
        wait_idle(&self.app).await;
        let ok = eventually(Duration::from_secs(2), || {
            self.disconnects.len() >= expected
        })
        .await;
        assert!(ok, "{} of {expected} disconnects", self.disconnects.len());
        let reasons = self.disconnects.reasons();
        assert_eq!(reasons.len(), expected, "{reasons:?}");
        for seen in reasons {
            assert_eq!(seen, Some(reason.clone()));
        }
    }

    /// Waits until `count` connections are in `everybody`.
    async fn in_everybody(&self, count: usize) {
        let ok = eventually(Duration::from_secs(5), || {
            self.app.realtime_stats().channels.get("everybody") == Some(&count)
        })
        .await;
        assert!(ok, "{:?}", self.app.realtime_stats());
    }
}

#[tokio::test]
async fn websocket_client_close() {
    let f = start(quick).await;
    let mut ws = connected_ws(f.addr()).await;
    f.in_everybody(1).await;
    ws.close(None).await.expect("closes");
    f.ended(1, CloseReason::Client).await;
}

#[tokio::test]
async fn websocket_engine_close_packet() {
    let f = start(quick).await;
    let mut ws = connected_ws(f.addr()).await;
    f.in_everybody(1).await;
    send(&mut ws, "1").await;
    f.ended(1, CloseReason::Client).await;
}

#[tokio::test]
async fn websocket_socketio_disconnect_packet() {
    let f = start(quick).await;
    let mut ws = connected_ws(f.addr()).await;
    f.in_everybody(1).await;
    send(&mut ws, "41").await;
    f.ended(1, CloseReason::Client).await;
}

#[tokio::test]
async fn websocket_heartbeat_timeout() {
    let f = start(quick).await;
    let mut ws = connected_ws(f.addr()).await;
    assert_eq!(next_text(&mut ws).await, "2", "a ping, left unanswered");
    f.ended(1, CloseReason::Timeout).await;
    drop(ws);
}

#[tokio::test]
async fn websocket_protocol_error() {
    let f = start(quick).await;
    let mut ws = connected_ws(f.addr()).await;
    ws.send(Message::Binary(vec![1, 2, 3].into()))
        .await
        .expect("sends");
    f.ended(
        1,
        CloseReason::Protocol("binary frames are not supported".into()),
    )
    .await;
}

#[tokio::test]
async fn websocket_oversize_frame() {
    let f = start(|builder| {
        quick(builder).configure(|realtime: &mut RealtimeSettings| realtime.max_message = 1024)
    })
    .await;
    let mut ws = connected_ws(f.addr()).await;
    let big = format!("42[\"create\",\"notes\",\"{}\"]", "x".repeat(4096));
    let _ = ws.send(Message::Text(big.into())).await;
    f.ended(1, CloseReason::Protocol("message too large".into()))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websocket_slow_consumer() {
    let f = start(|builder| {
        // No heartbeat, so the stalled write is not what cuts the client off.
        no_heartbeat(quick(builder))
            .configure(|realtime: &mut RealtimeSettings| realtime.outbound_queue = 4)
    })
    .await;
    let ws = connected_ws(f.addr()).await;
    f.in_everybody(1).await;
    let notes = f.app.service("notes").expect("notes");
    // The client reads nothing; the socket's buffers fill, then its queue.
    let payload = "y".repeat(64 * 1024);
    for _ in 0..400 {
        if !f.disconnects.reasons().is_empty() {
            break;
        }
        let _ = notes
            .create(json!({ "text": payload }), Params::default())
            .await;
        tokio::task::yield_now().await;
    }
    f.ended(1, CloseReason::SlowConsumer).await;
    drop(ws);
}

#[tokio::test]
async fn polling_close_packet() {
    let f = start(quick).await;
    let session = Polling::connected(f.addr()).await;
    f.in_everybody(1).await;
    assert_eq!(session.post("1").await.0, 200);
    f.ended(1, CloseReason::Client).await;
    let (status, _) = session.get().await;
    assert_eq!(status, 400, "the session id is gone");
}

#[tokio::test]
async fn polling_socketio_disconnect_packet() {
    let f = start(quick).await;
    let session = Polling::connected(f.addr()).await;
    assert_eq!(session.post("41").await.0, 200);
    f.ended(1, CloseReason::Client).await;
}

#[tokio::test]
async fn polling_client_that_stops_polling_times_out() {
    let f = start(quick).await;
    let _session = Polling::connected(f.addr()).await;
    f.in_everybody(1).await;
    f.ended(1, CloseReason::Timeout).await;
}

#[tokio::test]
async fn polling_session_never_connected_to_the_namespace_ends_too() {
    let f = start(quick).await;
    let _session = Polling::open(f.addr()).await;
    assert_eq!(f.app.realtime_stats().sessions, 1);
    // No CONNECT: no connection handlers, so no disconnect handlers either.
    wait_idle(&f.app).await;
    assert_eq!(f.disconnects.len(), 0);
}

#[tokio::test]
async fn polling_oversize_payload() {
    let f = start(|builder| {
        quick(builder).configure(|realtime: &mut RealtimeSettings| realtime.max_message = 1024)
    })
    .await;
    let session = Polling::connected(f.addr()).await;
    let (status, _) = session.post(&"4".repeat(4096)).await;
    assert_eq!(status, 413);
    f.ended(1, CloseReason::Protocol("payload too large".into()))
        .await;
}

#[tokio::test]
async fn polling_binary_is_a_protocol_error() {
    let f = start(quick).await;
    let session = Polling::connected(f.addr()).await;
    assert_eq!(session.post("bAQID").await.0, 200);
    f.ended(
        1,
        CloseReason::Protocol("binary attachments are not supported".into()),
    )
    .await;
}

#[tokio::test]
async fn polling_slow_consumer() {
    let f = start(|builder| {
        quick(builder)
            .configure(|socketio: &mut SocketIoSettings| {
                socketio.ping_interval = Duration::from_secs(30);
            })
            .configure(|realtime: &mut RealtimeSettings| realtime.outbound_queue = 4)
    })
    .await;
    let _session = Polling::connected(f.addr()).await;
    f.in_everybody(1).await;
    let notes = f.app.service("notes").expect("notes");
    for n in 0..5 {
        notes
            .create(json!({ "n": n }), Params::default())
            .await
            .expect("created");
    }
    // Cut off at once, not at the (30 s) heartbeat.
    f.ended(1, CloseReason::SlowConsumer).await;
}

/// The upgrade given up after the probe: the socket closes. The session goes back to
/// polling, with its heartbeat, and a client that then goes silent times out.
#[tokio::test]
async fn upgrade_aborted_after_the_probe_by_closing_the_socket() {
    let f = start(quick).await;
    let session = Polling::connected(f.addr()).await;
    let mut ws = session.websocket().await;
    send(&mut ws, "2probe").await;
    assert_eq!(next_text(&mut ws).await, "3probe");
    ws.close(None).await.expect("closes");
    drop(ws);
    f.ended(1, CloseReason::Timeout).await;
}

#[tokio::test]
async fn upgrade_aborted_after_the_probe_with_a_close_packet() {
    let f = start(quick).await;
    let session = Polling::connected(f.addr()).await;
    let mut ws = session.websocket().await;
    send(&mut ws, "2probe").await;
    assert_eq!(next_text(&mut ws).await, "3probe");
    send(&mut ws, "1").await;
    f.ended(1, CloseReason::Client).await;
}

#[tokio::test]
async fn upgrade_aborted_before_the_probe() {
    let f = start(quick).await;
    let session = Polling::connected(f.addr()).await;
    let mut ws = session.websocket().await;
    send(&mut ws, "hello").await;
    assert_eq!(
        next_text_or_close(&mut ws).await,
        None,
        "the socket is refused"
    );
    // The session still polls: a call over polling is answered.
    assert_eq!(
        session.post("420[\"create\",\"notes\",{\"a\":1}]").await.0,
        200
    );
    let mut seen = String::new();
    for _ in 0..5 {
        seen.push_str(&session.get().await.1);
        if seen.contains("430[null,{\"a\":1}]") {
            break;
        }
    }
    assert!(seen.contains("430[null,{\"a\":1}]"), "{seen}");
    assert_eq!(session.post("1").await.0, 200);
    f.ended(1, CloseReason::Client).await;
}

/// The probe answered, then nothing: at the upgrade timeout the session polls again,
/// and its heartbeat ends it when the client stays silent.
#[tokio::test]
async fn upgrade_probe_timeout() {
    let f = start(quick).await;
    let session = Polling::connected(f.addr()).await;
    let mut ws = session.websocket().await;
    send(&mut ws, "2probe").await;
    assert_eq!(next_text(&mut ws).await, "3probe");
    f.ended(1, CloseReason::Timeout).await;
    drop(ws);
}

#[tokio::test]
async fn upgraded_session_closed_by_the_client() {
    let f = start(quick).await;
    let session = Polling::connected(f.addr()).await;
    let mut ws = session.websocket().await;
    send(&mut ws, "2probe").await;
    assert_eq!(next_text(&mut ws).await, "3probe");
    send(&mut ws, "5").await;
    f.in_everybody(1).await;
    send(&mut ws, "3").await;
    ws.close(None).await.expect("closes");
    f.ended(1, CloseReason::Client).await;
}

#[tokio::test]
async fn primus_client_close() {
    let f = start(quick).await;
    let mut ws = primus(f.addr()).await;
    f.in_everybody(1).await;
    ws.close(None).await.expect("closes");
    f.ended(1, CloseReason::Client).await;
}

#[tokio::test]
async fn primus_heartbeat_timeout() {
    let f = start(quick).await;
    let _ws = primus(f.addr()).await;
    f.in_everybody(1).await;
    f.ended(1, CloseReason::Timeout).await;
}

#[tokio::test]
async fn the_application_closing_a_connection() {
    let f = start(quick).await;
    let mut ws = connected_ws(f.addr()).await;
    f.in_everybody(1).await;
    for connection in f.app.channel("everybody").connections() {
        connection.close();
    }
    assert_eq!(next_text(&mut ws).await, "41", "a Socket.IO disconnect");
    f.ended(1, CloseReason::Server).await;
}

/// Shutdown with a call running on each transport: the calls finish and are acked, then
/// every client is closed for a reconnect (an Engine.IO close, not a Socket.IO
/// DISCONNECT), and nothing is left.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_shutdown_drains_calls_then_closes_every_transport() {
    let Fixture {
        app,
        server,
        gate,
        disconnects,
    } = start(|builder| no_heartbeat(quick(builder))).await;
    let addr = server.local_addr();
    let mut ws = connected_ws(addr).await;
    let polling = Polling::connected(addr).await;
    let mut spark = primus(addr).await;
    let ok = eventually(Duration::from_secs(5), || {
        app.realtime_stats().channels.get("everybody") == Some(&3)
    })
    .await;
    assert!(ok, "{:?}", app.realtime_stats());

    send(&mut ws, "421[\"get\",\"notes\",1]").await;
    assert_eq!(polling.post("422[\"get\",\"notes\",2]").await.0, 200);
    send(&mut spark, r#"{"type":0,"data":["get","notes",3],"id":3}"#).await;
    let ok = eventually(Duration::from_secs(5), || {
        app.realtime_stats().calls_in_flight == 3
    })
    .await;
    assert!(ok, "{:?}", app.realtime_stats());

    let poll = tokio::spawn(async move {
        let answer = polling.get().await;
        (polling, answer)
    });
    let shutdown = tokio::spawn(server.shutdown());
    let draining = eventually(Duration::from_secs(5), || app.is_draining()).await;
    assert!(draining);
    // New sessions are refused while draining.
    let (status, _) = http(addr, "GET", "/socket.io/?EIO=4&transport=polling", "").await;
    assert_eq!(status, 503);
    gate.add_permits(3);

    assert_eq!(next_text(&mut ws).await, r#"431[null,{"id":1}]"#);
    // A ping the client answers once it has handled the ack, then the close.
    assert_eq!(next_text(&mut ws).await, "2");
    send(&mut ws, "3").await;
    assert_eq!(next_text(&mut ws).await, "1", "an Engine.IO close");
    assert_eq!(next_text_or_close(&mut ws).await, None);
    let (polling, (status, body)) = poll.await.expect("the poll ends");
    assert_eq!((status, body.as_str()), (200, r#"432[null,{"id":2}]"#));
    // The close comes in an answer of its own: socket.io-client would drop an ack
    // that came with it.
    assert_eq!(polling.get().await, (200, "1".to_owned()));
    assert_eq!(
        next_text(&mut spark).await,
        r#"{"id":3,"type":1,"data":[null,{"id":3}]}"#
    );
    let ping = next_text(&mut spark).await;
    assert!(ping.starts_with("\"primus::ping::"), "{ping}");
    send(&mut spark, "\"primus::pong::1\"").await;
    assert_eq!(
        next_text_or_close(&mut spark).await,
        None,
        "closed, no primus::server::close"
    );

    shutdown
        .await
        .expect("the shutdown task")
        .expect("the server stops");
    assert!(app.realtime_stats().is_idle(), "{:?}", app.realtime_stats());
    let reasons = disconnects.reasons();
    assert_eq!(reasons.len(), 3);
    assert!(
        reasons.iter().all(|r| *r == Some(CloseReason::Shutdown)),
        "{reasons:?}"
    );
}

/// A client that does not go away is dropped at the drain timeout.
#[tokio::test]
async fn shutdown_is_bounded_by_the_drain_timeout() {
    let f = start(quick).await;
    let mut ws = connected_ws(f.addr()).await;
    send(&mut ws, "421[\"get\",\"notes\",1]").await;
    let ok = eventually(Duration::from_secs(5), || {
        f.app.realtime_stats().calls_in_flight == 1
    })
    .await;
    assert!(ok);
    // The call never finishes.
    let report = f.app.drain_realtime(Duration::from_millis(300)).await;
    assert_eq!((report.connections, report.calls), (1, 1));
    wait_idle_but_calls(&f.app).await;
    drop(ws);
}

async fn wait_idle_but_calls(app: &App) {
    let ok = eventually(Duration::from_secs(5), || {
        let stats = app.realtime_stats();
        stats.total_connections() == 0 && stats.sessions == 0 && stats.channels.is_empty()
    })
    .await;
    assert!(ok, "{:?}", app.realtime_stats());
}

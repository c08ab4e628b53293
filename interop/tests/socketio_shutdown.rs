//! The real socket.io-client across a graceful shutdown: the call in flight is acked,
//! the client reconnects to the next server on the same address, and a close the
//! application asks for (`Connection::close`) is one the client does not reconnect
//! from.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use feathers_runtime::prelude::*;
use feathers_runtime::{Method, Service};
use feathers_test_support::assert_eventually;
use interop::run_node;
use tokio::sync::Semaphore;

/// `slow`: `get` waits for a permit of the gate, then answers `{id}`.
struct Slow {
    gate: Arc<Semaphore>,
    calls: Arc<AtomicUsize>,
}

impl Service for Slow {
    fn methods(&self) -> Vec<Method> {
        vec![Method::Get]
    }

    async fn call(&self, ctx: &mut HookContext) -> Result<Value> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        drop(self.gate.acquire().await);
        Ok(json!({ "id": ctx.id }))
    }
}

/// How long each step around the shutdown may take.
const STEP_LIMIT: Duration = Duration::from_secs(30);

fn app(gate: Arc<Semaphore>, calls: Arc<AtomicUsize>) -> App {
    App::builder()
        .service_at("slow", Slow { gate, calls })
        .build()
        .expect("app builds")
}

async fn across_a_shutdown(transports: Option<&'static str>) {
    let (gate, calls) = (Arc::new(Semaphore::new(0)), Arc::new(AtomicUsize::new(0)));
    let first = app(gate.clone(), calls.clone());
    let server = first.listen("127.0.0.1:0").await.expect("listens");
    let addr = server.local_addr();
    let url = server.url();
    let client = tokio::spawn(async move {
        let env: Vec<(&str, &str)> = transports
            .map(|t| ("SOCKET_TRANSPORTS", t))
            .into_iter()
            .collect();
        run_node(&["socketio-shutdown.mjs"], &url, &env).await
    });

    assert_eventually(STEP_LIMIT, "call in flight", || {
        first.realtime_stats().calls_in_flight == 1
    })
    .await;
    let shutdown = tokio::spawn(server.shutdown());
    assert_eventually(STEP_LIMIT, "drain", || first.is_draining()).await;
    gate.add_permits(1);
    shutdown
        .await
        .expect("the shutdown task")
        .expect("the server stops");
    assert!(
        first.realtime_stats().is_idle(),
        "{:?}",
        first.realtime_stats()
    );

    let (gate, calls) = (Arc::new(Semaphore::new(1)), Arc::new(AtomicUsize::new(0)));
    let second = app(gate, calls.clone());
    let server = second
        .listen(&addr.to_string())
        .await
        .expect("the next server takes the address");
    assert_eventually(STEP_LIMIT, "call on the next server", || {
        calls.load(Ordering::SeqCst) == 1
    })
    .await;
    assert_eventually(STEP_LIMIT, "the ack", || {
        second.realtime_stats().calls_in_flight == 0
    })
    .await;
    for connection in second.realtime_connections() {
        connection.close();
    }

    let run = client.await.expect("the node task");
    let seen: Vec<String> = run
        .stdout
        .lines()
        .rev()
        .find_map(|line| serde_json::from_str(line).ok())
        .unwrap_or_else(|| panic!("no summary line\n{}\n{}", run.stdout, run.stderr));
    assert_eq!(
        seen.first().map(String::as_str),
        Some(r#"ack:{"id":1}"#),
        "{seen:?}"
    );
    let disconnects: Vec<&String> = seen
        .iter()
        .filter(|s| s.starts_with("disconnect:"))
        .collect();
    assert_eq!(
        disconnects,
        [
            "disconnect:transport close",
            "disconnect:io server disconnect"
        ],
        "{seen:?}"
    );
    assert_eq!(
        seen.iter().filter(|s| *s == "reconnect").count(),
        1,
        "{seen:?}"
    );
    assert!(seen.contains(&r#"after:{"id":2}"#.to_owned()), "{seen:?}");
    assert_eq!(
        seen.last().map(String::as_str),
        Some("connected:false"),
        "{seen:?}"
    );
    server.shutdown().await.expect("the second server stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_polling_then_websocket() {
    across_a_shutdown(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_websocket_only() {
    across_a_shutdown(Some("websocket")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_polling_only() {
    across_a_shutdown(Some("polling")).await;
}

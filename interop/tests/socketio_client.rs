//! The real `@feathersjs/socketio-client` 5.x with `socket.io-client` 4.x against the
//! chat example and the fixtures: over long-polling with the upgrade to websocket (the
//! client's default), over websocket alone, and over long-polling alone.

use feathers_runtime::prelude::*;
use feathers_runtime::{Method, Serve, Service};
use interop::{fixtures, run_node};

async fn run_with(transports: Option<&str>) {
    let server = fixtures::app()
        .listen("127.0.0.1:0")
        .await
        .expect("the server starts");
    let env: Vec<(&str, &str)> = transports
        .map(|t| ("SOCKET_TRANSPORTS", t))
        .into_iter()
        .collect();
    let run = run_node(
        &["--test", "--test-reporter=spec", "socketio-client.test.mjs"],
        &server.url(),
        &env,
    )
    .await;
    assert!(
        run.stdout.contains("pass 9"),
        "expected 9 passing tests\n{}",
        run.stdout
    );
    server.shutdown().await.expect("the server stops cleanly");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn socketio_client_over_polling_then_websocket() {
    run_with(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn socketio_client_over_websocket_only() {
    run_with(Some("websocket")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn socketio_client_over_polling_only() {
    run_with(Some("polling")).await;
}

/// `todos` whose find takes 3 ms, as a database query does: answers leave one at a
/// time, each while the one before may still be unacknowledged.
struct PacedTodos;

impl Service for PacedTodos {
    fn methods(&self) -> Vec<Method> {
        vec![Method::Find]
    }

    async fn call(&self, _ctx: &mut HookContext) -> Result<Value> {
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
        Ok(json!([]))
    }
}

/// Two calls in flight on one websocket, from the real client: none may wait on the
/// client's delayed ACK, which it does unless the server sets `TCP_NODELAY`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_in_flight_on_one_websocket_do_not_wait_on_nagle() {
    let server = App::builder()
        .service_at("todos", PacedTodos)
        .build()
        .expect("the app builds")
        .listen("127.0.0.1:0")
        .await
        .expect("the server starts");
    let run = interop::run_node_tests_with(
        "calls-in-flight.test.mjs",
        &server.url(),
        &[("SOCKET_TRANSPORTS", "websocket")],
    )
    .await;
    eprintln!("{}", run.stdout);
    assert!(run.stdout.contains("pass 1"), "{}", run.stdout);
    server.shutdown().await.expect("the server stops cleanly");
}

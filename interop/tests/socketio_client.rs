//! The real `@feathersjs/socketio-client` 5.x with `socket.io-client` 4.x against the
//! chat example and the fixtures: over long-polling with the upgrade to websocket (the
//! client's default), over websocket alone, and over long-polling alone.

use feathers_runtime::Serve;
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

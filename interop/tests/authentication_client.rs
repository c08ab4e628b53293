//! The real `@feathersjs/authentication-client` 5 over `@feathersjs/rest-client` and
//! `@feathersjs/socketio-client` (websocket and long-polling), and a Feathers 4 client
//! over Primus, against a feathers-rs server with authentication.

use feathers_runtime::Serve;
use interop::{auth_fixtures, run_node_tests_with};

async fn run(file: &str, env: &[(&str, &str)], passing: usize) {
    let server = auth_fixtures::app()
        .listen("127.0.0.1:0")
        .await
        .expect("the server starts");
    let mut env = env.to_vec();
    env.push(("AUTH_SECRET", auth_fixtures::SECRET));
    let run = run_node_tests_with(file, &server.url(), &env).await;
    assert!(
        run.stdout.contains(&format!("pass {passing}")),
        "expected {passing} passing tests\n{}",
        run.stdout
    );
    server.shutdown().await.expect("the server stops cleanly");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authentication_client_over_rest() {
    run(
        "authentication-client.test.mjs",
        &[("AUTH_TRANSPORT", "rest")],
        7,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authentication_client_over_socketio_websocket() {
    run(
        "authentication-client.test.mjs",
        &[
            ("AUTH_TRANSPORT", "socketio"),
            ("SOCKET_TRANSPORTS", "websocket"),
        ],
        9,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authentication_client_over_socketio_polling() {
    run(
        "authentication-client.test.mjs",
        &[
            ("AUTH_TRANSPORT", "socketio"),
            ("SOCKET_TRANSPORTS", "polling"),
        ],
        9,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feathers_4_client_logs_in_over_primus() {
    run("primus-authentication.test.mjs", &[], 2).await;
}

//! The real `@feathersjs/rest-client` 5.x against the chat example and the fixtures.

use feathers_runtime::Serve;
use interop::{fixtures, run_node_tests};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rest_client_calls_every_method_and_gets_feathers_errors() {
    let server = fixtures::app()
        .listen("127.0.0.1:0")
        .await
        .expect("the server starts");
    run_node_tests("rest-client.test.mjs", &server.url()).await;
    server.shutdown().await.expect("the server stops cleanly");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_clear_errors_and_the_server_keeps_serving() {
    let server = fixtures::app()
        .listen("127.0.0.1:0")
        .await
        .expect("the server starts");
    run_node_tests("rest-raw.test.mjs", &server.url()).await;
    server.shutdown().await.expect("the server stops cleanly");
}

//! What a REST call puts on the broker: the event and what publishers need, not the
//! caller's address, headers or connection.

mod support;

use std::time::Duration;

use feathers_runtime::Serve;
use feathers_sync::RedisSync;
use support::apps::instance;
use support::{heard, raw_subscriber};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const LIMIT: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rest_event_reaches_the_broker_without_the_clients_address_or_headers() {
    let redis = support::redis().await;
    let key = support::unique_key("privacy");
    let (app, _) = instance();
    let sync = RedisSync::new(&redis.url)
        .key(&key)
        .start(&app)
        .expect("starts");
    tokio::time::timeout(LIMIT, sync.subscribed())
        .await
        .expect("subscribed");
    let bare = raw_subscriber(&redis.url, &key).await;
    let server = app.listen("127.0.0.1:0").await.expect("the server starts");

    let body = r#"{"text":"hello"}"#;
    let request = format!(
        "POST /notes HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         X-Forwarded-For: 198.51.100.7\r\nCookie: session=private\r\nUser-Agent: test-agent/1\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        server.local_addr(),
        body.len()
    );
    let mut stream = TcpStream::connect(server.local_addr())
        .await
        .expect("connects");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("sends the request");
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .await
        .expect("reads the answer");
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");

    feathers_test_support::assert_eventually(LIMIT, "the event on the broker", || {
        heard(&bare).len() == 1
    })
    .await;
    let message = heard(&bare).remove(0);
    assert_eq!(message["data"]["text"], "hello");
    assert_eq!(message["context"]["params"]["provider"], "rest");
    let text = message.to_string();
    for private in [
        "remoteAddress",
        "127.0.0.1",
        "198.51.100.7",
        "session=private",
        "test-agent",
        "headers",
        "connection",
    ] {
        assert!(!text.contains(private), "{private} on the broker: {text}");
    }
    server.shutdown().await.expect("the server stops");
}

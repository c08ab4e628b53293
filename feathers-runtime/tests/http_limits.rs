//! The limits on HTTP connections, attacked as a hostile client would: headers that
//! trickle in, idle keep-alive connections, more connections than the cap, clients
//! that hold the server at shutdown, and calls in flight that must not wait on
//! Nagle's algorithm.

mod engine_client;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use engine_client::{connected_ws, next_text, send};
use feathers_runtime::prelude::*;
use feathers_runtime::{HttpLimits, Method, RestSettings, Server, Service};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// `things`: get answers its id at once, after 5 ms for the id `busy`, after 600 ms
/// for the id `slow`.
struct Things;

impl Service for Things {
    fn methods(&self) -> Vec<Method> {
        vec![Method::Get, Method::Create]
    }

    async fn call(&self, ctx: &mut HookContext) -> Result<Value> {
        if *ctx.method() == Method::Create {
            return Ok(ctx.data.clone());
        }
        match &ctx.id {
            Some(Id::Str(id)) if id.as_str() == "slow" => {
                tokio::time::sleep(Duration::from_millis(600)).await;
            }
            Some(Id::Str(id)) if id.as_str() == "busy" => {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            _ => {}
        }
        Ok(json!({ "id": ctx.id }))
    }
}

async fn start(limits: HttpLimits, rest: RestSettings) -> Server {
    App::builder()
        .configure(|settings: &mut RestSettings| *settings = rest)
        .setup(|app: &App| {
            app.on_connection(|connection, app| {
                app.channel("everybody").join(connection);
            });
            app.publish(|_event, app| vec![app.channel("everybody")]);
        })
        .extension(limits)
        .service_at("things", Things)
        .build()
        .expect("app builds")
        .listen("127.0.0.1:0")
        .await
        .expect("listens")
}

fn short_limits() -> HttpLimits {
    HttpLimits::default()
        .header_read_timeout(Duration::from_millis(300))
        .keep_alive_timeout(Duration::from_millis(300))
}

/// Reads until the server closes the connection; false when it is still open at `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let mut buffer = [0u8; 4096];
    tokio::time::timeout(limit, async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .is_ok()
}

/// Sends one keep-alive GET and reads its whole answer: the status and the body.
async fn get(stream: &mut TcpStream, addr: SocketAddr, path: &str) -> (u16, String) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut raw = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buffer))
            .await
            .expect("an answer within 5 s")
            .expect("reads");
        assert!(
            read > 0,
            "the connection closed before the answer was complete"
        );
        raw.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&raw);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|line| {
                    line.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().to_owned())
                })
                .and_then(|value| value.parse::<usize>().ok())
                .expect("a content-length");
            if body.len() >= length {
                let status = head
                    .split(' ')
                    .nth(1)
                    .and_then(|code| code.parse().ok())
                    .unwrap_or(0);
                return (status, body.to_owned());
            }
        }
    }
}

#[tokio::test]
async fn headers_that_trickle_in_are_cut_off_at_the_header_read_timeout() {
    let server = start(short_limits(), RestSettings::default()).await;
    let mut stream = TcpStream::connect(server.local_addr())
        .await
        .expect("connects");
    stream
        .write_all(b"GET /things/1 HTTP/1.1\r\n")
        .await
        .expect("writes");
    let trickle = async {
        for line in 0..100 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let header = format!("x-slow-{line}: 1\r\n");
            if stream.write_all(header.as_bytes()).await.is_err() {
                return true; // the server closed it
            }
        }
        false
    };
    let cut = tokio::time::timeout(Duration::from_secs(5), trickle).await;
    assert_eq!(
        cut,
        Ok(true),
        "the server must close a connection still sending headers after 300 ms"
    );
    server.shutdown().await.expect("shuts down");
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_at_the_header_read_timeout() {
    let server = start(short_limits(), RestSettings::default()).await;
    let mut stream = TcpStream::connect(server.local_addr())
        .await
        .expect("connects");
    assert!(closed_within(&mut stream, Duration::from_secs(5)).await);
    server.shutdown().await.expect("shuts down");
}

#[tokio::test]
async fn idle_keep_alive_connections_close_and_busy_ones_do_not() {
    let server = start(short_limits(), RestSettings::default()).await;
    let addr = server.local_addr();
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    // A request that takes twice the timeouts is answered: only idle time counts.
    let (status, body) = get(&mut stream, addr, "/things/slow").await;
    assert_eq!((status, body.as_str()), (200, r#"{"id":"slow"}"#));
    // Kept alive for the next request...
    let (status, _) = get(&mut stream, addr, "/things/2").await;
    assert_eq!(status, 200);
    // ...and closed once idle for longer than the keep-alive timeout.
    assert!(closed_within(&mut stream, Duration::from_secs(5)).await);
    server.shutdown().await.expect("shuts down");
}

#[tokio::test]
async fn connections_over_the_cap_are_answered_503_and_places_free_up_when_they_close() {
    let limits = HttpLimits::default().max_connections(2);
    let server = start(limits, RestSettings::default()).await;
    let addr = server.local_addr();
    // A websocket keeps its place after the upgrade, a plain connection while open.
    let ws = connected_ws(addr).await;
    let mut held = TcpStream::connect(addr).await.expect("connects");
    let (status, _) = get(&mut held, addr, "/things/1").await;
    assert_eq!(status, 200);

    let mut over = TcpStream::connect(addr).await.expect("connects");
    let (status, body) = get(&mut over, addr, "/things/1").await;
    assert_eq!(status, 503);
    let error: Value = serde_json::from_str(&body).expect("a Feathers error");
    assert_eq!(error["name"], "Unavailable");
    assert_eq!(error["code"], 503);

    drop(ws);
    let mut answered = false;
    let deadline = Instant::now() + Duration::from_secs(5);
    while !answered && Instant::now() < deadline {
        let mut again = TcpStream::connect(addr).await.expect("connects");
        answered = get(&mut again, addr, "/things/1").await.0 == 200;
    }
    assert!(answered, "the websocket's place is free once it closed");
    server.shutdown().await.expect("shuts down");
}

#[tokio::test]
async fn shutdown_ends_by_its_deadline_whatever_the_clients_do() {
    let limits = HttpLimits::default()
        .header_read_timeout(Duration::from_secs(60))
        .keep_alive_timeout(Duration::from_secs(60))
        .drain_timeout(Duration::from_millis(500));
    let server = start(limits, RestSettings::default()).await;
    let addr = server.local_addr();
    // One client trickles headers, one is idle on keep-alive, one holds a websocket.
    let mut trickling = TcpStream::connect(addr).await.expect("connects");
    trickling
        .write_all(b"GET /things/1 HTTP/1.1\r\nx-a: 1\r\n")
        .await
        .expect("writes");
    let mut idle = TcpStream::connect(addr).await.expect("connects");
    assert_eq!(get(&mut idle, addr, "/things/1").await.0, 200);
    let _ws = connected_ws(addr).await;
    let started = Instant::now();
    tokio::time::timeout(Duration::from_secs(5), server.shutdown())
        .await
        .expect("the shutdown keeps its deadline")
        .expect("shuts down");
    assert!(closed_within(&mut trickling, Duration::from_secs(2)).await);
    assert!(closed_within(&mut idle, Duration::from_secs(2)).await);
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// With two calls in flight on one socket, as the Feathers client keeps them (a new
/// call as soon as an answer comes), an answer written while the one before it is
/// not yet acknowledged waits for the client's delayed ACK (40 ms on Linux) unless
/// `TCP_NODELAY` is set: 50 calls take a second or more with Nagle, milliseconds
/// without.
#[tokio::test]
async fn calls_in_flight_on_one_socket_do_not_wait_on_nagle() {
    let server = start(HttpLimits::default(), RestSettings::default()).await;
    let mut ws = connected_ws(server.local_addr()).await;
    const CALLS: u64 = 50;
    let call = |n: u64| format!(r#"42{n}["create","things",{{"n":{n}}},{{}}]"#);
    let started = Instant::now();
    send(&mut ws, &call(0)).await;
    send(&mut ws, &call(1)).await;
    let mut sent = 2;
    for _ in 0..CALLS {
        let mut acked = false;
        while !acked {
            acked = next_text(&mut ws).await.starts_with("43");
        }
        if sent < CALLS {
            send(&mut ws, &call(sent)).await;
            sent += 1;
        }
    }
    let took = started.elapsed();
    eprintln!("{CALLS} calls, 2 in flight: {took:?}");
    assert!(
        took < Duration::from_millis(500),
        "{CALLS} calls with two in flight took {took:?}: answers wait on Nagle's algorithm"
    );
    server.shutdown().await.expect("shuts down");
}

#[tokio::test]
async fn the_listener_for_axum_serve_sets_nodelay() {
    use axum::serve::Listener;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let addr = listener.local_addr().expect("an address");
    let mut listener = feathers_runtime::http::nodelay_listener(listener);
    let (_client, (accepted, _)) = tokio::join!(TcpStream::connect(addr), listener.accept());
    assert!(accepted.nodelay().expect("reads the option"));
}

/// A client that sends a body over the limit, as Node's `fetch` does, keeps sending
/// while the server decides: it must read the 413, not a connection reset.
#[tokio::test]
async fn a_client_still_sending_a_body_over_the_limit_reads_the_413() {
    let mut rest = RestSettings::default();
    rest.body_limit = 1024;
    let server = start(HttpLimits::default(), rest).await;
    let addr = server.local_addr();
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    let length = 400_000;
    let head = format!(
        "POST /things HTTP/1.1\r\nHost: {addr}\r\ncontent-type: application/json\r\n\
         content-length: {length}\r\n\r\n"
    );
    stream
        .write_all(head.as_bytes())
        .await
        .expect("writes the head");
    let chunk = vec![b' '; 20_000];
    for _ in 0..length / chunk.len() {
        // Give the server time to answer and close before the body is through.
        tokio::task::yield_now().await;
        stream
            .write_all(&chunk)
            .await
            .expect("the server reads the body while it answers 413");
    }
    let mut raw = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), async {
        let mut buffer = [0u8; 4096];
        while let Ok(read) = stream.read(&mut buffer).await {
            if read == 0 {
                break;
            }
            raw.extend_from_slice(&buffer[..read]);
            if raw.ends_with(b"}") {
                break;
            }
        }
    })
    .await;
    let text = String::from_utf8_lossy(&raw);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(text.contains(r#""name":"PayloadTooLarge""#), "{text}");
    server.shutdown().await.expect("shuts down");
}

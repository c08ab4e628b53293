//! Soak benchmark (not a test): waves of Socket.io clients on 127.0.0.1 that connect,
//! call, abort upgrades, go silent and disconnect while events flow, against a server
//! in a child process. At the end the server must have no connection, session or
//! channel left, and its resident memory is compared with where it started.
//!
//! `cargo run --release -p bench --bin soak -- [waves] [clients per wave]`
//! (defaults 5 and 1000). Bounded: each wave at most 60 s, the final wait at most 30 s.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bench::proc_stats::rss_of;
use feathers_runtime::adapter::AdapterBuilder;
use feathers_runtime::prelude::WebBuilderExt;
use feathers_runtime::{App, MemoryService, RealtimeApp, Serve, SocketIoSettings};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

/// The server side: a memory service, everybody in one channel, short heartbeats so
/// that silent clients are dropped within the run, and the metrics endpoint.
async fn serve() -> feathers_runtime::Result<()> {
    let app = App::builder()
        .configure(|socketio: &mut SocketIoSettings| {
            socketio.ping_interval = Duration::from_secs(1);
            socketio.ping_timeout = Duration::from_secs(1);
            socketio.upgrade_timeout = Duration::from_secs(1);
        })
        .metrics_endpoint("/metrics")
        .service_at("messages", MemoryService::new().paginate(10, 10))
        .setup(|app| {
            app.on_connection(|connection, app| {
                app.channel("everybody").join(connection);
                app.channel(&format!("connection/{}", connection.id()))
                    .join(connection);
            });
            app.publish(|_event, app| vec![app.channel("everybody")]);
        })
        .build()?;
    let server = app.listen("127.0.0.1:0").await?;
    println!("{}", server.local_addr());
    std::future::pending::<()>().await;
    Ok(())
}

async fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(addr).await.ok()?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .ok()?
        .ok()?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, body.to_owned()))
}

async fn ws(addr: SocketAddr, query: &str) -> Option<Ws> {
    let url = format!("ws://{addr}/socket.io/?EIO=4&transport=websocket{query}");
    Some(tokio_tungstenite::connect_async(url).await.ok()?.0)
}

/// Reads until a text frame satisfies `want`, answering pings; false on close or 5 s.
async fn read_until(ws: &mut Ws, want: impl Fn(&str) -> bool) -> bool {
    let outcome = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(Ok(message)) = ws.next().await {
            if let Message::Text(text) = message {
                if text.as_str() == "2" {
                    let _ = ws.send(Message::Text("3".into())).await;
                } else if want(text.as_str()) {
                    return true;
                }
            }
        }
        false
    })
    .await;
    outcome.unwrap_or(false)
}

/// A websocket client that connects, calls, and closes.
async fn caller(addr: SocketAddr) -> Option<()> {
    let mut ws = ws(addr, "").await?;
    read_until(&mut ws, |t| t.starts_with('0')).await;
    ws.send(Message::Text("40".into())).await.ok()?;
    read_until(&mut ws, |t| t.starts_with("40")).await;
    ws.send(Message::Text(r#"421["find","messages",{}]"#.into()))
        .await
        .ok()?;
    read_until(&mut ws, |t| t.starts_with("431")).await;
    ws.close(None).await.ok()
}

/// A polling session that connects and calls over long-polling, then closes with `1`.
async fn poller(addr: SocketAddr) -> Option<()> {
    let sid = handshake(addr).await?;
    let path = format!("/socket.io/?EIO=4&transport=polling&sid={sid}");
    http(addr, "POST", &path, "40").await?;
    http(addr, "GET", &path, "").await?;
    http(addr, "POST", &path, r#"421["find","messages",{}]"#).await?;
    http(addr, "GET", &path, "").await?;
    http(addr, "POST", &path, "1").await.map(|_| ())
}

async fn handshake(addr: SocketAddr) -> Option<String> {
    let (_, open) = http(addr, "GET", "/socket.io/?EIO=4&transport=polling", "").await?;
    let open: serde_json::Value = serde_json::from_str(open.get(1..)?).ok()?;
    Some(open["sid"].as_str()?.to_owned())
}

/// A polling session that probes the upgrade, then closes the websocket and goes silent.
async fn aborted_upgrade(addr: SocketAddr) -> Option<()> {
    let sid = handshake(addr).await?;
    let path = format!("/socket.io/?EIO=4&transport=polling&sid={sid}");
    http(addr, "POST", &path, "40").await?;
    http(addr, "GET", &path, "").await?;
    let mut ws = ws(addr, &format!("&sid={sid}")).await?;
    ws.send(Message::Text("2probe".into())).await.ok()?;
    read_until(&mut ws, |t| t == "3probe").await;
    drop(ws);
    Some(())
}

/// A websocket client that connects, then neither reads nor answers pings.
async fn silent(addr: SocketAddr, hold: Duration) -> Option<()> {
    let mut ws = ws(addr, "").await?;
    read_until(&mut ws, |t| t.starts_with('0')).await;
    ws.send(Message::Text("40".into())).await.ok()?;
    tokio::time::sleep(hold).await;
    Some(())
}

/// The value of an unlabelled (or first labelled) series in the scrape text.
fn gauge(text: &str, name: &str) -> f64 {
    text.lines()
        .filter(|line| line.starts_with(name) && !line.starts_with('#'))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

async fn wave(addr: SocketAddr, clients: usize) -> usize {
    let mut tasks = Vec::with_capacity(clients);
    for n in 0..clients {
        tasks.push(tokio::spawn(async move {
            match n % 5 {
                0 | 1 => caller(addr).await,
                2 => poller(addr).await,
                3 => aborted_upgrade(addr).await,
                _ => silent(addr, Duration::from_secs(4)).await,
            }
        }));
    }
    let mut failed = 0;
    for task in tasks {
        if !matches!(task.await, Ok(Some(()))) {
            failed += 1;
        }
    }
    failed
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("server") {
        if let Err(err) = serve().await {
            eprintln!("server: {err}");
            std::process::exit(1);
        }
        return;
    }
    let waves: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let clients: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let exe = std::env::current_exe().expect("the soak binary");
    let mut child = tokio::process::Command::new(exe)
        .arg("server")
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the server starts");
    let pid = child.id().expect("a pid");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .await
        .expect("the address");
    let addr: SocketAddr = line.trim().parse().expect("an address");
    let scrape = || async move {
        http(addr, "GET", "/metrics", "")
            .await
            .map(|(_, t)| t)
            .unwrap_or_default()
    };
    // Warm up once (allocator arenas, lazily built state), then take the baseline.
    // Events are patches of one record, so the service's data does not grow.
    for _ in 0..50 {
        let _ = http(addr, "PUT", "/messages/0", r#"{"text":"warm"}"#).await;
    }
    let _ = http(addr, "POST", "/messages", r#"{"text":"the one record"}"#).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let start_rss = rss_of(pid);
    println!(
        "server pid {pid} on {addr}; RSS at start {:.1} MB",
        start_rss as f64 / 1e6
    );

    let events = tokio::spawn(async move {
        let mut sent = 0u64;
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(600) {
            let body = format!(r#"{{"text":"tick {sent}"}}"#);
            let _ = http(addr, "PATCH", "/messages/0", &body).await;
            sent += 1;
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        sent
    });
    let mut peak = start_rss;
    let mut after_first = 0;
    let run = Instant::now();
    for n in 1..=waves {
        let started = Instant::now();
        let during = tokio::spawn(async move {
            let mut peak = 0;
            for _ in 0..20 {
                tokio::time::sleep(Duration::from_millis(200)).await;
                peak = peak.max(rss_of(pid));
            }
            peak
        });
        let failed = tokio::time::timeout(Duration::from_secs(60), wave(addr, clients))
            .await
            .unwrap_or(clients);
        peak = peak.max(during.await.unwrap_or(0));
        let text = scrape().await;
        println!(
            "wave {n}: {clients} clients in {:.1}s, {failed} failed; live now: {} connections, {} sessions; RSS {:.1} MB",
            started.elapsed().as_secs_f64(),
            gauge(&text, "feathers_realtime_connections{"),
            gauge(&text, "feathers_socketio_sessions "),
            rss_of(pid) as f64 / 1e6,
        );
        if n == 1 {
            after_first = rss_of(pid);
        }
    }
    events.abort();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut text = scrape().await;
    while Instant::now() < deadline
        && (gauge(&text, "feathers_realtime_connections{") > 0.0
            || gauge(&text, "feathers_socketio_sessions ") > 0.0
            || gauge(&text, "feathers_channels ") > 0.0)
    {
        tokio::time::sleep(Duration::from_millis(200)).await;
        text = scrape().await;
    }
    let connections = gauge(&text, "feathers_realtime_connections{");
    let sessions = gauge(&text, "feathers_socketio_sessions ");
    let channels = gauge(&text, "feathers_channels ");
    let end_rss = rss_of(pid);
    let opened = gauge(&text, "feathers_realtime_connections_opened_total{");
    let published = gauge(&text, "feathers_events_published_total{");
    let frames = gauge(&text, "feathers_event_frames_sent_total{");
    println!(
        "after {:.0}s: {opened} connections opened, {published} events published, {frames} event frames sent",
        run.elapsed().as_secs_f64()
    );
    println!("left: {connections} connections, {sessions} sessions, {channels} channels");
    println!(
        "RSS: start {:.1} MB, after wave 1 {:.1} MB, peak {:.1} MB, end {:.1} MB ({:+.1} MB from the start, {:+.1} MB from wave 1)",
        start_rss as f64 / 1e6,
        after_first as f64 / 1e6,
        peak as f64 / 1e6,
        end_rss as f64 / 1e6,
        (end_rss as f64 - start_rss as f64) / 1e6,
        (end_rss as f64 - after_first as f64) / 1e6
    );
    let _ = child.kill().await;
    if connections > 0.0 || sessions > 0.0 || channels > 0.0 {
        eprintln!("the server did not return to idle");
        std::process::exit(1);
    }
}

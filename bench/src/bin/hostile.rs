//! Hostile-client benchmark (not a test), against a server in a child process with the
//! default `HttpLimits`:
//!
//! - **slow headers**: `clients` connections (default 2,000) that each send a request
//!   line and then one header line every 5 s, as a slowloris attack does, while a
//!   well-behaved client makes a `GET` every 20 ms. Reports when the server cut the
//!   slow connections, how the well-behaved client fared meanwhile, and the RSS.
//! - **calls in flight**: one Socket.io websocket with 1, 2 and 8 calls kept in flight
//!   (a new call as soon as an answer comes, as an app firing requests does): calls/s
//!   and latency quantiles. Answers that waited on Nagle's algorithm show as 40 ms.
//!
//! `cargo run --release -p bench --bin hostile -- [clients]`. Bounded: the slow phase
//! lasts at most 40 s, each in-flight run 2,000 calls or 20 s.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bench::histogram::Histogram;
use bench::proc_stats::rss_of;
use feathers_runtime::adapter::AdapterBuilder;
use feathers_runtime::{App, MemoryService, RealtimeApp, Serve};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

/// The server: a paginated memory service, everybody in one channel.
async fn serve() -> feathers_runtime::Result<()> {
    let app = App::builder()
        .service_at("messages", MemoryService::new().paginate(10, 10))
        .setup(|app| {
            app.on_connection(|connection, app| {
                app.channel("everybody").join(connection);
            });
            app.publish(|_event, app| vec![app.channel("everybody")]);
        })
        .build()?;
    let server = app.listen("127.0.0.1:0").await?;
    println!("{}", server.local_addr());
    std::future::pending::<()>().await;
    Ok(())
}

/// One `GET` on its own connection: its latency, or `None` when it failed.
async fn get(addr: SocketAddr, path: &str) -> Option<Duration> {
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).await.ok()?;
    stream.set_nodelay(true).ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .ok()?
        .ok()?;
    raw.starts_with(b"HTTP/1.1 200").then(|| started.elapsed())
}

/// A slowloris connection: when the server closed it, counted from its opening, or
/// `None` when it was still open at `give_up`.
async fn slow_client(addr: SocketAddr, give_up: Duration) -> Option<Duration> {
    let opened = Instant::now();
    let mut stream = TcpStream::connect(addr).await.ok()?;
    if stream
        .write_all(b"GET /messages HTTP/1.1\r\n")
        .await
        .is_err()
    {
        return Some(opened.elapsed());
    }
    let mut line = 0u64;
    let mut buffer = [0u8; 256];
    while opened.elapsed() < give_up {
        tokio::select! {
            read = stream.read(&mut buffer) => {
                if matches!(read, Ok(0) | Err(_)) {
                    return Some(opened.elapsed());
                }
            }
            () = tokio::time::sleep(Duration::from_secs(5)) => {
                line += 1;
                let header = format!("x-slow-{line}: 1\r\n");
                if stream.write_all(header.as_bytes()).await.is_err() {
                    return Some(opened.elapsed());
                }
            }
        }
    }
    None
}

async fn slow_headers(addr: SocketAddr, pid: u32, clients: usize) {
    const GIVE_UP: Duration = Duration::from_secs(40);
    let rss_before = rss_of(pid);
    let slow: Vec<_> = (0..clients)
        .map(|_| tokio::spawn(slow_client(addr, GIVE_UP)))
        .collect();
    let well_behaved = Histogram::new();
    let failures = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut rss_peak = rss_before;
    while started.elapsed() < Duration::from_secs(15) {
        match get(addr, "/messages").await {
            Some(latency) => well_behaved.record(latency),
            None => {
                failures.fetch_add(1, Ordering::Relaxed);
            }
        }
        rss_peak = rss_peak.max(rss_of(pid));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut cut = Vec::new();
    let mut still_open = 0;
    for client in slow {
        match client.await.ok().flatten() {
            Some(after) => cut.push(after),
            None => still_open += 1,
        }
    }
    cut.sort();
    let at = |q: f64| {
        cut.get(((cut.len() as f64 * q) as usize).min(cut.len().saturating_sub(1)))
            .map_or("-".to_owned(), |d| format!("{:.1} s", d.as_secs_f64()))
    };
    println!("## Slow headers: {clients} connections, one header line every 5 s");
    println!();
    println!("| measured | value |");
    println!("| --- | ---: |");
    println!(
        "| slow connections cut by the server | {} of {clients} |",
        cut.len()
    );
    println!(
        "| still open after {} s | {still_open} |",
        GIVE_UP.as_secs()
    );
    println!("| cut after (p50 / max) | {} / {} |", at(0.5), at(1.0));
    println!(
        "| well-behaved GETs meanwhile: answered / failed | {} / {} |",
        well_behaved.count(),
        failures.load(Ordering::Relaxed)
    );
    println!(
        "| their latency p50 / p99 | {:.2} ms / {:.2} ms |",
        well_behaved.quantile(0.5).as_secs_f64() * 1e3,
        well_behaved.quantile(0.99).as_secs_f64() * 1e3
    );
    println!(
        "| server RSS before / peak | {:.1} MB / {:.1} MB |",
        rss_before as f64 / 1e6,
        rss_peak as f64 / 1e6
    );
    println!();
}

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

async fn socket(addr: SocketAddr) -> Ws {
    let url = format!("ws://{addr}/socket.io/?EIO=4&transport=websocket");
    let (mut ws, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("the websocket opens");
    ws.send(Message::Text("40".into())).await.expect("sends");
    while let Some(Ok(message)) = ws.next().await {
        if matches!(&message, Message::Text(text) if text.starts_with("40")) {
            break;
        }
    }
    ws
}

/// `calls` gets on one socket, `in_flight` at a time: calls/s and the latencies.
async fn calls_in_flight(addr: SocketAddr, in_flight: u64, calls: u64) -> (f64, Histogram) {
    let mut ws = socket(addr).await;
    let latencies = Histogram::new();
    let mut sent_at = std::collections::HashMap::new();
    let call = |n: u64| Message::Text(format!(r#"42{n}["find","messages",{{}}]"#).into());
    let started = Instant::now();
    let mut sent = 0;
    while sent < in_flight.min(calls) {
        sent_at.insert(sent, Instant::now());
        ws.send(call(sent)).await.expect("sends");
        sent += 1;
    }
    let mut answered = 0;
    while answered < calls && started.elapsed() < Duration::from_secs(20) {
        let Some(Ok(Message::Text(text))) = ws.next().await else {
            break;
        };
        let Some(rest) = text.strip_prefix("43") else {
            if text.as_str() == "2" {
                let _ = ws.send(Message::Text("3".into())).await;
            }
            continue;
        };
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Some(at) = digits.parse().ok().and_then(|n: u64| sent_at.remove(&n)) {
            latencies.record(at.elapsed());
        }
        answered += 1;
        if sent < calls {
            sent_at.insert(sent, Instant::now());
            ws.send(call(sent)).await.expect("sends");
            sent += 1;
        }
    }
    let rate = answered as f64 / started.elapsed().as_secs_f64();
    (rate, latencies)
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
    let clients: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let exe = std::env::current_exe().expect("the hostile binary");
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
    for _ in 0..20 {
        let _ = get(addr, "/messages").await;
    }

    println!("## Calls in flight on one Socket.io websocket (find, 2,000 calls)");
    println!();
    println!("| in flight | calls/s | p50 | p99 | max |");
    println!("| ---: | ---: | ---: | ---: | ---: |");
    for in_flight in [1, 2, 8] {
        let (rate, latencies) = calls_in_flight(addr, in_flight, 2000).await;
        println!(
            "| {in_flight} | {rate:.0} | {:.3} ms | {:.3} ms | {:.3} ms |",
            latencies.quantile(0.5).as_secs_f64() * 1e3,
            latencies.quantile(0.99).as_secs_f64() * 1e3,
            latencies.quantile(1.0).as_secs_f64() * 1e3,
        );
    }
    println!();
    slow_headers(addr, pid, clients).await;
    let _ = child.kill().await;
}

//! `bench/sync.sh`: events shared between two instances through Redis. A crowd of
//! Socket.io clients on the second instance; creates (REST) on the first, each
//! carrying the generator's clock, so every receipt gives a create-to-receipt latency.
//! Measured for: one feathers-rs instance (creates and clients on it, the baseline),
//! two feathers-rs instances with feathers-sync, and two FeathersJS 5 instances with
//! feathers-sync 3.1.1, in one run.
//!
//! ```text
//! sync_versus [--clients N] [--seconds S] [--server-cpu N|none] [--out FILE]
//! ```
//!
//! Run from the repository root, pinned to a core of its own (`taskset -c 1`); both
//! instances are pinned to `--server-cpu` (default 0); Redis is `REDIS_URL`, else the
//! local server on 127.0.0.1:6379, else a `redis-server` started here.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use bench::fanout::{self, Crowd};
use bench::http::{post_json_request, HttpConn};
use bench::load::{Measured, Phases};
use bench::server::{sibling, Launch, ServerProcess};
use bench::{machine, report};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Args {
    clients: usize,
    seconds: f64,
    server_cpu: Option<usize>,
    out: Option<PathBuf>,
}

fn usage() -> ! {
    eprintln!("usage: sync_versus [--clients N] [--seconds S] [--server-cpu N|none] [--out FILE]");
    std::process::exit(2);
}

fn parse_args() -> Args {
    let mut parsed = Args {
        clients: 1000,
        seconds: 5.0,
        server_cpu: Some(0),
        out: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--clients" => parsed.clients = value().parse().unwrap_or_else(|_| usage()),
            "--seconds" => parsed.seconds = value().parse().unwrap_or_else(|_| usage()),
            "--server-cpu" => parsed.server_cpu = value().parse().ok(),
            "--out" => parsed.out = Some(PathBuf::from(value())),
            _ => usage(),
        }
    }
    parsed
}

async fn answers(addr: &str) -> bool {
    let ping = async {
        let mut stream = TcpStream::connect(addr).await?;
        stream.write_all(b"PING\r\n").await?;
        let mut reply = [0u8; 7];
        stream.read_exact(&mut reply).await?;
        Ok::<_, std::io::Error>(&reply == b"+PONG\r\n")
    };
    matches!(
        tokio::time::timeout(Duration::from_secs(2), ping).await,
        Ok(Ok(true))
    )
}

/// The Redis to use, and the process when this program started it.
async fn redis() -> (String, Option<tokio::process::Child>) {
    if let Ok(url) = std::env::var("REDIS_URL") {
        if !url.is_empty() {
            return (url, None);
        }
    }
    if answers("127.0.0.1:6379").await {
        return ("redis://127.0.0.1:6379".to_owned(), None);
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .unwrap_or_else(|err| panic!("no free port: {err}"));
    let child = tokio::process::Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|err| panic!("no Redis on 6379 and cannot start redis-server: {err}"));
    let addr = format!("127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !answers(&addr).await {
        assert!(Instant::now() < deadline, "redis-server did not start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    (format!("redis://{addr}"), Some(child))
}

/// Creates on `from` until a client on `to` receives the event: both instances are
/// subscribed and the path through Redis works.
async fn wait_for_relay(from: u16, to: u16) {
    let mut client = bench::socketio_client(to).await;
    let mut conn = HttpConn::connect(from)
        .await
        .unwrap_or_else(|err| panic!("cannot connect to port {from}: {err}"));
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let response = conn
            .request(&post_json_request("/messages", r#"{"text":"probe"}"#))
            .await
            .unwrap_or_else(|err| panic!("probe create failed: {err}"));
        assert!(response.is_success(), "probe create refused");
        let received = tokio::time::timeout(Duration::from_millis(500), async {
            loop {
                if bench::next_text(&mut client)
                    .await
                    .starts_with(r#"42["messages created""#)
                {
                    return;
                }
            }
        })
        .await;
        if received.is_ok() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "events from port {from} never reached port {to}"
        );
    }
}

struct Row {
    setup: &'static str,
    saturated: Measured,
    single: Measured,
}

async fn measure(setup: &'static str, first: &Launch, second: Option<&Launch>, args: &Args) -> Row {
    eprintln!("==> {setup}");
    let phases = Phases {
        warmup: Duration::from_secs(1),
        measure: Duration::from_secs_f64(args.seconds),
    };
    let first = ServerProcess::launch(first).await;
    let second = match second {
        Some(launch) => Some(ServerProcess::launch(launch).await),
        None => None,
    };
    let target = second.as_ref().unwrap_or(&first);
    if second.is_some() {
        wait_for_relay(first.port, target.port).await;
    }
    let crowd = Crowd::connect(target.port, args.clients).await;
    let saturated = fanout::run(first.port, target.pid(), phases, &crowd, fanout::SATURATING).await;
    let single = fanout::run(first.port, target.pid(), phases, &crowd, 1).await;
    drop(crowd);
    if let Some(second) = second {
        second.stop().await;
    }
    first.stop().await;
    Row {
        setup,
        saturated,
        single,
    }
}

fn table(rows: &[Row], clients: usize) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "| setup ({clients} clients on the receiving instance) | events delivered/s, {} in flight | p50 create → receipt, 1 in flight | p99, 1 in flight | errors | receiving server CPU (8 in flight) | other processes' CPU, cores |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
        fanout::SATURATING
    ));
    for row in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {:.0} % | {:.2} |\n",
            row.setup,
            report::count(row.saturated.rate()),
            report::duration(row.single.p50),
            report::duration(row.single.p99),
            row.saturated.errors + row.single.errors,
            row.saturated.server_cpu * 100.0,
            row.saturated.other_cpu,
        ));
    }
    out
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = parse_args();
    let (redis_url, _redis) = redis().await;
    let cpu = args.server_cpu;
    let key = |setup: &str| format!("bench-sync-{}-{setup}", std::process::id());
    let rust_single = Launch::new(sibling("rust_server")).pinned_to(cpu);
    let rust_sync = Launch::new(sibling("rust_sync_server"))
        .env("REDIS_URL", &redis_url)
        .env("FEATHERS_SYNC_KEY", &key("rust"))
        .pinned_to(cpu);
    let feathers_sync = Launch::new("node")
        .arg("bench/feathers/sync-server.mjs")
        .env("NODE_ENV", "production")
        .env("REDIS_URL", &redis_url)
        .env("SYNC_KEY", &key("feathers"))
        .pinned_to(cpu);
    let rows = vec![
        measure("feathers-rs, one instance", &rust_single, None, &args).await,
        measure(
            "feathers-rs, two instances + feathers-sync",
            &rust_sync,
            Some(&rust_sync),
            &args,
        )
        .await,
        measure(
            "FeathersJS 5, two instances + feathers-sync 3.1.1",
            &feathers_sync,
            Some(&feathers_sync),
            &args,
        )
        .await,
    ];
    let ratio = rows[1].saturated.rate() / rows[2].saturated.rate().max(1.0);
    let added = rows[1].single.p50.as_secs_f64() - rows[0].single.p50.as_secs_f64();
    let text = format!(
        "# Events across instances through Redis\n\nMeasured {} on {} (load average {}), Redis {}; both instances pinned to CPU {}, the generator to another.\n\n{}\nfeathers-rs over FeathersJS, cross-instance events/s: {ratio:.2}x (target ≥ 10x). Added p50 latency of the second instance over one instance: {:.3} ms (target < 1 ms).\n",
        machine::now(),
        machine::describe(),
        machine::load_average(),
        redis_url,
        cpu.map_or("none".to_owned(), |cpu| cpu.to_string()),
        table(&rows, args.clients),
        added * 1000.0,
    );
    println!("{text}");
    if let Some(out) = &args.out {
        if let Some(dir) = out.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        std::fs::write(out, &text)
            .unwrap_or_else(|err| panic!("cannot write {}: {err}", out.display()));
    }
}

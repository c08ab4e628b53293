//! Server memory through a burst of sign-ups: starts the chat example as its own
//! process on a fresh SQLite file, sends N sign-ups at once (default 100, one
//! connection each, all from 127.0.0.1), and reports the server's resident memory
//! before, at its peak (sampled every 5 ms) and 3 s after, with how many sign-ups
//! were created (201), refused by the sign-up limit (429) or by the full hashing
//! queue (503).
//!
//! ```text
//! cargo build --release -p chat -p bench
//! target/release/signup_burst [N] [--limit on|off] [--queue Q] [--program target/release/chat]
//! target/release/signup_burst [N] --baseline
//! ```
//!
//! `--limit off` starts the chat with `FEATHERS_AUTH_RATE_LIMIT=off`, so that every
//! sign-up reaches the password hashing; `--queue Q` sets the chat's hashing queue
//! (`FEATHERS_AUTH_HASHING_QUEUE`, default 16 per worker); `--baseline` measures, in this process, what
//! N argon2id hashes cost on tokio's blocking pool (how sign-ups were hashed before
//! the bounded hashing threads).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bench::http::{post_json_request, HttpConn};
use bench::server::{sibling, Launch};
use bench::{rss_of, ServerProcess};

/// How often the peak is sampled.
const SAMPLE_EVERY: Duration = Duration::from_millis(5);
/// How long after the burst the "after" figure is read.
const SETTLE: Duration = Duration::from_secs(3);

struct Options {
    sign_ups: usize,
    limit: bool,
    baseline: bool,
    queue: Option<String>,
    program: Option<String>,
}

fn options() -> Options {
    let mut options = Options {
        sign_ups: 100,
        limit: true,
        baseline: false,
        queue: None,
        program: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--limit" => options.limit = args.next().as_deref() != Some("off"),
            "--baseline" => options.baseline = true,
            "--queue" => options.queue = args.next(),
            "--program" => options.program = args.next(),
            number => {
                options.sign_ups = number
                    .parse()
                    .unwrap_or_else(|_| panic!("'{number}' is not a number of sign-ups"))
            }
        }
    }
    options
}

#[tokio::main]
async fn main() {
    let options = options();
    if options.baseline {
        baseline(options.sign_ups).await;
        return;
    }
    let dir = std::env::temp_dir().join(format!("signup-burst-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
    let database = format!("sqlite://{}/chat.sqlite", dir.display());
    let program = options.program.clone().unwrap_or_else(|| sibling("chat"));
    let mut launch = Launch::new(program)
        .env("DATABASE_URL", &database)
        .env("RUST_LOG", "error");
    if !options.limit {
        launch = launch.env("FEATHERS_AUTH_RATE_LIMIT", "off");
    }
    if let Some(queue) = &options.queue {
        launch = launch.env("FEATHERS_AUTH_HASHING_QUEUE", queue);
    }
    // The chat's page: `/messages` needs a login there.
    launch.ready_path = "/".to_owned();
    let server = ServerProcess::launch(&launch).await;
    let pid = server.pid();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = server.rss();

    let (peak, statuses, took) = burst(server.port, pid, options.sign_ups).await;
    tokio::time::sleep(SETTLE).await;
    let after = server.rss();
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);

    println!(
        "{} sign-ups at once, sign-up limit {}, hashing queue {}, in {:.2} s",
        options.sign_ups,
        if options.limit { "on (default)" } else { "off" },
        options.queue.as_deref().unwrap_or("default"),
        took.as_secs_f64()
    );
    for (status, count) in &statuses {
        println!("  {status}: {count}");
    }
    println!(
        "server RSS before: {:.1} MiB, peak: {:.1} MiB, {} s after: {:.1} MiB",
        mib(before),
        mib(peak),
        SETTLE.as_secs(),
        mib(after)
    );
}

/// Sends `sign_ups` sign-ups at once while sampling the server's memory: the peak
/// RSS, the count of each status, and the time the burst took.
async fn burst(port: u16, pid: u32, sign_ups: usize) -> (u64, BTreeMap<u16, usize>, Duration) {
    let done = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicU64::new(rss_of(pid)));
    let sampler = {
        let done = done.clone();
        let peak = peak.clone();
        tokio::spawn(async move {
            while !done.load(Ordering::SeqCst) {
                peak.fetch_max(rss_of(pid), Ordering::SeqCst);
                tokio::time::sleep(SAMPLE_EVERY).await;
            }
        })
    };
    let mut connections = Vec::with_capacity(sign_ups);
    for _ in 0..sign_ups {
        connections.push(
            HttpConn::connect(port)
                .await
                .unwrap_or_else(|err| panic!("connect: {err}")),
        );
    }
    let started = Instant::now();
    let calls = connections.into_iter().enumerate().map(|(n, mut conn)| {
        tokio::spawn(async move {
            let body =
                format!(r#"{{"email":"burst{n}@example.com","password":"a long password {n}"}}"#);
            let request = post_json_request("/users", &body);
            conn.request(&request)
                .await
                .map_or(0, |response| response.status)
        })
    });
    let mut statuses = BTreeMap::new();
    for status in futures_util::future::join_all(calls).await {
        *statuses.entry(status.unwrap_or(0)).or_insert(0) += 1;
    }
    let took = started.elapsed();
    done.store(true, Ordering::SeqCst);
    let _ = sampler.await;
    peak.fetch_max(rss_of(pid), Ordering::SeqCst);
    (peak.load(Ordering::SeqCst), statuses, took)
}

/// N argon2id hashes at once on tokio's blocking pool, in this process.
async fn baseline(hashes: usize) {
    use feathers_runtime::auth::password::hash_password;
    let pid = std::process::id();
    let before = rss_of(pid);
    let done = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicU64::new(before));
    let sampler = {
        let done = done.clone();
        let peak = peak.clone();
        tokio::spawn(async move {
            while !done.load(Ordering::SeqCst) {
                peak.fetch_max(rss_of(pid), Ordering::SeqCst);
                tokio::time::sleep(SAMPLE_EVERY).await;
            }
        })
    };
    let started = Instant::now();
    let calls = (0..hashes).map(|n| {
        tokio::task::spawn_blocking(move || hash_password(&format!("password {n}")).is_ok())
    });
    let hashed = futures_util::future::join_all(calls)
        .await
        .into_iter()
        .filter(|ok| matches!(ok, Ok(true)))
        .count();
    let took = started.elapsed();
    done.store(true, Ordering::SeqCst);
    let _ = sampler.await;
    tokio::time::sleep(SETTLE).await;
    let after = rss_of(pid);
    println!(
        "baseline: {hashes} hashes on tokio's blocking pool, {hashed} done in {:.2} s",
        took.as_secs_f64()
    );
    println!(
        "RSS before: {:.1} MiB, peak: {:.1} MiB, {} s after: {:.1} MiB",
        mib(before),
        mib(peak.load(Ordering::SeqCst)),
        SETTLE.as_secs(),
        mib(after)
    );
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

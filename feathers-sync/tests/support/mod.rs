//! Redis for the tests: `REDIS_URL` when set, else the local server on 127.0.0.1:6379
//! when it answers, else a throwaway `redis-server` on a free port in a temporary
//! folder. A missing `redis-server` fails the test, naming what to install.
//! Each test uses its own channel key, so tests running at once do not hear each other.

#![allow(dead_code)] // each test file uses part of it

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use feathers_sync::{SyncHandle, SyncStats};
use feathers_test_support::{eventually, eventually_async};

pub mod apps;

/// A Redis server the tests can use, and the process when the test started it.
pub struct TestRedis {
    pub url: String,
    owned: Option<RedisServer>,
}

/// Finds or starts Redis as the README's test command does.
pub async fn redis() -> TestRedis {
    if let Ok(url) = std::env::var("REDIS_URL") {
        if !url.is_empty() {
            return TestRedis { url, owned: None };
        }
    }
    let local = "redis://127.0.0.1:6379/";
    if answers(local).await {
        return TestRedis {
            url: local.to_owned(),
            owned: None,
        };
    }
    let server = RedisServer::start().await;
    TestRedis {
        url: server.url(),
        owned: Some(server),
    }
}

/// A channel key no other test uses.
pub fn unique_key(test: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "feathers-sync-test-{test}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

async fn answers(url: &str) -> bool {
    let Ok(client) = redis::Client::open(url) else {
        return false;
    };
    let ping = async {
        let mut conn = client.get_multiplexed_async_connection().await?;
        redis::cmd("PING").query_async::<String>(&mut conn).await
    };
    matches!(
        tokio::time::timeout(Duration::from_secs(2), ping).await,
        Ok(Ok(_))
    )
}

/// A `redis-server` process this test owns, on a fixed free port, killed on drop.
pub struct RedisServer {
    port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

impl RedisServer {
    /// Starts `redis-server` on a free port and waits until it answers.
    pub async fn start() -> RedisServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|addr| addr.port())
            .expect("a free port");
        let dir =
            std::env::temp_dir().join(format!("feathers-sync-redis-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary folder for redis-server");
        let mut server = RedisServer {
            port,
            dir,
            child: None,
        };
        server.restart().await;
        server
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Kills the server (as a crash would) and waits for it to exit.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Freezes (SIGSTOP) or resumes (SIGCONT) the server: its connections stay open
    /// but nothing answers, as with a hung broker or a silent network.
    pub fn pause(&self, frozen: bool) {
        let pid = self.child.as_ref().map(Child::id).expect("the server runs");
        let signal = if frozen { "-STOP" } else { "-CONT" };
        let status = Command::new("kill")
            .args([signal, &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill {signal} {pid} failed");
    }

    /// Starts the server again on the same port, and waits until it answers.
    pub async fn restart(&mut self) {
        self.restart_with(&[]).await;
    }

    /// Starts the server again on the same port with more settings (`--name`, then
    /// each word of its value as an argument of its own), and waits until it answers.
    pub async fn restart_with(&mut self, settings: &[&str]) {
        self.stop();
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .args(settings)
            .arg("--dir")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|err| {
                panic!(
                    "cannot start `redis-server` ({err}): install Redis (Debian: apt-get install \
                     redis-server; scripts/provision/redis.sh does it) or set REDIS_URL"
                )
            });
        self.child = Some(child);
        let url = self.url();
        assert!(
            eventually_async(Duration::from_secs(10), || answers(&url)).await,
            "redis-server on {url} did not answer within 10 s"
        );
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Waits until `condition` holds on the relay's numbers, or panics after `limit`
/// showing them.
pub async fn wait_for_stats(
    sync: &SyncHandle,
    limit: Duration,
    what: &str,
    condition: impl Fn(&SyncStats) -> bool,
) -> SyncStats {
    let mut stats = sync.stats();
    let held = eventually(limit, || {
        stats = sync.stats();
        condition(&stats)
    })
    .await;
    assert!(held, "waited {limit:?} for {what}: {stats:?}");
    stats
}

/// An ordinary connection to `url`, for the test's own commands (`CONFIG SET`,
/// `CLIENT KILL`, `PUBSUB NUMSUB`, `PUBLISH`).
pub async fn admin(url: &str) -> redis::aio::MultiplexedConnection {
    redis::Client::open(url)
        .expect("a Redis URL")
        .get_multiplexed_async_connection()
        .await
        .expect("the test connects to Redis")
}

/// Runs one command on the test's connection, failing the test on an error reply.
pub async fn command(conn: &mut redis::aio::MultiplexedConnection, args: &[&str]) {
    let mut cmd = redis::cmd(args[0]);
    for arg in &args[1..] {
        cmd.arg(*arg);
    }
    cmd.query_async::<redis::Value>(conn)
        .await
        .and_then(|value| value.extract_error())
        .unwrap_or_else(|err| panic!("{args:?} failed: {err}"));
}

/// How many subscribers Redis counts on `key` (`PUBSUB NUMSUB`).
pub async fn subscribers(conn: &mut redis::aio::MultiplexedConnection, key: &str) -> u64 {
    let (_, count): (String, u64) = redis::cmd("PUBSUB")
        .arg("NUMSUB")
        .arg(key)
        .query_async(conn)
        .await
        .expect("PUBSUB NUMSUB answers");
    count
}

/// Every message published on a key, as JSON, in the order it arrived.
pub type Heard = std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>;

/// A bare Redis subscriber on `key` that records every message and deduplicates
/// nothing, as a FeathersJS instance would receive them. Subscribed on return.
pub async fn raw_subscriber(url: &str, key: &str) -> Heard {
    use futures_util::StreamExt;
    let client = redis::Client::open(url).expect("a Redis URL");
    let mut pubsub = client
        .get_async_pubsub()
        .await
        .expect("the raw subscriber connects");
    pubsub
        .subscribe(key)
        .await
        .expect("the raw subscriber subscribes");
    let heard: Heard = Heard::default();
    let log = heard.clone();
    tokio::spawn(async move {
        let mut messages = pubsub.into_on_message();
        while let Some(message) = messages.next().await {
            let json = serde_json::from_slice(message.get_payload_bytes())
                .unwrap_or_else(|_| serde_json::Value::String("not JSON".into()));
            if let Ok(mut log) = log.lock() {
                log.push(json);
            }
        }
    });
    heard
}

/// What the raw subscriber has heard so far.
pub fn heard(heard: &Heard) -> Vec<serde_json::Value> {
    heard.lock().map(|log| log.clone()).unwrap_or_default()
}

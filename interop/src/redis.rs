//! Redis for the cluster tests: `REDIS_URL` when set, else the local server on
//! 127.0.0.1:6379 when it answers, else a throwaway `redis-server` on a free port in a
//! temporary folder, stopped when the returned value drops. A missing `redis-server`
//! fails the test, naming what to install.

use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

/// A Redis server to use, and the process when the test started it.
pub struct TestRedis {
    /// The server's `redis://` URL.
    pub url: String,
    _server: Option<(Child, tempdir::TempDir)>,
}

mod tempdir {
    use std::path::PathBuf;

    /// A folder removed on drop.
    pub(super) struct TempDir(pub(super) PathBuf);

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// Whether a Redis server answers `PING` on `addr`.
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

/// Finds or starts Redis.
pub async fn redis() -> TestRedis {
    if let Ok(url) = std::env::var("REDIS_URL") {
        if !url.is_empty() {
            return TestRedis { url, _server: None };
        }
    }
    if answers("127.0.0.1:6379").await {
        return TestRedis {
            url: "redis://127.0.0.1:6379".to_owned(),
            _server: None,
        };
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free port");
    let dir = std::env::temp_dir().join(format!("interop-redis-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder for redis-server");
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no"])
        .arg("--dir")
        .arg(&dir)
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|err| {
            panic!(
                "no Redis on 127.0.0.1:6379 and cannot start `redis-server` ({err}): install \
                 Redis (Debian: apt-get install redis-server) or set REDIS_URL"
            )
        });
    let addr = format!("127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !answers(&addr).await {
        assert!(
            Instant::now() < deadline,
            "redis-server on {addr} did not answer within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    TestRedis {
        url: format!("redis://{addr}"),
        _server: Some((child, tempdir::TempDir(dir))),
    }
}

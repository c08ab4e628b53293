//! Server memory per idle Socket.io client: starts the chat example as its own process,
//! connects N websocket clients (default 5,000), and reports the growth of the
//! server's resident memory divided by N.
//!
//! `bench/idle-memory.sh [N]` (raises the open-file limit, builds in release, runs this)

use std::time::Duration;

use bench::{socketio_client, ServerProcess};

#[tokio::main]
async fn main() {
    let clients: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(5000);
    let program = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "target/release/chat".to_owned());
    let server = ServerProcess::start(&program, &[]).await;
    // Warm up: one connection, so lazily built state is not counted per client.
    let warm = socketio_client(server.port).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = server.rss();

    let mut sockets = Vec::with_capacity(clients);
    for _ in 0..clients {
        sockets.push(socketio_client(server.port).await);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = server.rss();
    let per_client = after.saturating_sub(before) as f64 / clients as f64;
    println!("clients: {clients}");
    println!(
        "server RSS before: {:.1} MiB, after: {:.1} MiB",
        mib(before),
        mib(after)
    );
    println!(
        "server memory per idle socket.io client: {:.2} KB",
        per_client / 1024.0
    );
    drop(sockets);
    drop(warm);
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

//! Socket.io method calls: concurrent clients, each with one `get` in flight, as
//! `@feathersjs/socketio-client` sends them (`42<ack>["get","messages",<id>,{}]`,
//! answered by `43<ack>[null,<record>]`).

use std::sync::Arc;
use std::time::Instant;

use crate::load::{run_clients, Measured, Phases};
use crate::raw_ws::RawWs;

/// Clients calling at once.
pub const CLIENTS: usize = 100;

/// Connects `count` Socket.io clients, a few at a time.
pub async fn connect_many(port: u16, count: usize) -> Vec<RawWs> {
    let mut clients = Vec::with_capacity(count);
    let mut remaining = count;
    while remaining > 0 {
        let batch = remaining.min(50);
        let connecting = (0..batch).map(|_| connect(port));
        clients.extend(futures_util::future::join_all(connecting).await);
        remaining -= batch;
    }
    clients
}

async fn connect(port: u16) -> RawWs {
    match tokio::time::timeout(
        std::time::Duration::from_secs(20),
        RawWs::connect_socketio(port),
    )
    .await
    {
        Ok(Ok(ws)) => ws,
        Ok(Err(err)) => panic!("a Socket.io client could not connect to port {port}: {err}"),
        Err(_) => panic!("a Socket.io client could not connect to port {port} within 20 s"),
    }
}

/// Runs the `get` calls over the seeded `ids` from [`CLIENTS`] clients.
pub async fn run(port: u16, server_pid: u32, phases: Phases, ids: &[u64]) -> Measured {
    let ids: Arc<[u64]> = ids.into();
    let clients: Vec<(usize, RawWs)> = connect_many(port, CLIENTS)
        .await
        .into_iter()
        .enumerate()
        .collect();
    run_clients(
        phases,
        server_pid,
        clients,
        move |(index, mut ws), window, tally| {
            let ids = ids.clone();
            async move {
                let mut ack: u64 = 0;
                let mut next = index;
                let mut frame = Vec::with_capacity(64);
                let mut ack_prefix = Vec::with_capacity(24);
                while !window.is_over() {
                    ack += 1;
                    let id = ids[next % ids.len()];
                    next += CLIENTS;
                    frame.clear();
                    frame.extend_from_slice(
                        format!(r#"42{ack}["get","messages",{id},{{}}]"#).as_bytes(),
                    );
                    ack_prefix.clear();
                    ack_prefix.extend_from_slice(format!("43{ack}[").as_bytes());
                    let started = Instant::now();
                    if ws.send_text(&frame).await.is_err() {
                        tally.error();
                        return;
                    }
                    let mut answer = None;
                    while answer.is_none() {
                        let read = ws
                            .read_texts(|text| {
                                if let Some(rest) = text.strip_prefix(ack_prefix.as_slice()) {
                                    answer = Some(rest.starts_with(b"null,"));
                                }
                            })
                            .await;
                        if read.is_err() {
                            tally.error();
                            return;
                        }
                    }
                    tally.finished(&window, started, answer == Some(true));
                }
            }
        },
    )
    .await
}

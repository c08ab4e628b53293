//! The REST scenarios: seeding the `messages` store, then get by id, find with a
//! filter and `$limit`, and create, each from a set of keep-alive connections.

use std::sync::Arc;
use std::time::Instant;

use crate::http::{get_request, post_json_request, HttpConn};
use crate::load::{run_clients, Measured, Phases};

/// Records created before the REST scenarios, in ten groups `g0`..`g9`.
pub const SEEDED: u64 = 1_000;

/// Concurrent keep-alive connections of each REST scenario.
pub const CONNECTIONS: usize = 64;

/// A record of the seeded store.
pub fn seed_record(index: u64) -> String {
    format!(
        r#"{{"text":"message number {index}","group":"g{}"}}"#,
        index % 10
    )
}

/// Creates the [`SEEDED`] records through `POST /messages` and returns their ids as
/// the server gave them.
pub async fn seed(port: u16) -> Vec<u64> {
    let mut conn = HttpConn::connect(port)
        .await
        .unwrap_or_else(|err| panic!("seeding: cannot connect to port {port}: {err}"));
    let mut ids = Vec::with_capacity(SEEDED as usize);
    for index in 0..SEEDED {
        let request = post_json_request("/messages", &seed_record(index));
        let response = conn
            .request(&request)
            .await
            .unwrap_or_else(|err| panic!("seeding: POST /messages failed: {err}"));
        assert!(
            response.is_success(),
            "seeding: POST /messages answered {}",
            response.status
        );
        let record: serde_json::Value = serde_json::from_slice(conn.body())
            .unwrap_or_else(|err| panic!("seeding: the created record is not JSON: {err}"));
        let id = record["id"]
            .as_u64()
            .unwrap_or_else(|| panic!("seeding: the created record has no numeric id: {record}"));
        ids.push(id);
    }
    ids
}

/// `GET /messages/<id>` over the seeded ids.
pub fn get_requests(ids: &[u64]) -> Vec<Vec<u8>> {
    ids.iter()
        .map(|id| get_request(&format!("/messages/{id}")))
        .collect()
}

/// `GET /messages?group=gN&$limit=10` over the ten groups.
pub fn find_requests() -> Vec<Vec<u8>> {
    (0..10)
        .map(|group| get_request(&format!("/messages?group=g{group}&%24limit=10")))
        .collect()
}

/// `POST /messages` with a small record.
pub fn create_requests() -> Vec<Vec<u8>> {
    vec![post_json_request(
        "/messages",
        r#"{"text":"created by the load generator","group":"new"}"#,
    )]
}

/// Sends `requests` round-robin from [`CONNECTIONS`] keep-alive connections, one
/// request in flight on each, and measures the window. A non-2xx answer or a broken
/// connection counts as an error (the connection is opened again).
pub async fn run(port: u16, server_pid: u32, phases: Phases, requests: Vec<Vec<u8>>) -> Measured {
    let requests: Arc<[Vec<u8>]> = requests.into();
    let mut connections = Vec::with_capacity(CONNECTIONS);
    for index in 0..CONNECTIONS {
        let conn = HttpConn::connect(port)
            .await
            .unwrap_or_else(|err| panic!("cannot connect to port {port}: {err}"));
        connections.push((index, conn));
    }
    run_clients(
        phases,
        server_pid,
        connections,
        move |(index, mut conn), window, tally| {
            let requests = requests.clone();
            async move {
                let mut next = index;
                while !window.is_over() {
                    let request = &requests[next % requests.len()];
                    next += CONNECTIONS;
                    let started = Instant::now();
                    match conn.request(request).await {
                        Ok(response) => tally.finished(&window, started, response.is_success()),
                        Err(_) => {
                            tally.error();
                            match HttpConn::connect(port).await {
                                Ok(fresh) => conn = fresh,
                                Err(_) => {
                                    tokio::time::sleep(std::time::Duration::from_millis(10)).await
                                }
                            }
                        }
                    }
                }
            }
        },
    )
    .await
}

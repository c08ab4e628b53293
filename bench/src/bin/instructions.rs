//! Instructions a server executes per call, counted by callgrind: a figure that does not
//! move with the machine's load, unlike requests per second.
//!
//! ```text
//! instructions <rust|axum|socketioxide> <rest-get|rest-find|rest-create|rest-create-validated|rest-find-populated|rest-find-resolved|socket-get|fanout>
//!              [--calls N] [--warmup N] [--clients N] [--keep]
//! ```
//!
//! The server runs under `valgrind --tool=callgrind` with one runtime worker. After the
//! seed and `--warmup` calls (default 500), the counters are zeroed
//! (`callgrind_control --zero`); one client then makes `--calls` calls (default 2,000)
//! one after another, the counters are dumped, and their total divided by the calls is
//! the figure: everything the server did for them (parsing, the call, encoding, the
//! runtime, the system call wrappers), not the kernel's work. Run it from the
//! repository root after `cargo build --release -p bench`.
//!
//! `rest-create-validated`, `rest-find-populated` and `rest-find-resolved` make the
//! calls of `rest-create` and `rest-find` against the server started with
//! `BENCH_SCHEMAS=validate` (a schema on the data), `BENCH_SCHEMAS=populate` (each
//! message with a related record) or `BENCH_SCHEMAS=resolve` (a computed field on
//! each message): the difference is what schemas and resolvers cost.

use std::path::{Path, PathBuf};

use bench::fanout::Crowd;
use bench::http::HttpConn;
use bench::raw_ws::RawWs;
use bench::rest;
use bench::server::{sibling, Launch, ServerProcess};

fn usage() -> ! {
    eprintln!(
        "usage: instructions <rust|axum|socketioxide> <rest-get|rest-find|rest-create|rest-create-validated|rest-find-populated|rest-find-resolved|socket-get|fanout> \
         [--calls N] [--warmup N] [--clients N] [--keep]"
    );
    std::process::exit(2);
}

/// One client's calls, one after another; or one event at a time to a crowd.
enum Caller {
    Rest(HttpConn, Vec<Vec<u8>>),
    Socket(RawWs, Vec<u64>),
    Fanout(HttpConn, Crowd),
}

impl Caller {
    async fn call(&mut self, index: usize) {
        match self {
            Caller::Rest(conn, requests) => {
                let request = &requests[index % requests.len()];
                let response = conn
                    .request(request)
                    .await
                    .unwrap_or_else(|err| panic!("a REST call failed: {err}"));
                assert!(response.is_success(), "a REST call was refused");
            }
            Caller::Fanout(conn, crowd) => {
                assert!(crowd.deliver_one(conn).await, "an event was not delivered");
            }
            Caller::Socket(ws, ids) => {
                let ack = index + 1;
                let id = ids[index % ids.len()];
                let frame = format!(r#"42{ack}["get","messages",{id},{{}}]"#);
                ws.send_text(frame.as_bytes())
                    .await
                    .unwrap_or_else(|err| panic!("a socket call failed: {err}"));
                let prefix = format!("43{ack}[null,");
                let mut answered = false;
                while !answered {
                    ws.read_texts(|text| answered |= text.starts_with(prefix.as_bytes()))
                        .await
                        .unwrap_or_else(|err| panic!("a socket call failed: {err}"));
                }
            }
        }
    }
}

fn callgrind_control(flag: &str, pid: u32) {
    let status = std::process::Command::new("callgrind_control")
        .arg(flag)
        .arg(pid.to_string())
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap_or_else(|err| panic!("cannot run callgrind_control (valgrind): {err}"));
    assert!(status.success(), "callgrind_control {flag} failed");
}

/// The instructions in the newest dump of `pid` in `dir`.
fn dumped_total(dir: &Path, pid: u32) -> u64 {
    let prefix = format!("callgrind.out.{pid}.");
    let newest = std::fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", dir.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with(&prefix))
        })
        .max_by_key(|path| {
            path.extension()
                .and_then(|ext| ext.to_str())
                .and_then(|ext| ext.parse::<u32>().ok())
        })
        .unwrap_or_else(|| panic!("callgrind wrote no dump in {}", dir.display()));
    let text = std::fs::read_to_string(&newest)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", newest.display()));
    text.lines()
        .find_map(|line| {
            line.strip_prefix("summary:")
                .or_else(|| line.strip_prefix("totals:"))
        })
        .and_then(|total| total.split_whitespace().next())
        .and_then(|total| total.parse().ok())
        .unwrap_or_else(|| panic!("no total in {}", newest.display()))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(name), Some(scenario)) = (args.first(), args.get(1)) else {
        usage()
    };
    let mut calls: usize = 2_000;
    let mut warmup: usize = 500;
    let mut keep = false;
    let mut clients: usize = 1_000;
    let mut rest_args = args[2..].iter();
    while let Some(arg) = rest_args.next() {
        if arg == "--keep" {
            keep = true;
            continue;
        }
        let value = rest_args.next().and_then(|value| value.parse().ok());
        match (arg.as_str(), value) {
            ("--calls", Some(value)) => calls = value,
            ("--warmup", Some(value)) => warmup = value,
            ("--clients", Some(value)) => clients = value,
            _ => usage(),
        }
    }
    let program = match name.as_str() {
        "rust" => sibling("rust_server"),
        "axum" => sibling("axum_server"),
        "socketioxide" => sibling("socketioxide_server"),
        _ => usage(),
    };
    let dir: PathBuf = std::env::temp_dir().join(format!("instructions-{}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|err| panic!("cannot create {}: {err}", dir.display()));
    let launch = Launch::new("valgrind")
        .arg("--tool=callgrind")
        .arg("--compress-strings=no")
        .arg(format!(
            "--callgrind-out-file={}/callgrind.out.%p",
            dir.display()
        ))
        .arg(program)
        .env("TOKIO_WORKER_THREADS", "1")
        .env(
            "BENCH_SCHEMAS",
            match scenario.as_str() {
                "rest-create-validated" => "validate",
                "rest-find-populated" => "populate",
                "rest-find-resolved" => "resolve",
                _ => "",
            },
        );
    let server = ServerProcess::launch(&launch).await;
    let (port, pid) = (server.port, server.pid());
    let ids = rest::seed(port).await;
    let mut caller = match scenario.as_str() {
        "rest-get"
        | "rest-find"
        | "rest-create"
        | "rest-create-validated"
        | "rest-find-populated"
        | "rest-find-resolved" => {
            let requests = match scenario.as_str() {
                "rest-get" => rest::get_requests(&ids),
                "rest-find" | "rest-find-populated" | "rest-find-resolved" => rest::find_requests(),
                _ => rest::create_requests(),
            };
            let conn = HttpConn::connect(port)
                .await
                .unwrap_or_else(|err| panic!("cannot connect: {err}"));
            Caller::Rest(conn, requests)
        }
        "fanout" => {
            let crowd = Crowd::connect(port, clients).await;
            let conn = HttpConn::connect(port)
                .await
                .unwrap_or_else(|err| panic!("cannot connect: {err}"));
            Caller::Fanout(conn, crowd)
        }
        "socket-get" => {
            let ws = RawWs::connect_socketio(port)
                .await
                .unwrap_or_else(|err| panic!("cannot connect a socket: {err}"));
            Caller::Socket(ws, ids)
        }
        _ => usage(),
    };
    for index in 0..warmup {
        caller.call(index).await;
    }
    callgrind_control("--zero", pid);
    for index in warmup..warmup + calls {
        caller.call(index).await;
    }
    callgrind_control("--dump", pid);
    let total = dumped_total(&dir, pid);
    if scenario == "fanout" {
        println!(
            "{name} fanout to {clients}: {:.0} instructions per event, {:.0} per delivered frame \
             (the create included; {total} for {calls} events)",
            total as f64 / calls as f64,
            total as f64 / (calls * clients) as f64
        );
    } else {
        println!(
            "{name} {scenario}: {:.0} instructions per call ({total} for {calls} calls)",
            total as f64 / calls as f64
        );
    }
    drop(caller);
    server.stop().await;
    if keep {
        println!("callgrind's dumps are in {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

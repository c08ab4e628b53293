//! `bench/latency.sh`: the time of one call, not the throughput of many. For FeathersJS
//! 5, feathers-rs and socketioxide (the servers of `bench/run.sh`, each seeded with the
//! same records), one client makes `get` calls: over REST one request at a time on a
//! keep-alive connection, and over one Socket.io connection with 1, 2, 8 and 32 calls
//! in flight (a new call leaves as each answer arrives). Prints p50 and p99 per row and
//! writes `bench/results/latency.md`.
//!
//! ```text
//! latency [--smoke] [--server-cpu N|none] [--out DIR] [--feathers DIR]
//! ```
//!
//! Every row is bounded: a warm-up, then a fixed number of calls, or fewer when a
//! deadline passes first (the table says how many were made).

use std::time::{Duration, Instant};

use bench::cli::CommonArgs;
use bench::histogram::Histogram;
use bench::http::{get_request, HttpConn};
use bench::machine;
use bench::raw_ws::RawWs;
use bench::rest;
use bench::server::{sibling, Launch, ServerProcess};

/// Calls in flight on the one socket, one row each.
const DEPTHS: [usize; 4] = [1, 2, 8, 32];

/// How many calls a row makes, and how long it may take at most.
#[derive(Clone, Copy)]
struct Budget {
    warmup: usize,
    calls: usize,
    deadline: Duration,
}

/// p50 and p99 of one row, and the calls measured.
#[derive(Clone, Copy)]
struct Row {
    p50: Duration,
    p99: Duration,
    calls: u64,
}

impl Row {
    fn of(histogram: &Histogram) -> Row {
        Row {
            p50: histogram.quantile(0.50),
            p99: histogram.quantile(0.99),
            calls: histogram.count(),
        }
    }
}

/// REST `GET /messages/<id>`, one at a time on one keep-alive connection.
async fn rest_one_at_a_time(port: u16, ids: &[u64], budget: Budget) -> Row {
    let mut conn = HttpConn::connect(port)
        .await
        .unwrap_or_else(|err| panic!("cannot connect to port {port}: {err}"));
    let requests: Vec<Vec<u8>> = ids
        .iter()
        .map(|id| get_request(&format!("/messages/{id}")))
        .collect();
    let histogram = Histogram::new();
    let deadline = Instant::now() + budget.deadline;
    for n in 0..budget.warmup + budget.calls {
        let started = Instant::now();
        let response = conn
            .request(&requests[n % requests.len()])
            .await
            .unwrap_or_else(|err| panic!("GET failed: {err}"));
        assert!(response.is_success(), "GET answered {}", response.status);
        if n >= budget.warmup {
            histogram.record(started.elapsed());
        }
        if Instant::now() > deadline {
            break;
        }
    }
    Row::of(&histogram)
}

/// Socket.io `get` calls on one connection, `depth` of them in flight.
async fn socket_in_flight(port: u16, ids: &[u64], depth: usize, budget: Budget) -> Row {
    let mut ws = RawWs::connect_socketio(port)
        .await
        .unwrap_or_else(|err| panic!("cannot open a Socket.io connection: {err}"));
    let total = budget.warmup + budget.calls;
    // When each call left, by ack number (acks count from 1).
    let mut sent: Vec<Option<Instant>> = vec![None; total + 1];
    let histogram = Histogram::new();
    let deadline = Instant::now() + budget.deadline;
    let mut next_ack = 1;
    let mut answered = 0;
    while next_ack <= depth.min(total) {
        send_get(&mut ws, next_ack, ids).await;
        sent[next_ack] = Some(Instant::now());
        next_ack += 1;
    }
    while answered < next_ack - 1 {
        let mut acks = Vec::new();
        ws.read_texts(|text| {
            if let Some(ack) = ack_of(text) {
                acks.push(ack);
            }
        })
        .await
        .unwrap_or_else(|err| panic!("the socket failed: {err}"));
        for ack in acks {
            let Some(started) = sent.get_mut(ack).and_then(Option::take) else {
                continue;
            };
            answered += 1;
            if ack > budget.warmup {
                histogram.record(started.elapsed());
            }
            if next_ack <= total && Instant::now() < deadline {
                send_get(&mut ws, next_ack, ids).await;
                sent[next_ack] = Some(Instant::now());
                next_ack += 1;
            }
        }
    }
    Row::of(&histogram)
}

async fn send_get(ws: &mut RawWs, ack: usize, ids: &[u64]) {
    let id = ids[ack % ids.len()];
    let frame = format!(r#"42{ack}["get","messages",{id},{{}}]"#);
    ws.send_text(frame.as_bytes())
        .await
        .unwrap_or_else(|err| panic!("cannot send a call: {err}"));
}

/// The ack number of a successful answer, `43<ack>[null,..]`.
fn ack_of(text: &[u8]) -> Option<usize> {
    let rest = text.strip_prefix(b"43")?;
    let digits = rest.iter().take_while(|byte| byte.is_ascii_digit()).count();
    let (number, answer) = rest.split_at(digits);
    if !answer.starts_with(b"[null,") {
        return None;
    }
    std::str::from_utf8(number).ok()?.parse().ok()
}

/// Every row for one server.
async fn measure(name: &str, launch: &Launch, budget: Budget) -> Vec<Row> {
    eprintln!("== {name}");
    let server = ServerProcess::launch(launch).await;
    let ids = rest::seed(server.port).await;
    let mut rows = vec![rest_one_at_a_time(server.port, &ids, budget).await];
    eprintln!("  REST one at a time   {}", show(rows[0]));
    for depth in DEPTHS {
        let row = socket_in_flight(server.port, &ids, depth, budget).await;
        eprintln!("  socket, {depth:>2} in flight {}", show(row));
        rows.push(row);
    }
    server.stop().await;
    rows
}

fn show(row: Row) -> String {
    format!(
        "p50 {:>9}  p99 {:>9}  ({} calls)",
        format!("{:.1?}", row.p50),
        format!("{:.1?}", row.p99),
        row.calls
    )
}

fn micros(duration: Duration) -> String {
    format!("{:.0} µs", duration.as_secs_f64() * 1e6)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = CommonArgs::parse(
        "latency [--smoke] [--server-cpu N|none] [--out DIR] [--feathers DIR]",
        "bench/feathers",
        |_, _| false,
    );
    let budget = if args.smoke {
        Budget {
            warmup: 100,
            calls: 1_000,
            deadline: Duration::from_secs(5),
        }
    } else {
        Budget {
            warmup: 2_000,
            calls: 20_000,
            deadline: Duration::from_secs(60),
        }
    };
    let feathers = args.feathers_server();
    let ours = Launch::new(sibling("rust_server")).pinned_to(args.server_cpu);
    let socketioxide = Launch::new(sibling("socketioxide_server")).pinned_to(args.server_cpu);
    let date = machine::now();
    let load_before = machine::load_average();
    let theirs = measure("FeathersJS 5", &feathers, budget).await;
    let mine = measure("feathers-rs", &ours, budget).await;
    let sio = measure("socketioxide", &socketioxide, budget).await;

    let labels = std::iter::once("REST get, one request at a time (keep-alive)".to_owned())
        .chain(DEPTHS.map(|depth| format!("Socket.io get on one socket, {depth} in flight")));
    let mut table = format!(
        "Measured {date} on {}; servers pinned to CPU {}, the client on the other core; \
         load average before {load_before}, after {}. One client; {} calls per row after {} \
         of warm-up.\n\n\
         | call | quantile | FeathersJS 5 | feathers-rs | socketioxide | feathers-rs ÷ FeathersJS | target |\n\
         | --- | --- | ---: | ---: | ---: | ---: | --- |\n",
        machine::describe(),
        args.server_cpu.map_or("none".to_owned(), |cpu| cpu.to_string()),
        machine::load_average(),
        budget.calls,
        budget.warmup,
    );
    for (index, label) in labels.enumerate() {
        let (f, m, s) = (theirs[index], mine[index], sio[index]);
        for (quantile, pick) in [("p50", 0), ("p99", 1)] {
            let value = |row: Row| if pick == 0 { row.p50 } else { row.p99 };
            let ratio = value(m).as_secs_f64() / value(f).as_secs_f64().max(1e-9);
            let target = if pick == 1 {
                let depth = index.checked_sub(1).map(|i| DEPTHS[i]);
                let under_a_millisecond = depth.is_none_or(|depth| depth <= 8);
                let met = value(m) <= value(f)
                    && (!under_a_millisecond || value(m) <= Duration::from_millis(1));
                let wanted = if under_a_millisecond {
                    "≤ 1 ms and ≤ FeathersJS"
                } else {
                    "≤ FeathersJS"
                };
                format!("{wanted} {}", if met { "met" } else { "**missed**" })
            } else {
                String::new()
            };
            table.push_str(&format!(
                "| {label} | {quantile} | {} | {} | {} | {ratio:.2}x | {target} |\n",
                micros(value(f)),
                micros(value(m)),
                micros(value(s)),
            ));
        }
    }
    println!("{table}");
    if let Err(err) = std::fs::create_dir_all(&args.out)
        .and_then(|()| std::fs::write(args.out.join("latency.md"), &table))
    {
        eprintln!(
            "cannot write {}: {err}",
            args.out.join("latency.md").display()
        );
    }
    eprintln!("== wrote {}", args.out.join("latency.md").display());
}

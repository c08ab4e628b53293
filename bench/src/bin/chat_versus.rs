//! `bench/chat.sh`: the chat example against its FeathersJS 5 twin
//! (`bench/feathers-chat`: Koa, `@feathersjs/knex` on SQLite, local and jwt logins,
//! messages behind a login with their author resolved), each on a fresh SQLite file,
//! with a few messages and with `--messages` of them (default 100,000, inserted straight
//! into the table). A logged-in client's REST find (the newest page of 25, with
//! authors) and create, from 64 keep-alive connections; prints one table and writes
//! `bench/results/chat.md`. Then local logins per second, from a few connections, at
//! each side's default password cost.
//!
//! ```text
//! chat_versus [--smoke] [--server-cpu N|none] [--messages N] [--out DIR] [--feathers DIR]
//! ```

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use bench::cli::CommonArgs;
use bench::http::HttpConn;
use bench::load::Measured;
use bench::machine;
use bench::raw_ws::RawWs;
use bench::rest;
use bench::server::{sibling, Launch, ServerProcess};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

/// The secret both servers sign tokens with.
const SECRET: &str = "the chat benchmark's secret, long enough for HS256";

/// Messages in the table for the "few" rows.
const FEW: u64 = 100;

/// The common arguments, and how many messages the "many" rows have.
struct Args {
    common: CommonArgs,
    messages: u64,
}

fn parse_args() -> Args {
    let mut messages = 100_000;
    let common = CommonArgs::parse(
        "chat_versus [--smoke] [--server-cpu N|none] [--messages N] [--out DIR] [--feathers DIR]",
        "bench/feathers-chat",
        |flag, rest| {
            let parsed = (flag == "--messages")
                .then(|| rest.next().and_then(|n| n.parse().ok()))
                .flatten();
            parsed.map(|n| messages = n).is_some()
        },
    );
    Args { common, messages }
}

/// One request as bytes, with the login's token.
fn request(method: &str, path: &str, token: &str, body: Option<&str>) -> Vec<u8> {
    let mut text = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\
         Authorization: Bearer {token}\r\n"
    );
    match body {
        Some(body) => text.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )),
        None => text.push_str("\r\n"),
    }
    text.into_bytes()
}

/// Signs up and logs in; answers the access token.
async fn log_in(port: u16) -> String {
    let mut conn = HttpConn::connect(port)
        .await
        .unwrap_or_else(|err| panic!("cannot connect: {err}"));
    let credentials = r#"{"email":"bench@example.com","password":"a long secret"}"#;
    let signed_up = conn
        .request(&bench::http::post_json_request("/users", credentials))
        .await
        .unwrap_or_else(|err| panic!("sign-up failed: {err}"));
    assert!(
        signed_up.is_success(),
        "sign-up answered {}",
        signed_up.status
    );
    let login = r#"{"strategy":"local","email":"bench@example.com","password":"a long secret"}"#;
    let logged_in = conn
        .request(&bench::http::post_json_request("/authentication", login))
        .await
        .unwrap_or_else(|err| panic!("login failed: {err}"));
    assert!(
        logged_in.is_success(),
        "login answered {}",
        logged_in.status
    );
    let answer: serde_json::Value =
        serde_json::from_slice(conn.body()).unwrap_or_else(|err| panic!("a login answer: {err}"));
    answer["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("no token in {answer}"))
        .to_owned()
}

/// Connections logging in at once: the hashing, not the connections, is measured.
const LOGGING_IN: usize = 4;

/// Local logins per second from [`LOGGING_IN`] connections, each logging in again as
/// soon as it is answered; answers the rate and the failures.
async fn logins(port: u16, phases: bench::load::Phases) -> (f64, u64) {
    let window = bench::load::Window::starting_now(phases);
    let login = bench::http::post_json_request(
        "/authentication",
        r#"{"strategy":"local","email":"bench@example.com","password":"a long secret"}"#,
    );
    let tasks: Vec<_> = (0..LOGGING_IN)
        .map(|_| {
            let login = login.clone();
            tokio::spawn(async move {
                let mut conn = HttpConn::connect(port)
                    .await
                    .unwrap_or_else(|err| panic!("cannot connect: {err}"));
                let (mut done, mut failed) = (0u64, 0u64);
                while !window.is_over() {
                    let answer = conn.request(&login).await;
                    let ok = matches!(&answer, Ok(response) if response.is_success());
                    if !ok && failed == 0 {
                        eprintln!("  a login failed: {answer:?}");
                    }
                    if window.measuring(Instant::now()) {
                        if ok {
                            done += 1;
                        } else {
                            failed += 1;
                        }
                    }
                    if answer.is_err() {
                        // The connection is gone: a new one for the next login.
                        match HttpConn::connect(port).await {
                            Ok(again) => conn = again,
                            Err(_) => break,
                        }
                    }
                }
                (done, failed)
            })
        })
        .collect();
    let (mut done, mut failed) = (0, 0);
    for task in tasks {
        let (d, f) = task.await.unwrap_or((0, 1));
        done += d;
        failed += f;
    }
    (done as f64 / phases.measure.as_secs_f64(), failed)
}

/// Logged-in sockets for the memory and fan-out rows.
const SOCKETS: usize = 1_000;

/// Creates whose events every socket must receive, for the fan-out row.
const FANNED_OUT: usize = 20;

/// What the sockets row measured: memory per logged-in socket, and `created` events
/// delivered per second with one create at a time.
#[derive(Clone, Copy, Default)]
struct Sockets {
    bytes_per_socket: f64,
    delivered_per_second: f64,
    p50_to_all: std::time::Duration,
}

/// Opens [`SOCKETS`] Socket.io connections and logs each in with `token` (jwt), so
/// that each joins the `authenticated` channel.
async fn logged_in_sockets(port: u16, token: &str, count: usize) -> Vec<RawWs> {
    let mut sockets = Vec::with_capacity(count);
    while sockets.len() < count {
        let batch = (count - sockets.len()).min(50);
        let opening = (0..batch).map(|_| async {
            let mut ws = RawWs::connect_socketio(port)
                .await
                .unwrap_or_else(|err| panic!("a socket could not connect: {err}"));
            let login = format!(
                r#"421["create","authentication",{{"strategy":"jwt","accessToken":"{token}"}}]"#
            );
            ws.send_text(login.as_bytes())
                .await
                .unwrap_or_else(|err| panic!("a socket could not log in: {err}"));
            let mut answered = None;
            while answered.is_none() {
                ws.read_texts(|text| {
                    if text.starts_with(b"431[") {
                        answered = Some(text.starts_with(b"431[null,"));
                    }
                })
                .await
                .unwrap_or_else(|err| panic!("a socket failed while logging in: {err}"));
            }
            assert_eq!(answered, Some(true), "a socket login was refused");
            ws
        });
        sockets.extend(futures_util::future::join_all(opening).await);
    }
    sockets
}

/// Memory per logged-in socket, then [`FANNED_OUT`] creates over REST, each waited for
/// until every socket has its `messages created` event.
async fn sockets_row(server: &ServerProcess, token: &str) -> Sockets {
    // One socket first, so that what is built on first use is not counted per socket.
    let warm = logged_in_sockets(server.port, token, 1).await;
    let before = server.rss();
    let sockets = logged_in_sockets(server.port, token, SOCKETS).await;
    let after = server.rss();
    let bytes_per_socket = after.saturating_sub(before) as f64 / SOCKETS as f64;
    let received = Arc::new(AtomicUsize::new(0));
    let all_in = Arc::new(tokio::sync::Notify::new());
    let readers: Vec<_> = sockets
        .into_iter()
        .map(|mut ws| {
            let (received, all_in) = (received.clone(), all_in.clone());
            tokio::spawn(async move {
                loop {
                    let mut events = 0;
                    let read = ws
                        .read_texts(|text| {
                            if text.starts_with(br#"42["messages created""#) {
                                events += 1;
                            }
                        })
                        .await;
                    if events > 0 {
                        received.fetch_add(events, Ordering::SeqCst);
                        all_in.notify_one();
                    }
                    if read.is_err() {
                        return;
                    }
                }
            })
        })
        .collect();
    let mut conn = HttpConn::connect(server.port)
        .await
        .unwrap_or_else(|err| panic!("cannot connect: {err}"));
    let create = request(
        "POST",
        "/messages",
        token,
        Some(r#"{"text":"to every logged-in socket"}"#),
    );
    let histogram = bench::histogram::Histogram::new();
    let started = Instant::now();
    for round in 1..=FANNED_OUT {
        let sent = Instant::now();
        let answer = conn
            .request(&create)
            .await
            .unwrap_or_else(|err| panic!("a create failed: {err}"));
        assert!(answer.is_success(), "a create answered {}", answer.status);
        // Every socket read here has the event (the warm one is not read).
        let wanted = round * SOCKETS;
        let deadline = sent + std::time::Duration::from_secs(30);
        while received.load(Ordering::SeqCst) < wanted {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "the events did not all arrive within 30 s");
            let _ = tokio::time::timeout(left, all_in.notified()).await;
        }
        histogram.record(sent.elapsed());
    }
    let elapsed = started.elapsed().as_secs_f64();
    for reader in readers {
        reader.abort();
    }
    drop(warm);
    Sockets {
        bytes_per_socket,
        delivered_per_second: (FANNED_OUT * SOCKETS) as f64 / elapsed,
        p50_to_all: histogram.quantile(0.5),
    }
}

/// Adds `count` messages by the benchmark's user, straight into the table.
async fn insert_messages(file: &Path, count: u64) {
    let mut db = SqliteConnectOptions::new()
        .filename(file)
        .connect()
        .await
        .unwrap_or_else(|err| panic!("cannot open {}: {err}", file.display()));
    let mut tx = db.begin().await.unwrap_or_else(|err| panic!("{err}"));
    for n in 0..count {
        sqlx::query(r#"INSERT INTO messages (text, "createdAt", "userId") VALUES (?, ?, 1)"#)
            .bind(format!("message number {n}"))
            .bind(i64::try_from(n).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await
            .unwrap_or_else(|err| panic!("cannot insert a message: {err}"));
    }
    tx.commit().await.unwrap_or_else(|err| panic!("{err}"));
    db.close().await.unwrap_or_else(|err| panic!("{err}"));
}

/// What one side measured: find and create with a few messages and with many, and
/// logins per second.
struct Side {
    rows: Vec<Measured>,
    logins: (f64, u64),
    sockets: Sockets,
}

/// The rows of one side: find and create, with a few messages and with many; then
/// logins.
async fn measure(name: &str, launch: Launch, args: &Args, dir: &Path) -> Side {
    let phases = bench::sql::phases(args.common.smoke);
    let mut rows = Vec::new();
    let mut logged_in = (0.0, 0);
    let mut sockets = Sockets::default();
    for (label, count) in [("few", FEW), ("many", args.messages)] {
        let file = dir.join(format!("{name}-{label}.sqlite"));
        let url = format!("sqlite://{}", file.display());
        let server = ServerProcess::launch(
            &launch
                .clone()
                .env("DATABASE_URL", &url)
                .env("FEATHERS_AUTH_SECRET", SECRET),
        )
        .await;
        let token = log_in(server.port).await;
        insert_messages(&file, count).await;
        let find = vec![request(
            "GET",
            "/messages?%24sort%5BcreatedAt%5D=-1&%24limit=25",
            &token,
            None,
        )];
        let measured = rest::run(server.port, server.pid(), phases, find).await;
        eprintln!(
            "  {name:<12} find, {count} messages: {}",
            describe(&measured)
        );
        rows.push(measured);
        let create = vec![request(
            "POST",
            "/messages",
            &token,
            Some(r#"{"text":"a message from the load generator"}"#),
        )];
        let measured = rest::run(server.port, server.pid(), phases, create).await;
        eprintln!(
            "  {name:<12} create, {count} messages: {}",
            describe(&measured)
        );
        rows.push(measured);
        if label == "few" {
            logged_in = logins(server.port, phases).await;
            eprintln!(
                "  {name:<12} local logins: {:.1}/s, {} failed",
                logged_in.0, logged_in.1
            );
            sockets = sockets_row(&server, &token).await;
            eprintln!(
                "  {name:<12} {SOCKETS} logged-in sockets: {:.1} KB each; fan-out {:.0} events/s, p50 {:.2?} to all",
                sockets.bytes_per_socket / 1024.0,
                sockets.delivered_per_second,
                sockets.p50_to_all
            );
        }
        server.stop().await;
    }
    Side {
        rows,
        logins: logged_in,
        sockets,
    }
}

fn describe(measured: &Measured) -> String {
    format!(
        "{:.0} req/s  p50 {:.2?}  p99 {:.2?}  errors {}  server cpu {:.0}%",
        measured.rate(),
        measured.p50,
        measured.p99,
        measured.errors,
        measured.server_cpu * 100.0
    )
}

fn millis(duration: std::time::Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1e3)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = parse_args();
    let dir = std::env::temp_dir().join(format!("feathers-chat-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
    // Polled until it answers 2xx: what each answers without a login.
    let mut feathers = args.common.feathers_server();
    feathers.ready_path = "/health".to_owned();
    // The login limit (60 a minute from one address) would measure itself.
    let mut ours = Launch::new(sibling("chat"))
        .env("RUST_LOG", "warn")
        .env("FEATHERS_AUTH_RATE_LIMIT", "off")
        .pinned_to(args.common.server_cpu);
    ours.ready_path = "/".to_owned();
    let date = machine::now();
    let load_before = machine::load_average();
    eprintln!("== {date}: {}", machine::describe());
    let theirs = measure("FeathersJS", feathers, &args, &dir).await;
    let mine = measure("feathers-rs", ours, &args, &dir).await;
    let _ = std::fs::remove_dir_all(&dir);

    let mut table = format!(
        "Measured {date} on {}; servers pinned to CPU {}, the load generator on the other \
         core; load average before {load_before}, after {}. Each side on a fresh SQLite file; \
         a logged-in client, 64 keep-alive connections.\n\n\
         | messages in the table | call | measure | FeathersJS 5 twin | the chat | ratio | target |\n\
         | ---: | --- | --- | ---: | ---: | ---: | --- |\n",
        machine::describe(),
        args.common.server_cpu.map_or("none".to_owned(), |cpu| cpu.to_string()),
        machine::load_average(),
    );
    let calls = ["REST find, newest 25 with authors", "REST create"];
    for (index, (f, m)) in theirs.rows.iter().zip(&mine.rows).enumerate() {
        let count = if index < 2 { FEW } else { args.messages };
        let call = calls[index % 2];
        let ratio = m.rate() / f.rate().max(1e-9);
        let met = if ratio >= 5.0 { "met" } else { "**missed**" };
        table.push_str(&format!(
            "| {count} | {call} | requests/s | {:.0} | {:.0} | {ratio:.2}x | ≥ 5x {met} |\n",
            f.rate(),
            m.rate()
        ));
        for (quantile, pick) in [("p50", true), ("p99", false)] {
            let value = |measured: &Measured| if pick { measured.p50 } else { measured.p99 };
            let ratio = value(m).as_secs_f64() / value(f).as_secs_f64().max(1e-9);
            table.push_str(&format!(
                "| {count} | {call} | {quantile} | {} | {} | {ratio:.2}x |  |\n",
                millis(value(f)),
                millis(value(m))
            ));
        }
    }
    let ratio = mine.logins.0 / theirs.logins.0.max(1e-9);
    table.push_str(&format!(
        "| {FEW} | local login, each side's default password cost (bcrypt cost 10; \
         argon2id 19 MiB, 2 passes) | logins/s, {LOGGING_IN} at once | {:.1} | {:.1} | \
         {ratio:.2}x |  |\n",
        theirs.logins.0, mine.logins.0
    ));
    let (f, m) = (theirs.sockets, mine.sockets);
    let fan_out = m.delivered_per_second / f.delivered_per_second.max(1e-9);
    table.push_str(&format!(
        "| {FEW} | create over REST, its event to {SOCKETS} logged-in sockets, one at a time \
         | events delivered/s | {:.0} | {:.0} | {fan_out:.2}x | ≥ 10x {} |\n",
        f.delivered_per_second,
        m.delivered_per_second,
        if fan_out >= 10.0 { "met" } else { "**missed**" }
    ));
    table.push_str(&format!(
        "| {FEW} | the same | p50, create to the last socket | {} | {} | {:.2}x |  |\n",
        millis(f.p50_to_all),
        millis(m.p50_to_all),
        m.p50_to_all.as_secs_f64() / f.p50_to_all.as_secs_f64().max(1e-9)
    ));
    table.push_str(&format!(
        "| {FEW} | {SOCKETS} idle logged-in sockets | server memory per socket | {:.1} KB | {:.1} KB | {:.2}x |  |\n",
        f.bytes_per_socket / 1024.0,
        m.bytes_per_socket / 1024.0,
        m.bytes_per_socket / f.bytes_per_socket.max(1e-9)
    ));
    let errors: u64 = theirs
        .rows
        .iter()
        .chain(&mine.rows)
        .map(|m| m.errors)
        .sum::<u64>()
        + theirs.logins.1
        + mine.logins.1;
    if errors > 0 {
        table.push_str(&format!("\n{errors} requests failed in all.\n"));
    }
    println!("{table}");
    if let Err(err) = std::fs::create_dir_all(&args.common.out)
        .and_then(|()| std::fs::write(args.common.out.join("chat.md"), &table))
    {
        eprintln!(
            "cannot write {}: {err}",
            args.common.out.join("chat.md").display()
        );
    }
    eprintln!("== wrote {}", args.common.out.join("chat.md").display());
}

//! The README's run command: the chat binary serves on PORT, answers REST, keeps its
//! messages in `chat.sqlite` in its working directory across restarts, and on SIGTERM
//! finishes the request in flight before it exits cleanly.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A fresh working directory for the chat binary.
fn work_dir() -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("chat-test-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

/// Starts the chat binary in `dir` (without DATABASE_URL: its default database) on a
/// free port and returns it with its address, read from its startup log.
fn start(dir: &std::path::Path) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chat"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env("PORT", "0")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the chat binary starts");
    let stderr = child.stderr.take().expect("stderr is piped");
    let mut lines = BufReader::new(stderr).lines();
    let deadline = Instant::now() + Duration::from_secs(30);
    let address = loop {
        assert!(Instant::now() < deadline, "no startup line within 30s");
        let line = lines
            .next()
            .expect("the server logs its address")
            .expect("readable log");
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .expect("an address")
                .to_owned();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    (child, address)
}

fn request(address: &str, raw: &str) -> String {
    let mut stream = TcpStream::connect(address).expect("connects");
    stream.write_all(raw.as_bytes()).expect("writes");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("reads");
    response
}

#[test]
fn serves_rest_and_stops_gracefully_on_sigterm() {
    let dir = work_dir();
    let (mut child, address) = start(&dir);
    let body = r#"{"text":"Hello"}"#;
    let created = request(
        &address,
        &format!(
            "POST /messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(created.starts_with("HTTP/1.1 201"), "{created}");
    assert!(created.ends_with(r#"{"id":1,"text":"Hello"}"#), "{created}");

    // A request whose body is still on its way when SIGTERM arrives must finish.
    let mut slow = TcpStream::connect(&address).expect("connects");
    let head = "POST /messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 16\r\nConnection: close\r\n\r\n";
    slow.write_all(head.as_bytes()).expect("writes the head");
    std::thread::sleep(Duration::from_millis(200));
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    std::thread::sleep(Duration::from_millis(200));
    slow.write_all(br#"{"text":"Later"}"#)
        .expect("writes the body");
    let mut response = String::new();
    slow.read_to_string(&mut response).expect("reads");
    assert!(
        response.starts_with("HTTP/1.1 201"),
        "the in-flight request finished: {response}"
    );

    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("waits") {
            break exit;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "a clean exit after SIGTERM: {exit}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Stops the server with SIGTERM and waits for its clean exit.
fn stop(mut child: std::process::Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let exit = child.wait().expect("waits");
    assert!(exit.success(), "a clean exit after SIGTERM: {exit}");
}

#[test]
fn messages_survive_a_restart_in_chat_sqlite() {
    let dir = work_dir();
    let (child, address) = start(&dir);
    assert!(
        dir.join("chat.sqlite").is_file(),
        "the database file is created at startup"
    );
    for text in ["first", "second"] {
        let body = format!(r#"{{"text":"{text}"}}"#);
        let created = request(
            &address,
            &format!(
                "POST /messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            ),
        );
        assert!(created.starts_with("HTTP/1.1 201"), "{created}");
    }
    stop(child);

    let (child, address) = start(&dir);
    let listed = request(
        &address,
        "GET /messages?$sort[id]=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(
        listed.ends_with(r#"[{"id":1,"text":"first"},{"id":2,"text":"second"}]"#),
        "{listed}"
    );
    stop(child);
    let _ = std::fs::remove_dir_all(&dir);
}

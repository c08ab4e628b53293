//! Starting the chat binary and talking HTTP to it, for the tests of the run command.
#![allow(dead_code, unreachable_pub)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// A fresh working directory for the chat binary.
pub fn work_dir() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("chat-test-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

/// A running chat binary: its process, address and log lines.
pub struct Chat {
    pub child: Child,
    pub address: String,
    /// Every log line before the address, then the later ones as they come.
    pub startup: Vec<String>,
    pub log: Receiver<String>,
}

/// Starts the chat binary in `dir` on a free port with these extra environment
/// variables (without DATABASE_URL and FEATHERS_AUTH_SECRET unless given).
pub fn start(dir: &Path, env: &[(&str, &str)]) -> Chat {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chat"));
    command
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("FEATHERS_AUTH_SECRET")
        .env_remove("REDIS_URL")
        .env("PORT", "0")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("the chat binary starts");
    let stderr = child.stderr.take().expect("stderr is piped");
    let (tx, log) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut startup = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    let address = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = log
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no address logged within 60s: {startup:#?}"));
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .expect("an address")
                .to_owned();
        }
        startup.push(line);
    };
    Chat {
        child,
        address,
        startup,
        log,
    }
}

impl Chat {
    /// Waits (up to 30 s) for a log line containing `text`.
    pub fn wait_for_log(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.log.recv_timeout(left) {
                Ok(line) if line.contains(text) => return line,
                Ok(_) => {}
                Err(_) => panic!("no log line with '{text}' within 30s"),
            }
        }
    }

    /// Stops the server with SIGTERM and waits for its clean exit.
    pub fn stop(mut self) {
        terminate(&mut self.child);
        let exit = self.child.wait().expect("waits");
        #[cfg(unix)]
        assert!(exit.success(), "a clean exit after SIGTERM: {exit}");
        #[cfg(not(unix))]
        let _ = exit;
    }
}

/// Sends SIGTERM to the process.
#[cfg(unix)]
pub fn terminate(child: &mut Child) {
    use nix::sys::signal::{kill, Signal};
    use nix::unistd::Pid;
    let pid = i32::try_from(child.id()).expect("a process id fits in an i32");
    kill(Pid::from_raw(pid), Signal::SIGTERM).expect("SIGTERM is sent");
}

/// Elsewhere there is no SIGTERM: the process is killed.
#[cfg(not(unix))]
pub fn terminate(child: &mut Child) {
    child.kill().expect("the process is killed");
}

/// One request on its own connection: the status and the JSON body (null when empty).
pub fn request(
    address: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut stream = TcpStream::connect(address).expect("connects");
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let raw = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(raw.as_bytes()).expect("writes");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("reads");
    parse_response(&response)
}

/// The status and JSON body of a whole HTTP/1.1 response with a Content-Length.
pub fn parse_response(response: &str) -> (u16, Value) {
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("a status line: {response}"));
    let body = response.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    let json = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(body).unwrap_or_else(|err| panic!("JSON body ({err}): {body}"))
    };
    (status, json)
}

/// Signs up (201) and logs in; answers the access token and the user.
pub fn sign_up_and_log_in(address: &str, email: &str, password: &str) -> (String, Value) {
    let (status, user) = request(
        address,
        "POST",
        "/users",
        None,
        Some(json!({"email": email, "password": password})),
    );
    assert_eq!(status, 201, "signed up: {user}");
    let stored = user["email"].as_str().expect("the stored email");
    log_in(address, stored, password)
}

/// Logs in with the local strategy (201); answers the access token and the user.
pub fn log_in(address: &str, email: &str, password: &str) -> (String, Value) {
    let (status, login) = request(
        address,
        "POST",
        "/authentication",
        None,
        Some(json!({"strategy": "local", "email": email, "password": password})),
    );
    assert_eq!(status, 201, "logged in: {login}");
    let token = login["accessToken"].as_str().expect("a token").to_owned();
    (token, login["user"].clone())
}

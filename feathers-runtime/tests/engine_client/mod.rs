//! A raw Engine.IO / Primus client for the tests that end connections in every way:
//! long-polling over plain HTTP/1.1, websockets, the upgrade between them, and the
//! bookkeeping of what ended (disconnect handlers, the app's real-time state).

#![allow(dead_code)] // each test file uses part of it

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use feathers_runtime::realtime::{CloseReason, ConnectionId};
use feathers_runtime::{App, RealtimeApp};
use feathers_test_support::eventually;
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// One HTTP/1.1 exchange on its own connection: status and body.
pub async fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: text/plain;charset=UTF-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut raw = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw)).await;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, body.to_owned())
}

/// A long-polling Engine.IO session, opened with the handshake.
pub struct Polling {
    pub addr: SocketAddr,
    pub sid: String,
}

impl Polling {
    pub async fn open(addr: SocketAddr) -> Polling {
        let (status, body) = http(addr, "GET", "/socket.io/?EIO=4&transport=polling", "").await;
        assert_eq!(status, 200, "handshake: {body}");
        let open: serde_json::Value =
            serde_json::from_str(body.get(1..).unwrap_or("")).expect("an open packet");
        let sid = open["sid"].as_str().expect("a sid").to_owned();
        Polling { addr, sid }
    }

    fn path(&self) -> String {
        format!("/socket.io/?EIO=4&transport=polling&sid={}", self.sid)
    }

    pub async fn post(&self, payload: &str) -> (u16, String) {
        http(self.addr, "POST", &self.path(), payload).await
    }

    pub async fn get(&self) -> (u16, String) {
        http(self.addr, "GET", &self.path(), "").await
    }

    /// Opens the session and connects the default namespace (`40` answered by `40{..}`).
    pub async fn connected(addr: SocketAddr) -> Polling {
        let session = Polling::open(addr).await;
        assert_eq!(session.post("40").await.0, 200);
        let (_, body) = session.get().await;
        assert!(body.starts_with("40{"), "{body}");
        session
    }

    /// Opens the websocket that would upgrade this session.
    pub async fn websocket(&self) -> Ws {
        let url = format!(
            "ws://{}/socket.io/?EIO=4&transport=websocket&sid={}",
            self.addr, self.sid
        );
        tokio_tungstenite::connect_async(url)
            .await
            .expect("the websocket opens")
            .0
    }
}

/// A direct websocket session with the default namespace connected.
pub async fn connected_ws(addr: SocketAddr) -> Ws {
    let url = format!("ws://{addr}/socket.io/?EIO=4&transport=websocket");
    let (mut ws, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("the websocket opens");
    assert!(next_text(&mut ws).await.starts_with("0{"));
    send(&mut ws, "40").await;
    assert!(next_text(&mut ws).await.starts_with("40{"));
    ws
}

/// A Primus connection.
pub async fn primus(addr: SocketAddr) -> Ws {
    let url = format!("ws://{addr}/primus?_primuscb=1");
    tokio_tungstenite::connect_async(url)
        .await
        .expect("the websocket opens")
        .0
}

pub async fn send(ws: &mut Ws, text: &str) {
    ws.send(Message::Text(text.into())).await.expect("sends");
}

/// The next text frame; `None` once the socket closes.
pub async fn next_text_or_close(ws: &mut Ws) -> Option<String> {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a frame within 5s");
        match message {
            Some(Ok(Message::Text(text))) => return Some(text.to_string()),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            _ => return None,
        }
    }
}

pub async fn next_text(ws: &mut Ws) -> String {
    next_text_or_close(ws).await.expect("a text frame")
}

/// What the disconnect handlers saw: how often each connection ended, and why.
#[derive(Clone, Default)]
pub struct Disconnects(Arc<Mutex<DisconnectLog>>);

/// How many times each connection's disconnect handlers ran, and the last reason.
type DisconnectLog = HashMap<ConnectionId, (usize, Option<CloseReason>)>;

impl Disconnects {
    pub fn record(app: &App) -> Disconnects {
        let seen = Disconnects::default();
        let log = seen.0.clone();
        app.on_disconnect(move |connection, _| {
            if let Ok(mut log) = log.lock() {
                let entry = log.entry(connection.id()).or_insert((0, None));
                entry.0 += 1;
                entry.1 = connection.close_reason();
            }
        });
        seen
    }

    fn snapshot(&self) -> DisconnectLog {
        self.0.lock().map(|log| log.clone()).unwrap_or_default()
    }

    /// The reasons of the ended connections, asserting each ended exactly once.
    pub fn reasons(&self) -> Vec<Option<CloseReason>> {
        self.snapshot()
            .into_values()
            .map(|(count, reason)| {
                assert_eq!(
                    count, 1,
                    "a connection's disconnect handlers ran {count} times"
                );
                reason
            })
            .collect()
    }

    pub fn len(&self) -> usize {
        self.snapshot().len()
    }
}

/// Waits until the app has no connection, session, channel or running call left.
pub async fn wait_idle(app: &App) {
    let idle = eventually(Duration::from_secs(5), || app.realtime_stats().is_idle()).await;
    assert!(idle, "still live: {:?}", app.realtime_stats());
}

//! Shared by the real-time tests: the `everybody` channel, recording why connections
//! closed, and waiting for the server to close a raw websocket.

#![allow(dead_code)] // each test file uses part of it

use std::sync::{Arc, Mutex};
use std::time::Duration;

use feathers_runtime::realtime::CloseReason;
use feathers_runtime::{App, AppBuilder, Server, Service};
use feathers_runtime::{RealtimeApp, Serve};
use feathers_test_support::eventually;
use futures_util::StreamExt;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Serves `service` at `path` on a free port, with every connection in `everybody`;
/// `settings` changes the builder's settings first (`|builder| builder` for none).
pub async fn start(
    path: &str,
    service: impl Service,
    settings: impl FnOnce(AppBuilder) -> AppBuilder,
) -> (App, Server) {
    let app = settings(App::builder())
        .service_at(path, service)
        .setup(everybody)
        .build()
        .expect("app builds");
    let server = app.listen("127.0.0.1:0").await.expect("listens");
    (app, server)
}

/// Every connection joins `everybody`, which receives every event.
pub fn everybody(app: &App) {
    app.on_connection(|connection, app| {
        app.channel("everybody").join(connection);
    });
    app.publish(|_event, app| vec![app.channel("everybody")]);
}

/// The close reasons of the connections that ended, in order.
#[derive(Clone, Default)]
pub struct CloseReasons(Arc<Mutex<Vec<Option<CloseReason>>>>);

impl CloseReasons {
    /// Records the reason of every connection of `app` that ends.
    pub fn record(app: &App) -> CloseReasons {
        let reasons = CloseReasons::default();
        let log = reasons.0.clone();
        app.on_disconnect(move |connection, _| {
            if let Ok(mut log) = log.lock() {
                log.push(connection.close_reason());
            }
        });
        reasons
    }

    pub fn all(&self) -> Vec<Option<CloseReason>> {
        self.0.lock().map(|log| log.clone()).unwrap_or_default()
    }

    /// Waits until at least one connection ended, for up to `limit`.
    pub async fn wait_any(&self, limit: Duration) -> bool {
        eventually(limit, || !self.all().is_empty()).await
    }
}

/// The next text frame on `ws`, skipping pings and pongs; fails the test on anything
/// else or after 5 s.
pub async fn next_text(ws: &mut Ws) -> String {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a frame within 5s")
            .expect("the socket is open")
            .expect("a valid frame");
        match message {
            Message::Text(text) => return text.to_string(),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected frame {other:?}"),
        }
    }
}

/// True when the server closes `ws` within `limit` (a close frame, an error or EOF).
pub async fn closes_within(ws: &mut Ws, limit: Duration) -> bool {
    tokio::time::timeout(limit, async {
        loop {
            match ws.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                Some(Ok(_)) => {}
            }
        }
    })
    .await
    .is_ok()
}

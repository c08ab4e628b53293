//! A Socket.io client over tokio-tungstenite, for programs where convenience matters
//! more than the client's own cost (`idle_memory`).

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Opens a Socket.io websocket session and connects the default namespace.
pub async fn socketio_client(port: u16) -> Ws {
    let url = format!("ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket");
    let (mut ws, _) = tokio_tungstenite::connect_async(url)
        .await
        .unwrap_or_else(|err| panic!("websocket connect: {err}"));
    let _open = next_text(&mut ws).await;
    ws.send(Message::Text("40".into()))
        .await
        .unwrap_or_else(|err| panic!("send: {err}"));
    let connected = next_text(&mut ws).await;
    assert!(connected.starts_with("40"), "unexpected {connected}");
    ws
}

/// The next text frame.
pub async fn next_text(ws: &mut Ws) -> String {
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(text))) => return text.to_string(),
            Some(Ok(_)) => continue,
            other => panic!("the connection ended: {other:?}"),
        }
    }
}

//! The one task of a websocket connection, whatever the protocol on it: it reads,
//! writes every waiting frame before flushing once, pings, and cuts off clients that
//! stop reading or stop answering.

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures_util::{FutureExt, SinkExt};
use tokio::time::{sleep_until, Instant};

use feathers_core::connection::Frame;
use feathers_core::connection::TransportConnection;
use feathers_core::connection::WireText;
use feathers_core::{CloseReason, Connection, Framing};

/// What a protocol (Socket.io, Primus) adds to the shared loop.
pub(crate) trait WsProtocol {
    fn connection(&self) -> &Connection;
    fn framing(&self) -> &'static Framing;
    /// Handles a text frame from the client; false ends the connection.
    fn received(&self, text: &str) -> bool;
    /// A heartbeat ping to write now; from here until its pong, `awaiting_pong` holds.
    fn ping_frame(&self) -> WireText;
    /// Queues a heartbeat ping.
    fn ping(&self) {
        self.connection().send_text(self.ping_frame());
    }
    /// True from a ping until its pong.
    fn awaiting_pong(&self) -> bool;
    /// A last frame before a close the server chose (Socket.io's DISCONNECT).
    fn goodbye(&self, reason: &CloseReason) -> Option<Utf8Bytes>;
}

/// The heartbeat: a ping every `interval`, answered within `timeout`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Heartbeat {
    pub(crate) interval: Duration,
    pub(crate) timeout: Duration,
}

/// Write rounds since the socket last gave a message, after which the loop reads
/// whatever the client sent before writing more: the select below prefers the outbox,
/// so a steady stream of events cannot starve the client's calls and pongs.
const WRITES_BEFORE_READING: u32 = 8;

/// Runs the connection until it ends. The socket is borrowed, not moved, so that it is
/// stored once in the connection's task (idle connections are mostly this task).
///
/// Per frame it does as little as it can: queued frames are written before the socket
/// is read again (the select prefers the outbox), the heartbeat's timer is moved only
/// when its deadline changes, and a write that completes at once arms no stall timer.
pub(crate) async fn run(socket: &mut WebSocket, protocol: &impl WsProtocol, heartbeat: Heartbeat) {
    let outbox = protocol.connection().outbox();
    let mut frames: Vec<Frame> = Vec::new();
    let mut next_ping = Instant::now() + heartbeat.interval;
    let mut pong_deadline: Option<Instant> = None;
    let timer = sleep_until(next_ping);
    tokio::pin!(timer);
    let mut writes_since_read: u32 = 0;
    loop {
        let closed = outbox.drain(&mut frames);
        if !frames.is_empty() {
            // Writing and closing are boxed: they are short-lived, and the connection's
            // task (which idle connections mostly are) then only holds the idle state.
            if !Box::pin(write(socket, &mut frames, protocol, heartbeat.timeout)).await {
                return;
            }
            writes_since_read += 1;
            if writes_since_read >= WRITES_BEFORE_READING {
                writes_since_read = 0;
                while let Some(inbound) = socket.recv().now_or_never() {
                    if !received(protocol, inbound) {
                        return Box::pin(say_why(socket, protocol)).await;
                    }
                }
                if pong_deadline.is_some() && !protocol.awaiting_pong() {
                    pong_deadline = None;
                }
            }
            continue;
        }
        if let Some(reason) = closed {
            return Box::pin(close(socket, protocol, &reason)).await;
        }
        // Going idle: give back the buffer a burst of frames grew.
        if frames.capacity() > 0 {
            frames = Vec::new();
        }
        let deadline = pong_deadline.unwrap_or(next_ping);
        if timer.deadline() != deadline {
            timer.as_mut().reset(deadline);
        }
        tokio::select! {
            biased;
            () = outbox.ready() => {}
            inbound = socket.recv() => {
                writes_since_read = 0;
                if !received(protocol, inbound) {
                    return Box::pin(say_why(socket, protocol)).await;
                }
                if pong_deadline.is_some() && !protocol.awaiting_pong() {
                    pong_deadline = None;
                }
            }
            () = &mut timer => {
                if pong_deadline.is_some() {
                    if protocol.awaiting_pong() {
                        protocol.connection().close_with(CloseReason::Timeout);
                    } else {
                        pong_deadline = None;
                    }
                } else {
                    protocol.ping();
                    let now = Instant::now();
                    pong_deadline = Some(now + heartbeat.timeout);
                    next_ping = now + heartbeat.interval;
                }
            }
        }
    }
}

/// Handles one inbound websocket message; false when the connection ends.
fn received(protocol: &impl WsProtocol, inbound: Option<Result<Message, axum::Error>>) -> bool {
    match inbound {
        Some(Ok(Message::Text(text))) => protocol.received(&text),
        Some(Ok(Message::Binary(_))) => {
            protocol.connection().close_with(CloseReason::Protocol(
                "binary frames are not supported".to_owned(),
            ));
            false
        }
        Some(Ok(Message::Ping(_) | Message::Pong(_))) => true,
        Some(Err(err)) => {
            // The error's own text stays in the log; the client hears a generic reason.
            if err.to_string().contains("Space limit exceeded") {
                protocol
                    .connection()
                    .close_with(CloseReason::Protocol("message too large".to_owned()));
            } else {
                tracing::debug!(connection = %protocol.connection().id(), "websocket error: {err}");
            }
            false
        }
        Some(Ok(Message::Close(_))) | None => false,
    }
}

/// Writes every waiting frame and flushes once. A client that does not read is cut
/// off: when its queue overflows meanwhile, or when the write stalls past `stall`.
async fn write(
    socket: &mut WebSocket,
    frames: &mut Vec<Frame>,
    protocol: &impl WsProtocol,
    stall: Duration,
) -> bool {
    let framing = protocol.framing();
    let connection = protocol.connection();
    let write = async {
        for frame in frames.drain(..) {
            socket.feed(text_message(frame.text(framing))).await?;
        }
        socket.flush().await
    };
    tokio::pin!(write);
    // Most writes complete at once (the socket's send buffer has room): no timer for
    // them. One that waits is polled again below with the task's waker.
    if let Some(written) = (&mut write).now_or_never() {
        return written.is_ok();
    }
    let give_up = tokio::time::sleep(stall);
    tokio::pin!(give_up);
    loop {
        tokio::select! {
            biased;
            written = &mut write => return written.is_ok(),
            () = connection.outbox().ready() => {
                // A client that stopped reading is cut off mid-write; frames already
                // taken (the acks of a shutdown, say) are written before any other close.
                if matches!(
                    connection.close_reason(),
                    Some(CloseReason::SlowConsumer | CloseReason::Timeout)
                ) {
                    return false;
                }
            }
            () = &mut give_up => {
                connection.close_with(CloseReason::Timeout);
                return false;
            }
        }
    }
}

/// A text message for the socket. The bytes are shared, not copied; axum checks once
/// more that they are UTF-8 (they always are: they were built from strings).
fn text_message(text: WireText) -> Message {
    match Utf8Bytes::try_from(text.into_bytes()) {
        Ok(text) => Message::Text(text),
        Err(_) => Message::Text(Utf8Bytes::from_static("")),
    }
}

/// Closes with the reason the server recorded, if it recorded one.
async fn say_why(socket: &mut WebSocket, protocol: &impl WsProtocol) {
    if let Some(reason) = protocol.connection().close_reason() {
        close(socket, protocol, &reason).await;
    }
}

/// The protocol's goodbye, then a close frame with the reason. At a shutdown, a ping
/// first, and its pong awaited (for up to a second): a client answers it only after it
/// has handled every frame before it (the acks of the calls that just finished), which
/// socket.io-client drops when the close is read in the same breath.
async fn close(socket: &mut WebSocket, protocol: &impl WsProtocol, reason: &CloseReason) {
    if *reason == CloseReason::Shutdown {
        let barrier = async {
            socket.send(text_message(protocol.ping_frame())).await?;
            while protocol.awaiting_pong() {
                match socket.recv().await {
                    Some(Ok(Message::Text(text))) => {
                        protocol.received(&text);
                    }
                    Some(Ok(_)) => {}
                    Some(Err(err)) => return Err(err),
                    None => break,
                }
            }
            Ok::<(), axum::Error>(())
        };
        let _ = tokio::time::timeout(Duration::from_secs(1), barrier).await;
    }
    let goodbye = async {
        if let Some(last) = protocol.goodbye(reason) {
            socket.feed(Message::Text(last)).await?;
        }
        let frame = CloseFrame {
            code: axum::extract::ws::close_code::NORMAL,
            reason: reason.as_str().into(),
        };
        socket.send(Message::Close(Some(frame))).await
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), goodbye).await;
}

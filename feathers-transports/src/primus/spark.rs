//! A Primus connection ("spark"): method calls, acks, the heartbeat, and the
//! goodbye that tells the client not to reconnect.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::extract::ws::Utf8Bytes;

use super::packet::{self, Inbound};
use crate::ws_loop::WsProtocol;
use feathers_core::connection::WireText;
use feathers_core::App;
use feathers_core::{CloseReason, Connection, Framing};
use feathers_realtime::dispatch;

/// primus-emitter event: `{"type":0,"data":["<name>",<payload>]}`.
pub(crate) static FRAMING: Framing =
    Framing::new(|name, payload| format!("{{\"type\":0,\"data\":[{name},{payload}]}}"));

pub(super) struct Spark {
    pub(super) id: String,
    pub(super) connection: Connection,
    pub(super) app: App,
    awaiting_pong: AtomicBool,
}

impl Spark {
    pub(super) fn new(app: App, id: String, connection: Connection) -> Arc<Spark> {
        Arc::new(Spark {
            id,
            connection,
            app,
            awaiting_pong: AtomicBool::new(false),
        })
    }
}

/// A spark as the shared websocket loop sees it.
pub(super) struct SparkOverWs(pub(super) Arc<Spark>);

impl WsProtocol for SparkOverWs {
    fn connection(&self) -> &Connection {
        &self.0.connection
    }

    fn framing(&self) -> &'static Framing {
        &FRAMING
    }

    fn received(&self, text: &str) -> bool {
        let spark = &self.0;
        match packet::parse(text) {
            Inbound::Pong => spark.awaiting_pong.store(false, Ordering::Release),
            Inbound::IdRequest => {
                spark.connection.send_text(packet::id(&spark.id));
            }
            Inbound::Event { ack, event, args } => call(spark, ack, event, args),
            Inbound::Ignored => {}
        }
        true
    }

    fn ping_frame(&self) -> WireText {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_millis());
        self.0.awaiting_pong.store(true, Ordering::Release);
        packet::ping(now).into()
    }

    fn awaiting_pong(&self) -> bool {
        self.0.awaiting_pong.load(Ordering::Acquire)
    }

    fn goodbye(&self, reason: &CloseReason) -> Option<Utf8Bytes> {
        (*reason == CloseReason::Server).then(|| packet::SERVER_CLOSE.into())
    }
}

/// A method call, in either event form, through the same dispatch as Socket.io.
fn call(spark: &Arc<Spark>, ack: Option<u64>, event: String, args: Vec<serde_json::Value>) {
    let (method, args) = packet::method_and_args(event, args);
    dispatch::spawn(
        &spark.app,
        &spark.connection,
        method,
        args,
        ack,
        packet::ack,
    );
}

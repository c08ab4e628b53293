//! A Primus connection ("spark"): method calls, acks, the heartbeat, and the
//! goodbye that tells the client not to reconnect.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::ws::Utf8Bytes;

use super::packet::{self, Inbound};
use crate::app::App;
use crate::error::Error;
use crate::realtime::ws_loop::WsProtocol;
use crate::realtime::{dispatch, CloseReason, Connection, Framing};

pub(super) struct Spark {
    pub(super) id: String,
    pub(super) connection: Connection,
    pub(super) app: App,
    awaiting_pong: AtomicBool,
    calls_in_flight: AtomicUsize,
}

impl Spark {
    pub(super) fn new(app: App, id: String, connection: Connection) -> Arc<Spark> {
        Arc::new(Spark {
            id,
            connection,
            app,
            awaiting_pong: AtomicBool::new(false),
            calls_in_flight: AtomicUsize::new(0),
        })
    }
}

/// A spark as the shared websocket loop sees it.
pub(super) struct SparkOverWs(pub(super) Arc<Spark>);

impl WsProtocol for SparkOverWs {
    fn connection(&self) -> &Connection {
        &self.0.connection
    }

    fn framing(&self) -> Framing {
        Framing::Primus
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

    fn ping(&self) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_millis());
        self.0.awaiting_pong.store(true, Ordering::Release);
        self.0.connection.send_text(packet::ping(now));
    }

    fn awaiting_pong(&self) -> bool {
        self.0.awaiting_pong.load(Ordering::Acquire)
    }

    fn goodbye(&self, reason: &CloseReason) -> Option<Utf8Bytes> {
        (*reason == CloseReason::Server).then(|| packet::SERVER_CLOSE.into())
    }
}

/// Runs a call in its own task, through the same dispatch as Socket.io.
fn call(spark: &Arc<Spark>, ack: Option<u64>, event: String, args: Vec<serde_json::Value>) {
    let (method, args) = packet::method_and_args(event, args);
    let limit = spark.app.config().max_calls_in_flight;
    if spark.calls_in_flight.fetch_add(1, Ordering::AcqRel) >= limit {
        spark.calls_in_flight.fetch_sub(1, Ordering::AcqRel);
        if let Some(id) = ack {
            let err = Error::too_many_requests(format!(
                "More than {limit} calls in flight on this connection"
            ));
            spark.connection.send_text(packet::ack(id, &Err(err)));
        }
        return;
    }
    let spark = spark.clone();
    tokio::spawn(async move {
        let outcome = dispatch::call(&spark.app, &spark.connection, &method, args).await;
        spark.calls_in_flight.fetch_sub(1, Ordering::AcqRel);
        if let Some(id) = ack {
            spark.connection.send_text(packet::ack(id, &outcome));
        }
    });
}

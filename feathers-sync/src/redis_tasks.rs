//! The two connections to Redis: one publishes the queued messages in order, one
//! subscribes to the key and hands what arrives to the app. Each reconnects with
//! back-off after a failure; the subscriber subscribes again.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use feathers_core::App;
use futures_util::StreamExt;
use redis::aio::{MultiplexedConnection, PubSub};
use redis::{AsyncConnectionConfig, Client};

use crate::backoff::Backoff;
use crate::relay::Relay;
use crate::stats::Counters;

/// How long connecting (and each publish) may take before it counts as a failure.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(5);
/// The most messages sent in one pipeline.
const BATCH: usize = 256;

/// Publishes the queued messages, oldest first, for as long as the relay runs.
pub(crate) async fn publish(client: Client, relay: Arc<Relay>) {
    let config = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(CONNECT_TIMEOUT))
        .set_response_timeout(Some(RESPONSE_TIMEOUT));
    let counters = &relay.counters;
    let mut backoff = Backoff::new(relay.max_backoff);
    let mut connection: Option<MultiplexedConnection> = None;
    let mut lost = false;
    let mut warned_unreachable = false;
    loop {
        let conn = match &mut connection {
            Some(conn) => conn,
            None => match client
                .get_multiplexed_async_connection_with_config(&config)
                .await
            {
                Ok(conn) => {
                    counters.set_connected(&counters.publisher_connected, "publisher", true, "");
                    if lost {
                        counters.recovered("publisher");
                        lost = false;
                    }
                    backoff.reset();
                    connection.insert(conn)
                }
                Err(err) => {
                    Counters::add(&counters.publisher_connect_failures, 1);
                    if !warned_unreachable && !lost {
                        tracing::warn!("feathers-sync: cannot reach Redis to publish ({err}); events queue locally and reconnection continues");
                        warned_unreachable = true;
                    }
                    tokio::time::sleep(backoff.next_wait()).await;
                    continue;
                }
            },
        };
        let batch = relay.outbox.take(BATCH).await;
        let mut pipe = redis::pipe();
        for message in &batch {
            pipe.publish(&relay.key, message.as_slice()).ignore();
        }
        match pipe.query_async::<()>(conn).await {
            Ok(()) => Counters::add(&counters.published, batch.len() as u64),
            Err(err) => {
                relay.outbox.requeue_front(batch, counters);
                connection = None;
                lost = true;
                counters.set_connected(
                    &counters.publisher_connected,
                    "publisher",
                    false,
                    &err.to_string(),
                );
                tokio::time::sleep(backoff.next_wait()).await;
            }
        }
    }
}

/// Subscribes to the key and delivers every message, resubscribing after failures.
pub(crate) async fn subscribe(client: Client, relay: Arc<Relay>, app: App) {
    let counters = &relay.counters;
    let mut backoff = Backoff::new(relay.max_backoff);
    let mut last_seen: HashMap<String, u64> = HashMap::new();
    let mut lost = false;
    let mut warned_unreachable = false;
    loop {
        let connected = tokio::time::timeout(CONNECT_TIMEOUT, async {
            let mut pubsub = client.get_async_pubsub().await?;
            pubsub.subscribe(&relay.key).await?;
            Ok::<_, redis::RedisError>(pubsub)
        })
        .await;
        match connected {
            Ok(Ok(pubsub)) => {
                counters.set_connected(&counters.subscriber_connected, "subscriber", true, "");
                if lost {
                    counters.recovered("subscriber");
                }
                backoff.reset();
                relay.subscribed.send_replace(true);
                let ended = receive_until_lost(pubsub, &relay, &app, &mut last_seen).await;
                relay.subscribed.send_replace(false);
                lost = true;
                counters.set_connected(&counters.subscriber_connected, "subscriber", false, ended);
            }
            Ok(Err(err)) => {
                Counters::add(&counters.subscriber_connect_failures, 1);
                warn_unreachable(&mut warned_unreachable, lost, &err.to_string());
            }
            Err(_) => {
                Counters::add(&counters.subscriber_connect_failures, 1);
                warn_unreachable(&mut warned_unreachable, lost, "timed out");
            }
        }
        tokio::time::sleep(backoff.next_wait()).await;
    }
}

/// Hands every message to the relay until the connection closes or stops answering
/// pings (a connection that silently stopped carrying data); says which.
async fn receive_until_lost(
    pubsub: PubSub,
    relay: &Relay,
    app: &App,
    last_seen: &mut HashMap<String, u64>,
) -> &'static str {
    let (mut sink, mut messages) = pubsub.split();
    let mut pings = tokio::time::interval(relay.ping_interval);
    pings.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    pings.tick().await;
    loop {
        tokio::select! {
            message = messages.next() => match message {
                Some(message) => relay.receive(app, message.get_payload_bytes(), last_seen),
                None => return "the subscription connection closed",
            },
            _ = pings.tick() => {
                let answer = tokio::time::timeout(relay.ping_interval.min(RESPONSE_TIMEOUT), sink.ping::<redis::Value>()).await;
                if !matches!(answer, Ok(Ok(_))) {
                    return "Redis stopped answering pings on the subscription";
                }
            }
        }
    }
}

fn warn_unreachable(warned: &mut bool, lost: bool, detail: &str) {
    if !*warned && !lost {
        tracing::warn!(
            "feathers-sync: cannot subscribe on Redis ({detail}); retrying with back-off"
        );
        *warned = true;
    }
}

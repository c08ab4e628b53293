//! The subscribing connection: subscribes to the key, checks that the subscription
//! really exists, hands what arrives to the app, and subscribes again after any
//! failure, with back-off.
//!
//! A subscription counts only when it is seen: the redis crate does not pass on
//! `SUBSCRIBE`'s reply (an error reply such as `NOAUTH` would look like success), so
//! a `PING` with a token follows it. Redis answers in order, and on a RESP2
//! connection that is subscribed the answer is `["pong", token]`; an error reply or a
//! plain answer means the `SUBSCRIBE` did not take. Then `PUBSUB NUMSUB` on an
//! ordinary connection must count a subscriber on the key. The same `PING` checks the
//! subscription every `ping_interval` afterwards.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use feathers_core::App;
use futures_util::StreamExt;
use redis::aio::{PubSub, PubSubSink};
use redis::{AsyncConnectionConfig, Client, ProtocolVersion, Value};

use crate::backoff::Backoff;
use crate::link::Link;
use crate::relay::Relay;
use crate::stats::Counters;

/// The token of the `PING` that checks the subscription.
const PROBE: &str = "feathers-sync";

/// Subscribes to the key and delivers every message, resubscribing after failures.
pub(crate) async fn subscribe(client: Client, relay: Arc<Relay>, app: App) {
    let counters = &relay.counters;
    let mut link = Link::new("subscriber", &counters.subscriber_connected, counters);
    let mut backoff = Backoff::new(relay.max_backoff);
    let mut last_seen: HashMap<String, u64> = HashMap::new();
    loop {
        match confirmed_subscription(&client, &relay).await {
            Ok(pubsub) => {
                link.up();
                backoff.reset();
                relay.subscribed.send_replace(true);
                let ended = receive_until_lost(pubsub, &client, &relay, &app, &mut last_seen).await;
                relay.subscribed.send_replace(false);
                link.down(&ended);
            }
            Err(detail) => {
                Counters::add(&counters.subscriber_connect_failures, 1);
                link.down(&detail);
            }
        }
        tokio::time::sleep(backoff.next_wait()).await;
    }
}

/// Connects, subscribes, and checks that the subscription exists.
async fn confirmed_subscription(client: &Client, relay: &Relay) -> Result<PubSub, String> {
    let attempt = async {
        let mut pubsub = client
            .get_async_pubsub()
            .await
            .map_err(|err| format!("cannot connect to subscribe: {err}"))?;
        pubsub
            .subscribe(&relay.key)
            .await
            .map_err(|err| format!("SUBSCRIBE failed: {err}"))?;
        let answer = pubsub
            .ping_message::<Value>(PROBE)
            .await
            .map_err(|err| format!("the check after SUBSCRIBE failed: {err}"))?;
        confirms_subscription(&answer, protocol(client))
            .map_err(|why| format!("Redis did not subscribe: {why}"))?;
        let subscribers = count_subscribers(client, relay).await?;
        if subscribers == 0 {
            return Err(format!(
                "PUBSUB NUMSUB counts no subscriber on '{}'",
                relay.key
            ));
        }
        Ok(pubsub)
    };
    tokio::time::timeout(relay.connect_timeout + relay.response_timeout, attempt)
        .await
        .unwrap_or_else(|_| Err("subscribing timed out".to_owned()))
}

/// `PUBSUB NUMSUB <key>`, on an ordinary connection.
async fn count_subscribers(client: &Client, relay: &Relay) -> Result<u64, String> {
    let config = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(relay.connect_timeout))
        .set_response_timeout(Some(relay.response_timeout));
    let mut conn = client
        .get_multiplexed_async_connection_with_config(&config)
        .await
        .map_err(|err| format!("cannot connect to check the subscription: {err}"))?;
    let (_, count): (String, u64) = redis::cmd("PUBSUB")
        .arg("NUMSUB")
        .arg(&relay.key)
        .query_async(&mut conn)
        .await
        .map_err(|err| format!("PUBSUB NUMSUB failed: {err}"))?;
    Ok(count)
}

fn protocol(client: &Client) -> ProtocolVersion {
    client.get_connection_info().redis_settings().protocol()
}

/// Whether `answer`, the reply to `PING <PROBE>`, shows a live subscription.
fn confirms_subscription(answer: &Value, protocol: ProtocolVersion) -> Result<(), String> {
    let is_probe =
        |value: &Value| matches!(value, Value::BulkString(text) if text == PROBE.as_bytes());
    match answer {
        Value::ServerError(err) => Err(format!("error reply {err}")),
        Value::Array(items) | Value::Push { data: items, .. }
            if matches!(items.first(), Some(Value::BulkString(kind)) if kind.eq_ignore_ascii_case(b"pong"))
                && items.get(1).is_some_and(is_probe) =>
        {
            Ok(())
        }
        // RESP3 answers any command as usual on a subscribed connection; there the
        // count of subscribers on the key is the proof.
        plain if protocol == ProtocolVersion::RESP3 && is_probe(plain) => Ok(()),
        other => Err(format!(
            "the connection is not subscribed (PING answered {other:?})"
        )),
    }
}

/// Hands every message to the relay until the connection closes or stops answering
/// pings properly (it hangs, or Redis refuses it); says which.
async fn receive_until_lost(
    pubsub: PubSub,
    client: &Client,
    relay: &Relay,
    app: &App,
    last_seen: &mut HashMap<String, u64>,
) -> String {
    let (mut sink, mut messages) = pubsub.split();
    let mut pings = tokio::time::interval(relay.ping_interval);
    pings.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    pings.tick().await;
    let wait = relay.ping_interval.min(relay.response_timeout);
    let protocol = protocol(client);
    loop {
        tokio::select! {
            message = messages.next() => match message {
                Some(message) => relay.receive(app, message.get_payload_bytes(), last_seen),
                None => return "the subscription connection closed".to_owned(),
            },
            _ = pings.tick() => {
                if let Err(why) = check(&mut sink, wait, protocol).await {
                    return format!("the subscription failed its ping: {why}");
                }
            }
        }
    }
}

/// One health ping on the subscription.
async fn check(
    sink: &mut PubSubSink,
    wait: Duration,
    protocol: ProtocolVersion,
) -> Result<(), String> {
    match tokio::time::timeout(wait, sink.ping_message::<Value>(PROBE)).await {
        Ok(Ok(answer)) => confirms_subscription(&answer, protocol),
        Ok(Err(err)) => Err(err.to_string()),
        Err(_) => Err(format!("no answer within {wait:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(reply: &[u8]) -> Value {
        redis::parse_redis_value(reply).expect("a reply parses")
    }

    #[test]
    fn only_a_subscribed_pong_confirms_the_subscription() {
        let subscribed = parsed(b"*2\r\n$4\r\npong\r\n$13\r\nfeathers-sync\r\n");
        assert_eq!(
            confirms_subscription(&subscribed, ProtocolVersion::RESP2),
            Ok(())
        );
        for refused in [
            &b"-NOAUTH Authentication required.\r\n"[..],
            b"-NOPERM this user has no permissions to run the 'ping' command\r\n",
            b"-ERR unknown command\r\n",
        ] {
            let answer = parsed(refused);
            assert!(matches!(answer, Value::ServerError(_)), "{answer:?}");
            for protocol in [ProtocolVersion::RESP2, ProtocolVersion::RESP3] {
                assert!(
                    confirms_subscription(&answer, protocol).is_err(),
                    "{answer:?}"
                );
            }
        }
        // A plain answer on RESP2: the connection is not in subscribed mode.
        let plain = parsed(b"$13\r\nfeathers-sync\r\n");
        assert!(confirms_subscription(&plain, ProtocolVersion::RESP2).is_err());
        assert_eq!(
            confirms_subscription(&plain, ProtocolVersion::RESP3),
            Ok(())
        );
        let other_token = parsed(b"*2\r\n$4\r\npong\r\n$1\r\nx\r\n");
        assert!(confirms_subscription(&other_token, ProtocolVersion::RESP2).is_err());
    }
}

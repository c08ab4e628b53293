//! The publishing connection: publishes the queued messages in order, for as long as
//! the relay runs, and reconnects with back-off after a failure.
//!
//! What happens to a batch that fails decides between "lost" and "twice":
//! - Redis refused some messages (an error reply such as `NOAUTH`): it did not
//!   publish those, so they go back to the front of the queue; the connection is kept.
//! - The connection closed before the reply: they go back too. Redis most likely did
//!   not run them (it was killed, or the connection was); should it have, feathers-rs
//!   receivers drop the second copy by its sequence number.
//! - No reply within the response timeout (a hung Redis, a silent network): Redis
//!   may run them later (it does when a paused server resumes), so they are not sent
//!   again and are counted as `unconfirmed`. A FeathersJS receiver, which cannot tell a
//!   copy, never gets one; pub/sub is at-most-once for a subscriber anyway.

use std::sync::Arc;

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, Client, RedisError, Value};

use crate::backoff::Backoff;
use crate::link::Link;
use crate::relay::Relay;
use crate::stats::Counters;

/// The most messages sent in one pipeline.
const BATCH: usize = 256;

/// What became of one batch.
#[derive(Debug)]
enum Outcome {
    /// Redis accepted every message.
    Published,
    /// Redis answered, but refused the messages at these positions.
    Refused { refused: Vec<usize>, error: String },
    /// The connection closed before the reply: nothing is known to be published.
    Closed(RedisError),
    /// No reply in time: Redis may publish the batch yet.
    Unanswered(RedisError),
}

/// Publishes the queued messages, oldest first, for as long as the relay runs.
pub(crate) async fn publish(client: Client, relay: Arc<Relay>) {
    let config = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(relay.connect_timeout))
        .set_response_timeout(Some(relay.response_timeout));
    let counters = &relay.counters;
    let mut link = Link::new("publisher", &counters.publisher_connected, counters);
    let mut backoff = Backoff::new(relay.max_backoff);
    let mut connection: Option<MultiplexedConnection> = None;
    loop {
        let conn = match &mut connection {
            Some(conn) => conn,
            None => match connect(&client, &config).await {
                Ok(conn) => {
                    // Redis answered a command: the connection works (the back-off
                    // still waits for a publish that goes through).
                    link.up();
                    connection.insert(conn)
                }
                Err(err) => {
                    Counters::add(&counters.publisher_connect_failures, 1);
                    link.down(&format!("cannot connect to publish: {err}"));
                    tokio::time::sleep(backoff.next_wait()).await;
                    continue;
                }
            },
        };
        let mut batch = relay.outbox.take(BATCH).await;
        let outcome = send(conn, &relay.key, &batch).await;
        let sent = batch.len() as u64;
        match outcome {
            Outcome::Published => {
                Counters::add(&counters.published, sent);
                link.up();
                backoff.reset();
                continue;
            }
            Outcome::Refused { refused, error } => {
                Counters::add(&counters.published, sent - refused.len() as u64);
                let mut position = 0;
                batch.retain(|_| {
                    position += 1;
                    refused.contains(&(position - 1))
                });
                relay.outbox.requeue_front(batch, counters);
                link.down(&format!("Redis refused to publish: {error}"));
            }
            Outcome::Closed(err) => {
                relay.outbox.requeue_front(batch, counters);
                connection = None;
                link.down(&format!("the publishing connection closed: {err}"));
            }
            Outcome::Unanswered(err) => {
                Counters::add(&counters.unconfirmed, sent);
                connection = None;
                link.down(&format!(
                    "Redis did not answer a publish of {sent} events ({err}); they are not sent again"
                ));
            }
        }
        Counters::add(&counters.publish_failures, 1);
        tokio::time::sleep(backoff.next_wait()).await;
    }
}

/// Opens the connection and checks that Redis accepts commands on it: an opened
/// connection on which every command is refused (`NOAUTH`) is no connection.
async fn connect(
    client: &Client,
    config: &AsyncConnectionConfig,
) -> Result<MultiplexedConnection, RedisError> {
    let mut conn = client
        .get_multiplexed_async_connection_with_config(config)
        .await?;
    let pong: String = redis::cmd("PING").query_async(&mut conn).await?;
    if pong != "PONG" {
        return Err(RedisError::from((
            redis::ErrorKind::UnexpectedReturnType,
            "PING was not answered with PONG",
            pong,
        )));
    }
    Ok(conn)
}

/// Publishes `batch` in one pipeline, and says what Redis did with it.
async fn send(conn: &mut MultiplexedConnection, key: &str, batch: &[Vec<u8>]) -> Outcome {
    let mut pipe = redis::pipe();
    for message in batch {
        pipe.publish(key, message.as_slice());
    }
    // Each reply on its own, so that messages Redis refused are told from the others.
    match pipe.ignore_errors().query_async::<Vec<Value>>(conn).await {
        Ok(replies) => judge(&replies, batch.len()),
        Err(err) if err.is_timeout() => Outcome::Unanswered(err),
        Err(err) => Outcome::Closed(err),
    }
}

/// A batch's outcome from its replies: `PUBLISH` answers with a subscriber count.
fn judge(replies: &[Value], sent: usize) -> Outcome {
    let mut refused = Vec::new();
    let mut error = String::new();
    for position in 0..sent {
        match replies.get(position) {
            Some(Value::Int(_)) => {}
            Some(Value::ServerError(err)) => {
                if error.is_empty() {
                    error = err.to_string();
                }
                refused.push(position);
            }
            other => {
                if error.is_empty() {
                    error = format!("unexpected reply {other:?}");
                }
                refused.push(position);
            }
        }
    }
    if refused.is_empty() {
        Outcome::Published
    } else {
        Outcome::Refused { refused, error }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_replies_are_refusals_of_those_messages_only() {
        let noauth = redis::parse_redis_value(b"-NOAUTH Authentication required.\r\n")
            .expect("an error reply parses");
        let outcome = judge(&[Value::Int(1), noauth.clone(), noauth], 3);
        let Outcome::Refused { refused, error } = outcome else {
            panic!("{outcome:?}");
        };
        assert_eq!(refused, [1, 2]);
        assert!(error.contains("NOAUTH"), "{error}");
        assert!(matches!(
            judge(&[Value::Int(0), Value::Int(2)], 2),
            Outcome::Published
        ));
        assert!(matches!(
            judge(&[Value::Int(0)], 2),
            Outcome::Refused { .. }
        ));
    }
}

//! A Redis outage: local delivery goes on, events to publish wait in a bounded queue
//! (the oldest dropped and counted), both connections come back after a restart, and
//! the queued events reach the other instance in order. The test owns its Redis server.

mod support;

use std::time::Duration;

use feathers_runtime::prelude::*;
use feathers_runtime::EventOrigin;
use feathers_sync::RedisSync;
use support::apps::{instance, seen};
use support::RedisServer;

const LIMIT: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_queues_boundedly_and_recovery_delivers_the_newest_in_order() {
    let mut redis = RedisServer::start().await;
    let key = support::unique_key("outage");
    let (producer, producer_seen) = instance();
    let (consumer, consumer_seen) = instance();
    let producer_sync = RedisSync::new(redis.url())
        .key(&key)
        .queue_capacity(5)
        .max_backoff(Duration::from_secs(3))
        .start(&producer)
        .expect("starts");
    let consumer_sync = RedisSync::new(redis.url())
        .key(&key)
        .max_backoff(Duration::from_millis(100))
        .start(&consumer)
        .expect("starts");
    producer_sync.subscribed().await;
    consumer_sync.subscribed().await;
    let notes = producer.service("notes").expect("notes");
    notes
        .create(json!({"n": "before"}), Params::default())
        .await
        .expect("create");
    support::wait_for_stats(&consumer_sync, LIMIT, "the first event", |s| {
        s.delivered == 1
    })
    .await;

    redis.stop();
    support::wait_for_stats(&consumer_sync, LIMIT, "the consumer to notice", |s| {
        !s.subscriber_connected && s.outages >= 1
    })
    .await;
    for n in 0..8 {
        notes
            .create(json!({"n": n}), Params::default())
            .await
            .expect("create while Redis is down");
    }
    assert_eq!(
        seen(&producer_seen).len(),
        9,
        "local listeners get every event during the outage"
    );
    let down = support::wait_for_stats(
        &producer_sync,
        LIMIT,
        "the producer to queue and retry",
        |s| {
            s.queued == 5
                && s.dropped == 3
                && !s.publisher_connected
                && s.publisher_connect_failures >= 5
        },
    )
    .await;
    assert_eq!(down.published, 1);
    assert!(down.outages >= 1, "{down:?}");

    // Redis comes back refusing PUBLISH until the consumer has subscribed again, so
    // that the queued events cannot go out before it listens (pub/sub keeps nothing).
    redis
        .restart_with(&[
            "--user", "default", "on", "nopass", "~*", "&*", "+@all", "-publish",
        ])
        .await;
    tokio::time::timeout(LIMIT, consumer_sync.subscribed())
        .await
        .expect("the consumer resubscribes");
    let mut admin = support::admin(&redis.url()).await;
    support::command(&mut admin, &["ACL", "SETUSER", "default", "+publish"]).await;
    let up = support::wait_for_stats(&producer_sync, LIMIT, "the queue to drain", |s| {
        s.queued == 0 && s.published == 6 && s.publisher_connected
    })
    .await;
    assert!(up.recoveries >= 1, "{up:?}");
    let consumer_stats = support::wait_for_stats(&consumer_sync, LIMIT, "the queued events", |s| {
        s.delivered == 6
    })
    .await;
    assert_eq!(consumer_stats.missed, 3, "the dropped events show as a gap");
    assert!(
        consumer_stats.recoveries >= 1 && consumer_stats.outages >= 1,
        "{consumer_stats:?}"
    );
    let received: Vec<Value> = seen(&consumer_seen)
        .into_iter()
        .map(|(_, data, origin)| {
            assert_eq!(origin, EventOrigin::Remote);
            data["n"].clone()
        })
        .collect();
    assert_eq!(
        received,
        [
            json!("before"),
            json!(3),
            json!(4),
            json!(5),
            json!(6),
            json!(7)
        ]
    );

    // After recovery, events flow both ways again (once the producer listens again:
    // its subscription backs off as slowly as its publisher).
    tokio::time::timeout(LIMIT, producer_sync.subscribed())
        .await
        .expect("the producer resubscribes");
    consumer
        .service("notes")
        .expect("notes")
        .create(json!({"n": "after"}), Params::default())
        .await
        .expect("create");
    support::wait_for_stats(&producer_sync, LIMIT, "an event from the consumer", |s| {
        s.delivered == 1
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_started_while_redis_is_down_connects_when_it_comes_up() {
    let mut redis = RedisServer::start().await;
    redis.stop();
    let key = support::unique_key("late");
    let (app, app_seen) = instance();
    let sync = RedisSync::new(redis.url())
        .key(&key)
        .max_backoff(Duration::from_millis(100))
        .start(&app)
        .expect("starts although Redis is down");
    app.service("notes")
        .expect("notes")
        .create(json!({"n": 1}), Params::default())
        .await
        .expect("create");
    assert_eq!(seen(&app_seen).len(), 1, "delivered locally at once");
    support::wait_for_stats(&sync, LIMIT, "failed attempts", |s| {
        s.subscriber_connect_failures >= 1 && s.publisher_connect_failures >= 1 && s.queued == 1
    })
    .await;
    redis.restart().await;
    tokio::time::timeout(LIMIT, sync.subscribed())
        .await
        .expect("subscribes once Redis is up");
    support::wait_for_stats(&sync, LIMIT, "the queued event published", |s| {
        s.published == 1 && s.queued == 0
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broker_that_stops_answering_is_noticed_by_ping_and_the_subscription_comes_back() {
    let redis = RedisServer::start().await;
    let key = support::unique_key("hang");
    let (app, _) = instance();
    let sync = RedisSync::new(redis.url())
        .key(&key)
        .ping_interval(Duration::from_millis(200))
        .max_backoff(Duration::from_millis(200))
        .start(&app)
        .expect("starts");
    sync.subscribed().await;
    // SIGSTOP: the connection stays open, but nothing answers.
    redis.pause(true);
    support::wait_for_stats(&sync, LIMIT, "the hang to be noticed", |s| {
        !s.subscriber_connected && s.outages >= 1
    })
    .await;
    redis.pause(false);
    tokio::time::timeout(LIMIT, sync.subscribed())
        .await
        .expect("subscribes again");
    assert!(sync.stats().recoveries >= 1, "{:?}", sync.stats());
}

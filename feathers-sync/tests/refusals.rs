//! Redis that answers but refuses: a `SUBSCRIBE` refused with `NOAUTH`, pings of the
//! subscription refused with `NOPERM`, publishes refused while a password is set.
//! The relay must report what is true (not subscribed, not publishing), back off
//! while refused, and end up subscribed and publishing once Redis accepts again.
//! Each test owns its `redis-server`, since they change its configuration.

mod support;

use std::time::{Duration, Instant};

use feathers_runtime::prelude::*;
use feathers_sync::RedisSync;
use support::apps::{instance, seen};
use support::{admin, command, subscribers, RedisServer};

const LIMIT: Duration = Duration::from_secs(20);
const PASSWORD: &str = "a-password-set-for-a-moment";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_subscribe_is_not_reported_as_subscribed_and_is_made_again() {
    let redis = RedisServer::start().await;
    let key = support::unique_key("refused-subscribe");
    let (app, app_seen) = instance();
    let sync = RedisSync::new(redis.url())
        .key(&key)
        .max_backoff(Duration::from_millis(200))
        .start(&app)
        .expect("starts");
    tokio::time::timeout(LIMIT, sync.subscribed())
        .await
        .expect("subscribed");
    let mut admin = admin(&redis.url()).await;
    assert_eq!(subscribers(&mut admin, &key).await, 1);

    // New connections are refused (NOAUTH) while the subscription is cut.
    command(&mut admin, &["CONFIG", "SET", "requirepass", PASSWORD]).await;
    command(&mut admin, &["CLIENT", "KILL", "TYPE", "pubsub"]).await;
    let failures = sync.stats().subscriber_connect_failures;
    let refused = support::wait_for_stats(&sync, LIMIT, "refused resubscriptions", |s| {
        s.subscriber_connect_failures >= failures + 2
    })
    .await;
    assert!(!refused.subscriber_connected, "{refused:?}");
    assert_eq!(subscribers(&mut admin, &key).await, 0);
    assert_eq!(
        (refused.outages, refused.recoveries),
        (1, 0),
        "one outage, however many refusals"
    );

    command(&mut admin, &["CONFIG", "SET", "requirepass", ""]).await;
    tokio::time::timeout(LIMIT, sync.subscribed())
        .await
        .expect("subscribes again once Redis accepts");
    let back = sync.stats();
    assert!(
        back.subscriber_connected && back.recoveries >= 1,
        "{back:?}"
    );
    assert!(subscribers(&mut admin, &key).await >= 1);

    // And events cross again: a FeathersJS instance's message is delivered.
    let message = json!({"event": "created", "path": "notes", "data": {"id": 9, "n": "from js"}});
    redis::cmd("PUBLISH")
        .arg(&key)
        .arg(message.to_string())
        .query_async::<u64>(&mut admin)
        .await
        .expect("PUBLISH");
    support::wait_for_stats(&sync, LIMIT, "the event after recovery", |s| {
        s.delivered == 1
    })
    .await;
    assert_eq!(seen(&app_seen)[0].1, json!({"id": 9, "n": "from js"}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ping_answered_with_an_error_counts_as_a_lost_subscription() {
    let redis = RedisServer::start().await;
    let key = support::unique_key("ping-error");
    let (app, _) = instance();
    let sync = RedisSync::new(redis.url())
        .key(&key)
        .ping_interval(Duration::from_millis(100))
        .max_backoff(Duration::from_millis(200))
        .start(&app)
        .expect("starts");
    tokio::time::timeout(LIMIT, sync.subscribed())
        .await
        .expect("subscribed");
    let mut admin = admin(&redis.url()).await;

    // The connection stays open; only PING is refused (NOPERM).
    command(&mut admin, &["ACL", "SETUSER", "default", "-ping"]).await;
    let lost = support::wait_for_stats(&sync, LIMIT, "the refused ping to count", |s| {
        !s.subscriber_connected && s.outages >= 1
    })
    .await;
    assert_eq!(lost.recoveries, 0, "{lost:?}");

    command(&mut admin, &["ACL", "SETUSER", "default", "+ping"]).await;
    tokio::time::timeout(LIMIT, sync.subscribed())
        .await
        .expect("subscribes again");
    assert!(sync.stats().recoveries >= 1, "{:?}", sync.stats());
    assert!(subscribers(&mut admin, &key).await >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_redis_refuses_the_publisher_backs_off_and_reports_one_outage() {
    let redis = RedisServer::start().await;
    let key = support::unique_key("refused-publish");
    let (app, _) = instance();
    let sync = RedisSync::new(redis.url())
        .key(&key)
        .max_backoff(Duration::from_secs(1))
        .start(&app)
        .expect("starts");
    tokio::time::timeout(LIMIT, sync.subscribed())
        .await
        .expect("subscribed");
    let notes = app.service("notes").expect("notes");
    notes
        .create(json!({"n": 0}), Params::default())
        .await
        .expect("create");
    support::wait_for_stats(&sync, LIMIT, "the first publish", |s| s.published == 1).await;

    // Connections open, but every command on a new one is refused (NOAUTH).
    let mut admin = admin(&redis.url()).await;
    command(&mut admin, &["CONFIG", "SET", "requirepass", PASSWORD]).await;
    command(&mut admin, &["CLIENT", "KILL", "TYPE", "normal"]).await;
    let refused_at = Instant::now();
    notes
        .create(json!({"n": 1}), Params::default())
        .await
        .expect("create while Redis refuses");
    let attempts = |s: &feathers_sync::SyncStats| s.publish_failures + s.publisher_connect_failures;
    let refused =
        support::wait_for_stats(&sync, LIMIT, "six refused attempts", |s| attempts(s) >= 6).await;
    // Five waits lie between six attempts: at least half of 50, 100, 200, 400 and
    // 800 ms with back-off; about 6 x 50 ms if it restarted at each opened connection.
    let elapsed = refused_at.elapsed();
    assert!(
        elapsed >= Duration::from_millis(775),
        "six attempts in {elapsed:?}: {refused:?}"
    );
    assert!(!refused.publisher_connected, "{refused:?}");
    assert_eq!(
        (refused.outages, refused.queued, refused.published),
        (1, 1, 1),
        "{refused:?}"
    );

    command(&mut admin, &["CONFIG", "SET", "requirepass", ""]).await;
    let back = support::wait_for_stats(&sync, LIMIT, "the queued event published", |s| {
        s.published == 2 && s.queued == 0
    })
    .await;
    assert!(back.publisher_connected, "{back:?}");
    assert_eq!((back.outages, back.recoveries), (1, 1), "{back:?}");
}

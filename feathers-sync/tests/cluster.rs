//! Two instances on one Redis: each event reaches the other instance's listeners
//! exactly once and in order, and the producing instance's listeners once (its own
//! message coming back is skipped).

mod support;

use std::time::Duration;

use feathers_runtime::prelude::*;
use feathers_runtime::{EventOrigin, Id};
use feathers_sync::RedisSync;
use support::apps::{instance, seen};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_event_reaches_each_instance_once_in_order() {
    let redis = support::redis().await;
    let key = support::unique_key("cluster");
    let (first, first_seen) = instance();
    let (second, second_seen) = instance();
    let first_sync = RedisSync::new(&redis.url)
        .key(&key)
        .start(&first)
        .expect("starts");
    let second_sync = RedisSync::new(&redis.url)
        .key(&key)
        .start(&second)
        .expect("starts");
    first_sync.subscribed().await;
    second_sync.subscribed().await;

    let notes = first.service("notes").expect("notes");
    let count = 200;
    for n in 0..count {
        notes
            .create(json!({"n": n}), Params::default())
            .await
            .expect("create");
    }
    notes
        .create(
            json!([{"n": "multi-a"}, {"n": "multi-b"}]),
            Params::default(),
        )
        .await
        .expect("multi create");
    notes
        .patch(
            Some(Id::Int(0)),
            json!({"patched": true}),
            Params::default(),
        )
        .await
        .expect("patch");
    notes
        .emit("typing", json!({"who": "ann"}))
        .expect("custom event");
    notes
        .remove(Some(Id::Int(1)), Params::default())
        .await
        .expect("remove");
    let total = count + 5;

    support::wait_for_stats(
        &second_sync,
        Duration::from_secs(20),
        "every event on the second instance",
        |s| s.delivered >= total as u64,
    )
    .await;
    support::wait_for_stats(
        &first_sync,
        Duration::from_secs(20),
        "its own messages back",
        |s| s.own_skipped >= total as u64,
    )
    .await;

    let local = seen(&first_seen);
    let remote = seen(&second_seen);
    assert_eq!(
        local.len(),
        total,
        "the producing instance sees each event once"
    );
    assert!(local
        .iter()
        .all(|(_, _, origin)| *origin == EventOrigin::Local));
    assert!(remote
        .iter()
        .all(|(_, _, origin)| *origin == EventOrigin::Remote));
    let strip = |events: &[(String, Value, EventOrigin)]| -> Vec<(String, Value)> {
        events
            .iter()
            .map(|(e, d, _)| (e.clone(), d.clone()))
            .collect()
    };
    assert_eq!(
        strip(&remote),
        strip(&local),
        "the same events, in the same order, once each"
    );
    assert_eq!(remote[count].1["n"], "multi-a");
    assert_eq!(remote[count + 2].0, "patched");
    assert_eq!(
        remote[count + 3],
        ("typing".into(), json!({"who": "ann"}), EventOrigin::Remote)
    );

    let second_stats = second_sync.stats();
    assert_eq!(second_stats.delivered, total as u64);
    assert_eq!(
        (
            second_stats.duplicates,
            second_stats.missed,
            second_stats.rejected
        ),
        (0, 0, 0)
    );
    let first_stats = first_sync.stats();
    assert_eq!(first_stats.published, total as u64);
    assert_eq!(
        first_stats.delivered, 0,
        "nothing came from the second instance"
    );
    assert_eq!(first_stats.own_skipped, total as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_from_both_sides_cross_and_are_not_sent_back() {
    let redis = support::redis().await;
    let key = support::unique_key("both-ways");
    let (first, first_seen) = instance();
    let (second, second_seen) = instance();
    let first_sync = RedisSync::new(&redis.url)
        .key(&key)
        .start(&first)
        .expect("starts");
    let second_sync = RedisSync::new(&redis.url)
        .key(&key)
        .start(&second)
        .expect("starts");
    first_sync.subscribed().await;
    second_sync.subscribed().await;

    first
        .service("notes")
        .expect("notes")
        .create(json!({"from": "first"}), Params::default())
        .await
        .expect("create");
    second
        .service("notes")
        .expect("notes")
        .create(json!({"from": "second"}), Params::default())
        .await
        .expect("create");
    for sync in [&first_sync, &second_sync] {
        support::wait_for_stats(sync, Duration::from_secs(10), "the other's event", |s| {
            s.delivered == 1 && s.own_skipped == 1
        })
        .await;
    }
    for log in [&first_seen, &second_seen] {
        let events = seen(log);
        assert_eq!(events.len(), 2, "{events:?}");
        let origins: Vec<_> = events
            .iter()
            .map(|(_, d, o)| (d["from"].clone(), *o))
            .collect();
        assert!(
            origins
                .iter()
                .filter(|(_, o)| *o == EventOrigin::Remote)
                .count()
                == 1,
            "{origins:?}"
        );
    }
    assert_eq!(
        first_sync.stats().published,
        1,
        "the received event was not published again"
    );
    assert_eq!(second_sync.stats().published, 1);
}

#[tokio::test]
async fn starting_twice_or_with_a_bad_url_fails() {
    let (app, _) = instance();
    let bad = RedisSync::new("not a url")
        .start(&app)
        .expect_err("a bad URL");
    assert!(bad.to_string().contains("invalid Redis URL"), "{bad}");
    let key = support::unique_key("twice");
    let _first = RedisSync::new("redis://127.0.0.1:1/")
        .key(&key)
        .start(&app)
        .expect("starts without Redis up");
    let twice = RedisSync::new("redis://127.0.0.1:1/")
        .start(&app)
        .expect_err("already relaying");
    assert!(twice.to_string().contains("already"), "{twice}");
    assert!(feathers_sync::stats(&app).is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn foreign_and_malformed_messages_are_counted_and_ignored() {
    let redis = support::redis().await;
    let key = support::unique_key("foreign");
    let (app, app_seen) = instance();
    let sync = RedisSync::new(&redis.url)
        .key(&key)
        .start(&app)
        .expect("starts");
    sync.subscribed().await;
    let client = redis::Client::open(redis.url.as_str()).expect("a Redis URL");
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("connects");
    let messages = [
        "not json".to_owned(),
        r#"{"event":"created","path":"elsewhere","data":{}}"#.to_owned(),
        r#"{"event":"exploded","path":"notes","data":{}}"#.to_owned(),
        // A FeathersJS message without origin, for a service this app has.
        r#"{"event":"created","path":"notes","data":{"id":9},"context":{"method":"create","result":{"id":9},"params":{"provider":"socketio"}}}"#.to_owned(),
    ];
    for message in &messages {
        redis::cmd("PUBLISH")
            .arg(&key)
            .arg(message)
            .query_async::<i64>(&mut conn)
            .await
            .expect("publishes");
    }
    // Received is counted before a message is handled: wait until all four are handled.
    let stats = support::wait_for_stats(&sync, Duration::from_secs(10), "four messages", |s| {
        s.received == 4 && s.rejected + s.delivered == 4
    })
    .await;
    assert_eq!((stats.rejected, stats.delivered), (3, 1), "{stats:?}");
    assert_eq!(
        seen(&app_seen),
        [("created".into(), json!({"id": 9}), EventOrigin::Remote)]
    );
}

//! A broker that hangs longer than the response timeout (SIGSTOP) while a batch is on
//! its way: Redis publishes the batch when it resumes, so the relay must not send it
//! again. A bare subscriber, which deduplicates nothing (as FeathersJS), counts what
//! crosses. The test owns its `redis-server`.

mod support;

use std::collections::HashMap;
use std::time::Duration;

use feathers_runtime::prelude::*;
use feathers_sync::RedisSync;
use support::apps::instance;
use support::{heard, raw_subscriber, RedisServer};

const LIMIT: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_sent_into_a_hung_broker_is_delivered_once_when_it_resumes() {
    let redis = RedisServer::start().await;
    let key = support::unique_key("hang-no-duplicate");
    let (app, _) = instance();
    let sync = RedisSync::new(redis.url())
        .key(&key)
        .response_timeout(Duration::from_millis(300))
        .max_backoff(Duration::from_millis(200))
        .start(&app)
        .expect("starts");
    tokio::time::timeout(LIMIT, sync.subscribed())
        .await
        .expect("subscribed");
    let bare = raw_subscriber(&redis.url(), &key).await;
    let notes = app.service("notes").expect("notes");
    let texts = |heard: &[Value]| -> Vec<String> {
        heard
            .iter()
            .map(|message| message["data"]["n"].to_string())
            .collect()
    };
    notes
        .create(json!({"n": "before"}), Params::default())
        .await
        .expect("create");
    feathers_test_support::assert_eventually(LIMIT, "the first event", || heard(&bare).len() == 1)
        .await;

    redis.pause(true);
    for n in 0..3 {
        notes
            .create(json!({"n": n}), Params::default())
            .await
            .expect("create while Redis hangs");
    }
    let timed_out = support::wait_for_stats(&sync, LIMIT, "a publish to time out", |s| {
        s.publish_failures >= 1 && !s.publisher_connected
    })
    .await;
    redis.pause(false);
    notes
        .create(json!({"n": "after"}), Params::default())
        .await
        .expect("create after the hang");
    feathers_test_support::assert_eventually(LIMIT, "the event made after the hang", || {
        texts(&heard(&bare)).contains(&"\"after\"".to_owned())
    })
    .await;
    // What went out before "after" has arrived: a batch sent again would have gone
    // out ahead of it, from the front of the queue.
    let mut copies: HashMap<String, usize> = HashMap::new();
    for text in texts(&heard(&bare)) {
        *copies.entry(text).or_default() += 1;
    }
    assert!(
        copies.values().all(|&count| count == 1),
        "delivered twice: {copies:?} ({timed_out:?})"
    );
    assert_eq!(
        copies.len(),
        5,
        "the hung batch is published when Redis resumes: {copies:?}"
    );
    let stats = sync.stats();
    assert!(stats.unconfirmed >= 1, "{stats:?}");
    assert_eq!(stats.queued, 0, "{stats:?}");
    assert!(
        stats.publisher_connected && stats.recoveries >= 1,
        "{stats:?}"
    );
}

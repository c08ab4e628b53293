//! A mixed cluster on one Redis: two feathers-rs instances (the interop fixtures with
//! `feathers-sync`) and one FeathersJS 5 instance with the real `feathers-sync` 3.1.1
//! from npm, each with a real `@feathersjs/socketio-client` client
//! (`js/sync-cluster.test.mjs`).

use std::process::Stdio;
use std::time::Duration;

use feathers_runtime::Serve;
use feathers_sync::RedisSync;
use interop::{fixtures, js_dir, run_node};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feathers_rs_and_feathersjs_instances_share_events() {
    let redis = interop::redis::redis().await;
    let key = format!("feathers-sync-interop-{}", std::process::id());
    let mut servers = Vec::new();
    let mut relays = Vec::new();
    for _ in 0..2 {
        let app = fixtures::app();
        let relay = RedisSync::new(&redis.url)
            .key(&key)
            .start(&app)
            .expect("the relay starts");
        tokio::time::timeout(Duration::from_secs(20), relay.subscribed())
            .await
            .expect("subscribed to Redis");
        servers.push(app.listen("127.0.0.1:0").await.expect("the server starts"));
        relays.push(relay);
    }

    let mut feathers = Command::new("node")
        .arg("sync-server.mjs")
        .current_dir(js_dir())
        .env("REDIS_URL", &redis.url)
        .env("SYNC_KEY", &key)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("node starts the FeathersJS instance");
    let stdout = feathers.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let feathers_url = tokio::time::timeout(Duration::from_secs(30), async {
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(url) = line.strip_prefix("listening ") {
                return url.to_owned();
            }
        }
        panic!("the FeathersJS instance exited without listening")
    })
    .await
    .expect("the FeathersJS instance listens within 30 s");

    let urls = [servers[0].url(), servers[1].url(), feathers_url];
    let run = run_node(
        &["--test", "--test-reporter=spec", "sync-cluster.test.mjs"],
        &urls[0],
        &[("FEATHERS_URLS", &urls.join(","))],
    )
    .await;
    assert!(
        run.stdout.contains("pass 3"),
        "expected 3 passing tests\n{}",
        run.stdout
    );

    for relay in &relays {
        let stats = relay.stats();
        assert!(stats.delivered > 0 && stats.published > 0, "{stats:?}");
        assert_eq!(
            (
                stats.rejected,
                stats.duplicates,
                stats.missed,
                stats.dropped
            ),
            (0, 0, 0, 0),
            "{stats:?}"
        );
    }
    feathers
        .kill()
        .await
        .expect("the FeathersJS instance stops");
    for server in servers {
        server.shutdown().await.expect("a server stops cleanly");
    }
}

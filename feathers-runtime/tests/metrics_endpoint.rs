//! The Prometheus endpoint: off unless configured; one setting turns it on, and a
//! scrape shows the calls and the real-time gauges.

mod engine_client;

use engine_client::{connected_ws, http};
use feathers_runtime::prelude::*;
use feathers_runtime::{MemoryService, WebSettings};
use feathers_test_support::eventually;

fn app(metrics_endpoint: Option<&str>) -> App {
    App::builder()
        .configure(|web: &mut WebSettings| {
            web.metrics_endpoint = metrics_endpoint.map(str::to_owned);
        })
        .service_at("notes", MemoryService::new())
        .build()
        .expect("app builds")
}

#[tokio::test]
async fn the_endpoint_is_off_by_default() {
    let server = app(None).listen("127.0.0.1:0").await.expect("listens");
    let (status, _) = http(server.local_addr(), "GET", "/metrics", "").await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_setting_serves_the_prometheus_text() {
    let app = app(Some("/metrics"));
    let server = app.listen("127.0.0.1:0").await.expect("listens");
    let addr = server.local_addr();
    assert_eq!(http(addr, "POST", "/notes", "").await.0, 201);
    let _ws = connected_ws(addr).await;
    assert!(
        eventually(std::time::Duration::from_secs(5), || app
            .realtime_stats()
            .total_connections()
            == 1)
        .await
    );

    let (status, text) = http(addr, "GET", "/metrics", "").await;
    assert_eq!(status, 200);
    assert!(
        text.lines()
            .any(|line| line.starts_with("feathers_calls_total{")
                && line.contains("service=\"notes\"")
                && line.contains("method=\"create\"")
                && line.contains("provider=\"rest\"")
                && line.ends_with(" 1")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|line| line == "feathers_realtime_connections{transport=\"socketio\"} 1"),
        "{text}"
    );
    assert!(text.contains("feathers_call_duration_seconds"), "{text}");
}

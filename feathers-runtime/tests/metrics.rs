//! The numbers an operator watches, read through `metrics-util`'s debugging recorder
//! (installed for this test's thread): calls by service, method, provider and outcome
//! with their durations, connections opened and closed by reason, events published and
//! their frames, frames dropped, and the real-time gauges.

mod engine_client;

use engine_client::{connected_ws, http, next_text, send, wait_idle};
use feathers_runtime::metrics as names;
use feathers_runtime::prelude::*;
use feathers_runtime::realtime::{Connection, EventFrame};
use feathers_runtime::{MemoryService, Provider};
use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};
use metrics_util::MetricKind;
use std::collections::HashMap;

/// Every series: (kind, name, sorted labels) to its value.
type Series = HashMap<(MetricKind, String, Vec<(String, String)>), DebugValue>;

fn series(snapshotter: &Snapshotter) -> Series {
    snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .map(|(key, _, _, value)| {
            let mut labels: Vec<(String, String)> = key
                .key()
                .labels()
                .map(|l| (l.key().to_owned(), l.value().to_owned()))
                .collect();
            labels.sort();
            ((key.kind(), key.key().name().to_owned(), labels), value)
        })
        .collect()
}

/// Adds a later snapshot to an earlier one (taking a snapshot resets counters and
/// drains histograms; gauges keep their latest value).
fn merge(into: &mut Series, later: Series) {
    for (key, value) in later {
        match (into.get_mut(&key), value) {
            (Some(DebugValue::Counter(total)), DebugValue::Counter(n)) => *total += n,
            (Some(DebugValue::Histogram(all)), DebugValue::Histogram(more)) => all.extend(more),
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}

fn labels(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut labels: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    labels.sort();
    labels
}

fn counter(all: &Series, name: &str, pairs: &[(&str, &str)]) -> u64 {
    match all.get(&(MetricKind::Counter, name.to_owned(), labels(pairs))) {
        Some(DebugValue::Counter(n)) => *n,
        _ => 0,
    }
}

fn gauge(all: &Series, name: &str, pairs: &[(&str, &str)]) -> Option<f64> {
    match all.get(&(MetricKind::Gauge, name.to_owned(), labels(pairs))) {
        Some(DebugValue::Gauge(g)) => Some(g.into_inner()),
        _ => None,
    }
}

fn histogram_len(all: &Series, name: &str, pairs: &[(&str, &str)]) -> usize {
    match all.get(&(MetricKind::Histogram, name.to_owned(), labels(pairs))) {
        Some(DebugValue::Histogram(values)) => values.len(),
        _ => 0,
    }
}

#[tokio::test]
async fn calls_connections_events_and_gauges_are_counted() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    // The test runs on one thread, the server's tasks included.
    let _guard = metrics::set_default_local_recorder(&recorder);

    let app = App::builder()
        .service_at("notes", MemoryService::new())
        .setup(|app: &App| {
            app.on_connection(|connection, app| {
                app.channel("everybody").join(connection);
            });
            app.publish(|_, app| vec![app.channel("everybody")]);
        })
        .build()
        .expect("app builds");
    let server = app.listen("127.0.0.1:0").await.expect("listens");
    let mut ws = connected_ws(server.local_addr()).await;

    send(&mut ws, r#"421["create","notes",{"text":"a"}]"#).await;
    let frames = [next_text(&mut ws).await, next_text(&mut ws).await];
    assert!(
        frames.iter().any(|f| f.starts_with("431[null,")),
        "{frames:?}"
    );
    let (status, _) = http(server.local_addr(), "POST", "/notes", "").await;
    assert_eq!(status, 201);
    assert!(next_text(&mut ws)
        .await
        .starts_with(r#"42["notes created""#));

    let mut reported = Vec::new();
    names::record_realtime_gauges(&app, &mut reported);
    let live = series(&snapshotter);
    assert_eq!(
        gauge(&live, names::CONNECTIONS, &[("transport", "socketio")]),
        Some(1.0)
    );
    assert_eq!(gauge(&live, names::CHANNELS, &[]), Some(1.0));
    assert_eq!(
        gauge(
            &live,
            names::CHANNEL_CONNECTIONS,
            &[("channel", "everybody")]
        ),
        Some(1.0)
    );
    assert_eq!(gauge(&live, names::SOCKET_CALLS_RUNNING, &[]), Some(0.0));

    ws.close(None).await.expect("closes");
    wait_idle(&app).await;
    let closed = Connection::new(Provider::SocketIo, &http::HeaderMap::new(), 4);
    closed.close();
    assert!(!closed.send_event(&EventFrame::new("x".into(), &json!(1))));

    names::record_realtime_gauges(&app, &mut reported);
    let mut all = live;
    merge(&mut all, series(&snapshotter));
    let create = |provider| {
        counter(
            &all,
            names::CALLS,
            &[
                ("service", "notes"),
                ("method", "create"),
                ("provider", provider),
                ("outcome", "ok"),
            ],
        )
    };
    assert_eq!((create("socketio"), create("rest")), (1, 1));
    assert_eq!(
        histogram_len(
            &all,
            names::CALL_DURATION,
            &[("service", "notes"), ("method", "create")]
        ),
        2
    );
    let created = [("service", "notes"), ("event", "created")];
    assert_eq!(counter(&all, names::EVENTS_PUBLISHED, &created), 2);
    assert_eq!(counter(&all, names::EVENT_FRAMES_SENT, &created), 2);
    assert_eq!(
        counter(
            &all,
            names::CONNECTIONS_OPENED,
            &[("transport", "socketio")]
        ),
        1
    );
    assert_eq!(
        counter(
            &all,
            names::CONNECTIONS_CLOSED,
            &[("transport", "socketio"), ("reason", "client")]
        ),
        1
    );
    assert_eq!(
        counter(&all, names::FRAMES_DROPPED, &[("transport", "socketio")]),
        1
    );
    assert_eq!(
        gauge(&all, names::CONNECTIONS, &[("transport", "socketio")]),
        Some(0.0)
    );
    assert_eq!(gauge(&all, names::CHANNELS, &[]), Some(0.0));
    assert_eq!(
        gauge(
            &all,
            names::CHANNEL_CONNECTIONS,
            &[("channel", "everybody")]
        ),
        Some(0.0),
        "a channel gone since the last report drops to zero"
    );
    assert_eq!(gauge(&all, names::CALLS_RUNNING, &[]), Some(0.0));
    server.shutdown().await.expect("stops");
}

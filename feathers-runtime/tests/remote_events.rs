//! Events from elsewhere: `App::emit_remote_event` reaches a service's listeners and
//! streams, app-wide listeners and the channels, marked as remote; local events carry
//! their origin and the call's id.

mod realtime_support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use feathers_runtime::prelude::*;
use feathers_runtime::{ErrorKind, EventOrigin, MemoryService, Method};
use futures_util::{SinkExt, StreamExt};
use realtime_support::next_text;
use tokio_tungstenite::tungstenite::Message;

type Seen = Arc<Mutex<Vec<(String, EventOrigin, Option<Id>)>>>;

fn record_any(app: &App) -> Seen {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    app.on_any_event(move |event| {
        if let Ok(mut log) = log.lock() {
            log.push((event.event.clone(), event.origin, event.id.clone()));
        }
    });
    seen
}

fn entries(seen: &Seen) -> Vec<(String, EventOrigin, Option<Id>)> {
    seen.lock().map(|log| log.clone()).unwrap_or_default()
}

fn remote(path: &str, event: &str, data: Value) -> ServiceEvent {
    ServiceEvent {
        path: Arc::from(path),
        event: event.to_owned(),
        data,
        dispatch: None,
        method: None,
        params: None,
        id: None,
        origin: EventOrigin::Local,
    }
}

fn app() -> App {
    App::builder()
        .service_at("notes", MemoryService::new())
        .build()
        .expect("app builds")
}

#[tokio::test]
async fn local_events_are_local_and_carry_the_call_id() {
    let app = app();
    let seen = record_any(&app);
    let notes = app.service("notes").expect("registered");
    notes
        .create(json!({"text": "a"}), Params::default())
        .await
        .expect("create");
    notes
        .patch(Some(Id::Int(0)), json!({"text": "b"}), Params::default())
        .await
        .expect("patch");
    assert_eq!(
        entries(&seen),
        [
            ("created".to_owned(), EventOrigin::Local, None),
            ("patched".to_owned(), EventOrigin::Local, Some(Id::Int(0))),
        ]
    );
}

#[tokio::test]
async fn a_remote_event_reaches_service_and_app_listeners_and_streams_as_remote() {
    let app = app();
    let seen = record_any(&app);
    let notes = app.service("notes").expect("registered");
    let by_service: Seen = Arc::default();
    let log = by_service.clone();
    notes.on("patched", move |event| {
        if let Ok(mut log) = log.lock() {
            log.push((event.data.to_string(), event.origin, event.id.clone()));
        }
    });
    let mut stream = notes.subscribe("patched");
    let mut event = remote("/notes/", "patched", json!({"id": 7, "text": "x"}));
    event.method = Some(Method::Patch);
    event.id = Some(Id::Int(7));
    app.emit_remote_event(event).expect("delivered");

    assert_eq!(
        entries(&seen),
        [("patched".to_owned(), EventOrigin::Remote, Some(Id::Int(7)))]
    );
    assert_eq!(
        entries(&by_service),
        [(
            r#"{"id":7,"text":"x"}"#.to_owned(),
            EventOrigin::Remote,
            Some(Id::Int(7))
        )]
    );
    let streamed = tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("a streamed event")
        .expect("the stream is open");
    assert!(streamed.is_remote());
    assert_eq!(&*streamed.path, "notes", "the registered path, trimmed");
    assert_eq!(streamed.method, Some(Method::Patch));
}

#[tokio::test]
async fn remote_events_for_unknown_services_or_events_are_refused() {
    let app = app();
    let seen = record_any(&app);
    let missing = app
        .emit_remote_event(remote("nowhere", "created", json!({})))
        .expect_err("no such service");
    assert_eq!(missing.kind(), ErrorKind::NotFound);
    let undeclared = app
        .emit_remote_event(remote("notes", "exploded", json!({})))
        .expect_err("not an event of notes");
    assert_eq!(undeclared.kind(), ErrorKind::BadRequest);
    assert!(entries(&seen).is_empty());
}

#[tokio::test]
async fn channels_send_a_remote_event_to_connections_once_with_its_dispatch() {
    let (app, server) =
        realtime_support::start("notes", MemoryService::new(), |builder| builder).await;
    let url = format!(
        "ws://{}/socket.io/?EIO=4&transport=websocket",
        server.local_addr()
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("websocket connects");
    assert!(next_text(&mut ws).await.starts_with("0{"));
    ws.send(Message::Text("40".into())).await.expect("sends");
    assert!(next_text(&mut ws).await.starts_with("40{"));

    let mut event = remote("notes", "created", json!({"id": 1, "secret": "s"}));
    event.dispatch = Some(json!({"id": 1}));
    app.emit_remote_event(event).expect("delivered");
    app.emit_remote_event(remote("notes", "removed", json!({"id": 2})))
        .expect("delivered");
    assert_eq!(next_text(&mut ws).await, r#"42["notes created",{"id":1}]"#);
    assert_eq!(next_text(&mut ws).await, r#"42["notes removed",{"id":2}]"#);
}

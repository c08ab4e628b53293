//! Channel handles, channel joins racing with leaves, combining channels, and listeners
//! that add or remove listeners while an event is delivered.

use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use feathers_runtime::prelude::*;
use feathers_runtime::realtime::{Channel, Connection, RealtimeTransport};
use feathers_runtime::{MemoryService, Provider};

fn app() -> App {
    App::builder()
        .service_at("notes", MemoryService::new())
        .build()
        .expect("app builds")
}

fn connection() -> Connection {
    Connection::new(Provider::SocketIo, &http::HeaderMap::new(), 64)
}

/// A handle kept across the channel emptying (and being dropped) still joins the
/// channel that publishers see.
#[tokio::test]
async fn a_kept_handle_joins_the_channel_publishers_see() {
    let app = app();
    let room = app.channel("room");
    let first = connection();
    room.join(&first);
    room.leave(&first);
    assert!(
        app.channel_names().is_empty(),
        "the empty channel is dropped"
    );

    let second = connection();
    room.join(&second);
    assert!(app.channel("room").contains(&second));
    assert_eq!(app.realtime_stats().channels.get("room"), Some(&1));

    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    app.publish(move |_, app| {
        let channel = app.channel("room");
        if let Ok(mut log) = log.lock() {
            log.extend(channel.connections().iter().map(Connection::id));
        }
        vec![channel]
    });
    app.service("notes")
        .expect("notes")
        .create(json!({"text": "hi"}), Params::default())
        .await
        .expect("created");
    assert_eq!(*seen.lock().expect("log"), vec![second.id()]);
}

/// Looking at a channel does not create it (a publisher naming per-user channels
/// would otherwise leave one empty channel per name behind).
#[test]
fn looking_at_a_channel_does_not_create_it() {
    let app = app();
    assert!(app.channel("nobody").is_empty());
    assert!(app.channel("nobody").connections().is_empty());
    assert!(app.realtime_stats().channels.is_empty());
}

/// `app.channel(..)` then `.join()` on one thread while another connection joins and
/// leaves the same channel on another: every join lands in the registered channel.
#[test]
fn joins_racing_with_leaves_are_never_lost() {
    const ROUNDS: usize = 2000;
    let app = app();
    let churn = {
        let app = app.clone();
        std::thread::spawn(move || {
            let other = connection();
            for _ in 0..ROUNDS * 2 {
                app.channel("room").join(&other);
                app.channel("room").leave(&other);
            }
        })
    };
    let mut joined = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let c = connection();
        let handle = app.channel("room");
        std::thread::yield_now();
        handle.join(&c);
        joined.push(c);
        // Leave again at once, so the channel keeps emptying under the other thread.
        let last = joined.last().cloned();
        if let Some(last) = last {
            assert!(app.channel("room").contains(&last), "a join was lost");
            app.channel("room").leave(&last);
        }
    }
    churn.join().expect("the churn thread");
    assert!(app.channel_names().is_empty());
}

/// A connection that ends while it is being joined is not left behind in the channel.
#[test]
fn an_ending_connection_is_never_left_in_a_channel() {
    let app = app();
    for _ in 0..500 {
        let c = connection();
        let ending = {
            let app = app.clone();
            let c = c.clone();
            std::thread::spawn(move || app.disconnected(&c))
        };
        app.channel("room").join(&c);
        ending.join().expect("the ending thread");
        assert!(
            !app.channel("room").contains(&c),
            "an ended connection stayed"
        );
    }
    assert!(app.realtime_stats().channels.is_empty());
}

#[test]
fn combine_keeps_the_first_channels_data() {
    let app = app();
    let (one, two) = (connection(), connection());
    app.channel("a").join(&one);
    app.channel("b").join(&two);
    let combined = Channel::combine([
        app.channel("b"),
        app.channel("a").send(json!({"summary": 1})),
        app.channel("b").send(json!({"summary": 2})),
    ]);
    assert_eq!(combined.data(), Some(&json!({"summary": 1})));
    assert_eq!(combined.len(), 2);
}

/// Runs `f` on its own thread; false when it does not finish within 5 s (a deadlock).
fn finishes(f: impl FnOnce() + Send + 'static) -> bool {
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        f();
        let _ = done.send(());
    });
    finished.recv_timeout(Duration::from_secs(5)).is_ok()
}

#[test]
fn a_listener_may_add_and_remove_listeners_of_its_own_service() {
    let app = app();
    let notes = app.service("notes").expect("notes");
    let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let inner = notes.clone();
    let counter = calls.clone();
    notes.on("created", move |_| {
        let counter = counter.clone();
        let id = inner.on("created", move |_| {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        });
        inner.off(id);
        inner.on("removed", |_| {});
    });
    let any = notes.clone();
    app.on_any_event(move |_| {
        let id = any.on_any(|_| {});
        any.off(id);
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let creating = notes.clone();
    assert!(
        finishes(move || {
            runtime.block_on(async {
                creating
                    .create(json!({"n": 1}), Params::default())
                    .await
                    .expect("created");
            });
        }),
        "creating deadlocked"
    );
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 0);
}

#[test]
fn an_app_listener_may_add_and_remove_app_listeners() {
    let app = app();
    let inner = app.clone();
    app.on_any_event(move |_| {
        let id = inner.on_any_event(|_| {});
        inner.off_any_event(id);
    });
    let notes = app.service("notes").expect("notes");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    assert!(
        finishes(move || {
            runtime.block_on(async {
                notes
                    .create(json!({"n": 1}), Params::default())
                    .await
                    .expect("created");
            });
        }),
        "creating deadlocked"
    );
}

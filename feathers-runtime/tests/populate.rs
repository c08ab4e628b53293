//! `populate`: a relation loaded in one query for a whole page, in the public shape
//! of the related service, on every kind of result.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use feathers_runtime::prelude::*;
use futures_util::StreamExt;

/// Counts the `find` calls that reach the users service.
struct CountFinds(Arc<AtomicUsize>);

impl feathers_runtime::Hook for CountFinds {
    async fn run(&self, _ctx: &mut HookContext) -> Result<()> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

async fn app(finds: Arc<AtomicUsize>) -> App {
    let app = App::builder()
        .service_at("users", MemoryService::new())
        .service_hooks(
            "users",
            Hooks::new()
                .before_on("find", CountFinds(finds))
                .after(protect("password")),
        )
        .service_at("messages", MemoryService::new())
        .service_hooks(
            "messages",
            Hooks::new().after(populate("user", "users", "userId")),
        )
        .build()
        .expect("app builds");
    let users = app.service("users").expect("registered");
    for n in 0..5 {
        users
            .create(
                json!({ "email": format!("u{n}@example.com"), "password": "$argon2id$hash" }),
                Params::default(),
            )
            .await
            .expect("a user");
    }
    let messages = app.service("messages").expect("registered");
    for n in 0..50 {
        let author = if n == 49 { Value::Null } else { json!(n % 5) };
        messages
            .create(
                json!({ "text": format!("m{n}"), "userId": author }),
                Params::default(),
            )
            .await
            .expect("a message");
    }
    app
}

#[tokio::test]
async fn a_page_of_fifty_messages_loads_its_authors_with_one_query() {
    let finds = Arc::new(AtomicUsize::new(0));
    let app = app(finds.clone()).await;
    finds.store(0, Ordering::SeqCst);
    let found = app
        .service("messages")
        .expect("registered")
        .find(Params::default())
        .await
        .expect("found");
    let messages = found.as_array().expect("a list");
    assert_eq!(messages.len(), 50);
    assert_eq!(
        finds.load(Ordering::SeqCst),
        1,
        "one find for fifty messages"
    );
    for message in &messages[..49] {
        let author = &message["user"];
        assert_eq!(author["id"], message["userId"], "{message}");
        assert!(author["email"]
            .as_str()
            .is_some_and(|e| e.ends_with("@example.com")));
    }
    assert_eq!(messages[49]["user"], Value::Null, "no author, no user");
}

#[tokio::test]
async fn the_author_never_carries_the_fields_its_service_hides() {
    let finds = Arc::new(AtomicUsize::new(0));
    let app = app(finds).await;
    let messages = app.service("messages").expect("registered");
    // An internal call (no provider): the users service's protect would not strip the
    // hash from its own result, but the populated author is given its public shape.
    let one = messages.get(0, Params::default()).await.expect("a message");
    assert!(one["user"].get("password").is_none(), "{one}");
    // An event carries the populated record too, without the hash.
    let mut events = messages.subscribe("created");
    messages
        .create(json!({ "text": "evented", "userId": 1 }), Params::default())
        .await
        .expect("created");
    let event = events.next().await.expect("the created event");
    assert_eq!(event.data["user"]["email"], "u1@example.com");
    assert!(
        event.data["user"].get("password").is_none(),
        "{}",
        event.data
    );
}

#[tokio::test]
async fn rest_answers_are_populated() {
    let finds = Arc::new(AtomicUsize::new(0));
    let app = app(finds).await;
    let server = app.listen("127.0.0.1:0").await.expect("listens");
    let url = format!("http://{}/messages?$limit=3&userId=2", server.local_addr());
    let body = reqwest_free_get(&url).await;
    let page: Value = serde_json::from_str(&body).expect("JSON");
    let messages = page.as_array().expect("an unpaginated list");
    assert_eq!(messages.len(), 3);
    assert!(
        messages
            .iter()
            .all(|m| m["user"]["email"] == "u2@example.com"),
        "{page}"
    );
}

/// A GET over a plain TCP connection, as the other tests' clients do.
async fn reqwest_free_get(url: &str) -> String {
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_once('/').expect("a path");
    let (status, body) = engine_client::http(
        host.parse().expect("an address"),
        "GET",
        &format!("/{path}"),
        "",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

mod engine_client;

//! `owner_only`: a field shown by context, to the record's owner alone; never through
//! events, queries or a populated relation.

mod rest_support;

use feathers_runtime::prelude::*;
use futures_util::StreamExt;
use rest_support::{send, Reply};

/// Logs the caller in as the user named by the `x-user` header (a test's stand-in for
/// `authenticate`).
async fn user_from_header(ctx: &mut HookContext) -> Result<()> {
    let id = ctx
        .params
        .headers
        .get("x-user")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<i64>().ok());
    ctx.params.user = id.map(|id| json!({ "id": id }));
    Ok(())
}

async fn app() -> App {
    let app = App::builder()
        .hooks(Hooks::new().before(user_from_header))
        .service_at("users", MemoryService::new())
        .service_hooks("users", Hooks::new().after(owner_only("email", "id")))
        .service_at("notes", MemoryService::new())
        .service_hooks(
            "notes",
            Hooks::new().after(populate("author", "users", "userId")),
        )
        .build()
        .expect("app builds");
    let users = app.service("users").expect("registered");
    for name in ["ada", "bob"] {
        users
            .create(
                json!({ "name": name, "email": format!("{name}@example.com") }),
                Params::default(),
            )
            .await
            .expect("a user");
    }
    app
}

/// A request from the user `user`, with a JSON body when one is given.
async fn as_user(app: &App, method: &str, uri: &str, user: i64, body: Option<&str>) -> Reply {
    let mut request = http::Request::builder()
        .method(method)
        .uri(uri)
        .header("accept", "application/json")
        .header("x-user", user.to_string());
    if body.is_some() {
        request = request.header("content-type", "application/json");
    }
    let body = axum::body::Body::from(body.unwrap_or_default().to_owned());
    send(app, request.body(body).expect("a valid request")).await
}

async fn get_as(app: &App, user: i64, uri: &str) -> Reply {
    as_user(app, "GET", uri, user, None).await
}

#[tokio::test]
async fn each_user_sees_their_own_email_and_nobody_elses() {
    let app = app().await;
    let reply = get_as(&app, 0, "/users").await;
    assert_eq!(reply.status, 200, "{}", reply.message());
    let users = reply.json();
    assert_eq!(users[0]["email"], "ada@example.com", "{users}");
    assert!(users[1].get("email").is_none(), "{users}");
    assert_eq!(users[1]["name"], "bob");
    let bob = get_as(&app, 1, "/users/0").await.json();
    assert!(bob.get("email").is_none(), "{bob}");
    // Calls from Rust see everything.
    let all = app
        .service("users")
        .expect("registered")
        .find(Params::default())
        .await
        .expect("found");
    assert_eq!(all[1]["email"], "bob@example.com");
}

#[tokio::test]
async fn the_field_cannot_be_probed_through_a_query() {
    let app = app().await;
    let reply = get_as(&app, 0, "/users?email[$like]=bob%25").await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.message(),
        "Invalid query: the field 'email' can not be queried"
    );
}

#[tokio::test]
async fn events_never_carry_the_field_even_when_the_owner_made_the_change() {
    let app = app().await;
    let users = app.service("users").expect("registered");
    let mut patched = users.subscribe("patched");
    let reply = as_user(&app, "PATCH", "/users/0", 0, Some(r#"{"name":"Ada"}"#)).await;
    assert_eq!(reply.status, 200, "{}", reply.message());
    assert_eq!(
        reply.json()["email"],
        "ada@example.com",
        "the owner's own answer has it"
    );
    let event = patched.next().await.expect("the patched event");
    let sent = event.dispatch.clone().expect("a client-safe event");
    assert_eq!(sent["name"], "Ada");
    assert!(sent.get("email").is_none(), "{sent}");
}

#[tokio::test]
async fn a_populated_owner_leaves_the_field_out() {
    let app = app().await;
    app.service("notes")
        .expect("registered")
        .create(json!({ "text": "hi", "userId": 0 }), Params::default())
        .await
        .expect("a note");
    let notes = get_as(&app, 0, "/notes").await.json();
    assert_eq!(notes[0]["author"]["name"], "ada", "{notes}");
    assert!(notes[0]["author"].get("email").is_none(), "{notes}");
}

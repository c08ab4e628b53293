//! A field hidden from answers (`protect`) is closed to clients' queries, on every
//! transport and method: the attacks that read a password hash through the query.

mod engine_client;
mod rest_support;

use engine_client::{connected_ws, next_text, send};
use feathers_runtime::prelude::*;
use rest_support::call;

fn app() -> App {
    App::builder()
        .service_at("users", MemoryService::new())
        .service_hooks("users", Hooks::new().after(protect("password")))
        .build()
        .expect("app builds")
}

async fn with_one_user() -> App {
    let app = app();
    app.service("users")
        .expect("registered")
        .create(
            json!({ "email": "alice@example.com", "password": "$argon2id$v=19$m=19456,t=2,p=1$K" }),
            Params::default(),
        )
        .await
        .expect("created");
    app
}

#[tokio::test]
async fn rest_queries_that_reach_a_protected_field_are_refused() {
    let app = with_one_user().await;
    let probes = [
        ("/users?password[$like]=%24argon2id%25", "queried"),
        ("/users?password[$gt]=%24a", "queried"),
        ("/users?password=x", "queried"),
        ("/users?$or[0][email]=a&$or[1][password][$ne]=x", "queried"),
        ("/users?$and[0][$or][0][password]=x", "queried"),
        ("/users?$sort[password]=1", "sorted by"),
        ("/users?$select[]=email&$select[]=password", "selected"),
        ("/users/0?password[$like]=%24argon2id%25", "queried"),
    ];
    for (uri, verb) in probes {
        let reply = call(&app, "GET", uri).await;
        assert_eq!(reply.status, 400, "{uri}: {}", reply.message());
        assert_eq!(
            reply.message(),
            format!("Invalid query: the field 'password' can not be {verb}"),
            "{uri}"
        );
        assert_eq!(reply.json()["data"]["field"], "password", "{uri}");
    }
    // Mutations carry queries too: a patch or remove of every record whose hash matches.
    let reply = rest_support::call_json(
        &app,
        "PATCH",
        "/users?password[$like]=%24argon2id%25",
        r#"{"email":"x@example.com"}"#,
    )
    .await;
    assert_eq!(reply.status, 400);
    let reply = call(&app, "DELETE", "/users?password[$like]=%24argon2id%25").await;
    assert_eq!(reply.status, 400);
}

#[tokio::test]
async fn other_fields_are_queried_as_before_and_the_field_stays_hidden() {
    let app = with_one_user().await;
    let reply = call(&app, "GET", "/users?email=alice@example.com&$sort[email]=1").await;
    assert_eq!(reply.status, 200);
    let found = reply.json();
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
    assert_eq!(found[0]["email"], "alice@example.com");
    assert!(found[0].get("password").is_none(), "{found}");
    // A neighbour whose name starts the same is not hidden.
    assert_eq!(call(&app, "GET", "/users?passwordHint=x").await.status, 200);
}

#[tokio::test]
async fn the_server_may_still_query_the_field() {
    let app = with_one_user().await;
    let params = Params {
        query: json!({ "password": { "$ne": null } })
            .as_object()
            .cloned()
            .unwrap_or_default(),
        ..Params::default()
    };
    let found = app
        .service("users")
        .expect("registered")
        .find(params)
        .await
        .expect("an internal call may query every field");
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
}

#[tokio::test]
async fn socket_queries_that_reach_a_protected_field_are_refused() {
    let app = with_one_user().await;
    let server = app.listen("127.0.0.1:0").await.expect("listens");
    let mut ws = connected_ws(server.local_addr()).await;
    send(
        &mut ws,
        r#"421["find","users",{"password":{"$like":"$argon2id%"}}]"#,
    )
    .await;
    let ack = next_text(&mut ws).await;
    assert!(ack.starts_with("431["), "{ack}");
    assert!(
        ack.contains(r#""message":"Invalid query: the field 'password' can not be queried""#),
        "{ack}"
    );
    assert!(ack.contains(r#""code":400"#), "{ack}");
    send(
        &mut ws,
        r#"422["find","users",{"email":"alice@example.com"}]"#,
    )
    .await;
    let ack = next_text(&mut ws).await;
    assert!(ack.starts_with("432[null,[{"), "{ack}");
    assert!(!ack.contains("argon2id"), "{ack}");
}

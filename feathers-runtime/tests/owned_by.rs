//! `owned_by`: records belong to the user a field names; clients change and remove
//! only their own, one at a time or many, and cannot forge or give away ownership.

mod rest_support;

use axum::body::Body;
use feathers_runtime::adapter::AdapterBuilder;
use feathers_runtime::common_hooks::OwnedBy;
use feathers_runtime::prelude::*;
use http::Request;
use rest_support::{send, Reply};

/// Stands in for a login: the user whose id is in `x-user`.
async fn as_user(ctx: &mut HookContext) -> Result<()> {
    let id = ctx
        .params
        .headers
        .get("x-user")
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.parse::<u64>().ok());
    if let Some(id) = id {
        ctx.params.user = Some(json!({ "id": id }));
    }
    Ok(())
}

fn app(hook: OwnedBy) -> App {
    App::builder()
        .service_at("notes", MemoryService::new().multi(true))
        .service_hooks("notes", Hooks::new().before(as_user).before(hook))
        .build()
        .expect("app builds")
}

async fn call(app: &App, user: Option<u64>, method: &str, uri: &str, body: Option<Value>) -> Reply {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(user) = user {
        request = request.header("x-user", user.to_string());
    }
    let body = match body {
        Some(body) => {
            request = request.header("content-type", "application/json");
            Body::from(body.to_string())
        }
        None => Body::empty(),
    };
    send(app, request.body(body).expect("a valid request")).await
}

/// Notes 0 and 1 by user 1, note 2 by user 2, created through REST.
async fn three_notes(app: &App) {
    for (user, text) in [(1, "a"), (1, "b"), (2, "c")] {
        let reply = call(
            app,
            Some(user),
            "POST",
            "/notes",
            Some(json!({ "text": text, "userId": 99 })),
        )
        .await;
        assert_eq!(reply.status, 201, "{}", reply.message());
        assert_eq!(
            reply.json()["userId"],
            user,
            "the author is the caller, not what was sent"
        );
    }
}

#[tokio::test]
async fn another_users_record_is_not_found_for_every_change() {
    let app = app(owned_by("userId"));
    three_notes(&app).await;
    for (method, body) in [
        ("PATCH", Some(json!({ "text": "x" }))),
        ("PUT", Some(json!({ "text": "x" }))),
        ("DELETE", None),
    ] {
        let reply = call(&app, Some(2), method, "/notes/0", body).await;
        assert_eq!(reply.status, 404, "{method}: {}", reply.message());
    }
    let kept = call(&app, Some(1), "GET", "/notes/0", None).await.json();
    assert_eq!(kept["text"], "a", "{kept}");
}

#[tokio::test]
async fn many_at_once_touches_only_the_callers_records() {
    let app = app(owned_by("userId"));
    three_notes(&app).await;
    let patched = call(
        &app,
        Some(1),
        "PATCH",
        "/notes",
        Some(json!({ "text": "mine" })),
    )
    .await;
    assert_eq!(patched.status, 200);
    let patched = patched.json();
    assert_eq!(patched.as_array().map(Vec::len), Some(2), "{patched}");
    let removed = call(&app, Some(2), "DELETE", "/notes?text=mine", None)
        .await
        .json();
    assert_eq!(removed, json!([]), "user 2 owns none of them");
    let all = call(&app, Some(1), "GET", "/notes?$sort[id]=1", None)
        .await
        .json();
    let texts: Vec<&str> = all
        .as_array()
        .map(|notes| {
            notes
                .iter()
                .filter_map(|note| note["text"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(texts, ["mine", "mine", "c"]);
}

#[tokio::test]
async fn ownership_cannot_be_given_away_or_erased() {
    let app = app(owned_by("userId"));
    three_notes(&app).await;
    let patched = call(
        &app,
        Some(1),
        "PATCH",
        "/notes/0",
        Some(json!({ "userId": 2, "text": "p" })),
    )
    .await;
    assert_eq!(patched.status, 200);
    assert_eq!(patched.json()["userId"], 1);
    let replaced = call(
        &app,
        Some(1),
        "PUT",
        "/notes/1",
        Some(json!({ "text": "r" })),
    )
    .await;
    assert_eq!(replaced.status, 200);
    assert_eq!(
        replaced.json()["userId"],
        1,
        "a replacement keeps its owner"
    );
}

#[tokio::test]
async fn reads_are_open_unless_scoped_and_clients_need_a_user() {
    let open = app(owned_by("userId"));
    three_notes(&open).await;
    let all = call(&open, Some(2), "GET", "/notes", None).await.json();
    assert_eq!(all.as_array().map(Vec::len), Some(3));
    assert_eq!(call(&open, None, "GET", "/notes", None).await.status, 401);

    let scoped = app(owned_by("userId").reads_too());
    three_notes(&scoped).await;
    let own = call(&scoped, Some(2), "GET", "/notes", None).await.json();
    assert_eq!(own.as_array().map(Vec::len), Some(1), "{own}");
    assert_eq!(
        call(&scoped, Some(2), "GET", "/notes/0", None).await.status,
        404
    );
}

#[tokio::test]
async fn calls_from_rust_are_not_scoped() {
    let app = app(owned_by("userId"));
    three_notes(&app).await;
    let notes = app.service("notes").expect("registered");
    notes
        .patch(
            Some(Id::Int(2)),
            json!({ "text": "moderated" }),
            Params::default(),
        )
        .await
        .expect("the server may change any record");
    notes
        .remove(Some(Id::Int(0)), Params::default())
        .await
        .expect("and remove any");
}

//! Resolvers: computed fields on results (`#[resolve]`), fields the server sets
//! (`created_at`, `updated_at`, `server_field`), and the data of delegated methods
//! typed with `data = ..`.

mod rest_support;

use feathers_runtime::prelude::*;
use futures_util::StreamExt;
use rest_support::{call as call_empty, call_json};

/// A note as clients see it: `words` is computed, never stored.
#[derive(Serialize, Deserialize, JsonSchema)]
struct Note {
    id: u64,
    text: String,
    #[serde(rename = "createdAt", default)]
    created_at: Option<i64>,
    #[serde(default)]
    words: usize,
}

#[derive(Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)] // read as a schema only: the adapter stores the data
struct NewNote {
    #[schemars(length(min = 1, max = 100))]
    text: String,
}

#[derive(Default)]
struct Notes {
    store: MemoryService,
}

fn count_words(note: &mut Note, _ctx: &HookContext) {
    note.words = note.text.split_whitespace().count();
}

#[service("notes", register = false, delegate = store, data = NewNote, result = Note)]
#[before(created_at("createdAt"))]
#[resolve(count_words)]
impl Notes {}

fn notes_app() -> App {
    App::builder()
        .service(Notes::default())
        .build()
        .expect("app builds")
}

/// The untyped service the server-field tests use: whatever a client sends is stored,
/// but for the fields the server sets.
fn stamped_app() -> App {
    App::builder()
        .service_at("posts", MemoryService::new())
        .service_hooks(
            "posts",
            Hooks::new()
                .before(created_at("createdAt"))
                .before(updated_at("updatedAt"))
                .before(server_field("origin", |ctx| {
                    json!(if ctx.params.is_external() {
                        "client"
                    } else {
                        "server"
                    })
                })),
        )
        .build()
        .expect("app builds")
}

async fn call(app: &App, method: &str, uri: &str, body: Option<Value>) -> (u16, Value) {
    let reply = match body {
        Some(body) => call_json(app, method, uri, &body.to_string()).await,
        None => call_empty(app, method, uri).await,
    };
    (reply.status.as_u16(), reply.json())
}

#[tokio::test]
async fn a_computed_field_reaches_answers_lists_and_events() {
    let app = notes_app();
    let mut created = app
        .service("notes")
        .expect("registered")
        .subscribe("created");
    let (status, note) = call(
        &app,
        "POST",
        "/notes",
        Some(json!({ "text": "three little words" })),
    )
    .await;
    assert_eq!(status, 201, "{note}");
    assert_eq!(note["words"], 3, "{note}");
    let event = created.next().await.expect("the created event");
    let sent = event.dispatch.as_ref().unwrap_or(&event.data);
    assert_eq!(sent["words"], 3, "{sent}");
    let (_, all) = call(&app, "GET", "/notes", None).await;
    assert_eq!(all[0]["words"], 3, "{all}");
    let (_, one) = call(&app, "GET", "/notes/0", None).await;
    assert_eq!(one["words"], 3, "{one}");
}

#[tokio::test]
async fn delegated_methods_check_their_data_against_the_declared_types() {
    let app = notes_app();
    let (status, error) = call(&app, "POST", "/notes", Some(json!({ "txt": "typo" }))).await;
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["message"], "validation failed");
    let (_, note) = call(&app, "POST", "/notes", Some(json!({ "text": "a note" }))).await;
    // A patch is held to the same rules, with nothing required.
    let (status, error) = call(
        &app,
        "PATCH",
        "/notes/0",
        Some(json!({ "text": "x".repeat(101) })),
    )
    .await;
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["data"][0]["instancePath"], "/text", "{error}");
    let (status, patched) = call(&app, "PATCH", "/notes/0", Some(json!({}))).await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["text"], note["text"]);
    // The server's own field is no part of what a client may send.
    let (status, _) = call(
        &app,
        "PUT",
        "/notes/0",
        Some(json!({ "text": "b", "createdAt": 1 })),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn the_server_sets_its_fields_and_a_client_cannot_overwrite_them() {
    let app = stamped_app();
    let (status, post) = call(
        &app,
        "POST",
        "/posts",
        Some(json!({ "text": "hi", "createdAt": 5, "updatedAt": 5, "origin": "forged" })),
    )
    .await;
    assert_eq!(status, 201, "{post}");
    let created_at = post["createdAt"].as_i64().expect("a time");
    assert!(created_at > 1_700_000_000_000, "{post}");
    assert_eq!(post["updatedAt"], post["createdAt"]);
    assert_eq!(post["origin"], "client");

    // A PUT replaces the record but keeps when it was created.
    let (status, replaced) = call(
        &app,
        "PUT",
        "/posts/0",
        Some(json!({ "text": "hello", "createdAt": 7, "origin": "forged" })),
    )
    .await;
    assert_eq!(status, 200, "{replaced}");
    assert_eq!(replaced["text"], "hello");
    assert_eq!(replaced["createdAt"], created_at, "{replaced}");
    assert_eq!(replaced["origin"], "client", "{replaced}");
    let updated_at = replaced["updatedAt"].as_i64().expect("a time");
    assert!(updated_at >= created_at, "{replaced}");

    // A patch cannot change it either.
    let (status, patched) = call(
        &app,
        "PATCH",
        "/posts/0",
        Some(json!({ "createdAt": 9, "origin": "forged", "text": "bye" })),
    )
    .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["createdAt"], created_at, "{patched}");
    assert_eq!(patched["origin"], "client", "{patched}");
    assert_eq!(patched["text"], "bye");
    assert!(patched["updatedAt"].as_i64().expect("a time") >= updated_at);

    // An update of a record that does not exist is a 404, not a record made up.
    let (status, _) = call(&app, "PUT", "/posts/99", Some(json!({ "text": "x" }))).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn calls_from_rust_keep_what_they_send_and_get_the_rest_filled_in() {
    let app = stamped_app();
    let posts = app.service("posts").expect("registered");
    let imported = posts
        .create(
            json!({ "text": "old", "createdAt": 5, "origin": "import" }),
            Params::default(),
        )
        .await
        .expect("created");
    assert_eq!(imported["createdAt"], 5);
    assert_eq!(imported["origin"], "import");
    assert!(imported["updatedAt"].as_i64().is_some_and(|at| at > 5));
    let replaced = posts
        .update(Id::from(0), json!({ "text": "new" }), Params::default())
        .await
        .expect("updated");
    assert_eq!(replaced["createdAt"], 5, "kept: {replaced}");
    assert_eq!(replaced["origin"], "import", "kept: {replaced}");
}

#[tokio::test]
async fn a_record_that_does_not_read_as_the_resolved_type_is_a_500_that_tells_nothing() {
    let app = App::builder()
        .service_at("notes", MemoryService::new())
        .service_hooks("notes", Hooks::new().after(resolve(count_words)))
        .build()
        .expect("app builds");
    app.service("notes")
        .expect("registered")
        .create(json!({ "text": 42 }), Params::default())
        .await
        .expect_err("the resolver refuses a text that is a number");
    let (status, error) = call(&app, "GET", "/notes", None).await;
    assert_eq!(status, 500, "{error}");
    assert_eq!(error["message"], "The record could not be resolved");
}

/// A service whose `create` is written in the block with untyped data: `data = ..`
/// still checks it.
#[derive(Default)]
struct Untyped {
    store: MemoryService,
}

#[service("untyped", register = false, delegate = store, data = NewNote)]
impl Untyped {
    async fn create(&self, data: Value, params: &Params) -> Result<Value> {
        self.store.create(data, params).await
    }
}

#[tokio::test]
async fn a_method_with_untyped_data_keeps_the_declared_schema() {
    let app = App::builder()
        .service(Untyped::default())
        .build()
        .expect("app builds");
    let (status, error) = call(&app, "POST", "/untyped", Some(json!({ "txt": "typo" }))).await;
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["message"], "validation failed");
    let (status, _) = call(&app, "POST", "/untyped", Some(json!({ "text": "fine" }))).await;
    assert_eq!(status, 201);
}

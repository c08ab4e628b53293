//! Schemas from the services' Rust types: data checked on every path with Feathers 5's
//! error, queries held to the record's public fields, and the schemas as JSON Schema.

mod engine_client;
mod rest_support;

use engine_client::{connected_ws, next_text, send};
use feathers_runtime::prelude::*;
use rest_support::{call, call_json};

/// A note as the server answers it: `id`, `owner` and `secret` are never read from a
/// client (`skip_deserializing`), the text has rules.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
struct Note {
    #[serde(skip_deserializing)]
    id: u64,
    #[schemars(length(min = 1, max = 20))]
    text: String,
    #[schemars(range(min = 1, max = 5))]
    stars: Option<u8>,
    #[serde(skip_deserializing)]
    secret: String,
}

/// What a client sends for a note: only its text and stars, nothing else.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NewNote {
    #[schemars(length(min = 1, max = 20))]
    text: String,
    #[schemars(range(min = 1, max = 5))]
    stars: Option<u8>,
}

struct Notes {
    store: DynAdapter,
}

#[service("notes", register = false, delegate = store, result = Note)]
#[after(protect("secret"))]
impl Notes {
    async fn create(&self, data: NewNote, params: &Params) -> Result<Value> {
        let record = json!({ "text": data.text, "stars": data.stars, "secret": "s3cret" });
        self.store.create(record, params).await
    }

    async fn patch(&self, id: Id, data: Partial<NewNote>, params: &Params) -> Result<Value> {
        self.store.patch(Some(id), data.into_value(), params).await
    }

    async fn update(&self, id: Id, data: NewNote, params: &Params) -> Result<Value> {
        let record = json!({ "text": data.text, "stars": data.stars, "secret": "s3cret" });
        self.store.update(id, record, params).await
    }
}

fn app() -> App {
    App::builder()
        .service(Notes {
            store: DynAdapter::new(MemoryService::new()),
        })
        .build()
        .expect("app builds")
}

fn problems(reply: &rest_support::Reply) -> Vec<(String, String)> {
    let body = reply.json();
    body["data"]
        .as_array()
        .expect("data lists the problems")
        .iter()
        .map(|p| {
            (
                p["instancePath"].as_str().unwrap_or_default().to_owned(),
                p["keyword"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn invalid_data_is_refused_on_create_update_and_patch_with_ajvs_errors() {
    let app = app();
    let reply = call_json(&app, "POST", "/notes", r#"{"text":"","stars":9}"#).await;
    assert_eq!(reply.status, 400, "{}", reply.message());
    let body = reply.json();
    assert_eq!(body["name"], "BadRequest");
    assert_eq!(body["message"], "validation failed");
    assert_eq!(body["className"], "bad-request");
    assert_eq!(
        body["data"][1],
        json!({
            "instancePath": "/stars", "schemaPath": "#/properties/stars/maximum",
            "keyword": "maximum", "params": { "comparison": "<=", "limit": 5 },
            "message": "must be <= 5",
        })
    );
    assert_eq!(body["data"][0]["instancePath"], "/text");
    assert_eq!(
        body["data"][0]["message"],
        "must NOT have fewer than 1 characters"
    );

    let created = call_json(&app, "POST", "/notes", r#"{"text":"fine","stars":4}"#).await;
    assert_eq!(created.status, 201, "{}", created.message());
    let id = created.json()["id"].clone();

    let long = "x".repeat(900_000);
    let reply = call_json(
        &app,
        "PATCH",
        &format!("/notes/{id}"),
        &format!(r#"{{"text":"{long}"}}"#),
    )
    .await;
    assert_eq!(reply.status, 400, "{}", reply.message());
    assert_eq!(
        problems(&reply),
        [("/text".to_owned(), "maxLength".to_owned())]
    );
    let reply = call_json(&app, "PUT", &format!("/notes/{id}"), r#"{"stars":2}"#).await;
    assert_eq!(reply.status, 400);
    assert_eq!(problems(&reply), [(String::new(), "required".to_owned())]);

    // A patch sends only what changes; the rules still hold for what it sends.
    let reply = call_json(&app, "PATCH", &format!("/notes/{id}"), r#"{"stars":5}"#).await;
    assert_eq!(reply.status, 200, "{}", reply.message());
    assert_eq!(reply.json()["text"], "fine");
    assert_eq!(reply.json()["stars"], 5);
}

#[tokio::test]
async fn a_client_cannot_set_fields_the_server_sets() {
    let app = app();
    let reply = call_json(
        &app,
        "POST",
        "/notes",
        r#"{"text":"mine","secret":"forged"}"#,
    )
    .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json()["data"][0]["params"],
        json!({ "additionalProperty": "secret" })
    );
    let reply = call_json(&app, "PATCH", "/notes/0", r#"{"id":7}"#).await;
    assert_eq!(reply.status, 400, "{}", reply.message());
    assert_eq!(
        reply.json()["data"][0]["params"],
        json!({ "additionalProperty": "id" })
    );
}

#[tokio::test]
async fn an_array_is_checked_record_by_record() {
    let app = app();
    let reply = call_json(&app, "POST", "/notes", r#"[{"text":"a"},{"text":""}]"#).await;
    assert_eq!(reply.status, 400, "{}", reply.message());
    assert_eq!(
        problems(&reply),
        [("/1/text".to_owned(), "minLength".to_owned())]
    );
}

#[tokio::test]
async fn calls_from_rust_are_checked_as_well() {
    let app = app();
    let notes = app.service("notes").expect("registered");
    let err = notes
        .create(json!({ "text": "" }), Params::default())
        .await
        .expect_err("invalid data");
    assert_eq!(err.code(), 400);
    assert_eq!(err.message(), "validation failed");
}

#[tokio::test]
async fn queries_name_only_the_public_fields_of_the_record() {
    let app = app();
    let created = call_json(&app, "POST", "/notes", r#"{"text":"findable","stars":3}"#).await;
    assert_eq!(created.status, 201);
    assert!(
        created.json().get("secret").is_none(),
        "protected: {}",
        created.json()
    );
    for (uri, field, verb) in [
        ("/notes?secret[$like]=s%25", "secret", "queried"),
        ("/notes?$sort[secret]=1", "secret", "sorted by"),
        ("/notes?nothing=1", "nothing", "queried"),
        (
            "/notes?$or[0][text]=a&$or[1][bogus][$gt]=1",
            "bogus",
            "queried",
        ),
        ("/notes?$select[]=text&$select[]=owner", "owner", "selected"),
    ] {
        let reply = call(&app, "GET", uri).await;
        assert_eq!(reply.status, 400, "{uri}: {}", reply.message());
        assert_eq!(
            reply.message(),
            format!("Invalid query: the field '{field}' can not be {verb}"),
            "{uri}"
        );
    }
    let reply = call(
        &app,
        "GET",
        "/notes?text=findable&stars[$gte]=2&$sort[id]=-1",
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.message());
    assert_eq!(reply.json().as_array().map(Vec::len), Some(1));

    // Calls from Rust may query every field.
    let found = app
        .service("notes")
        .expect("registered")
        .find(Params::with_query(
            json!({ "secret": "s3cret" })
                .as_object()
                .cloned()
                .unwrap_or_default(),
        ))
        .await
        .expect("an internal query on any field");
    assert_eq!(found.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn socket_calls_are_checked_as_rest_calls_are() {
    let app = app();
    let server = app.listen("127.0.0.1:0").await.expect("listens");
    let mut ws = connected_ws(server.local_addr()).await;
    send(&mut ws, r#"421["create","notes",{"text":"","stars":1}]"#).await;
    let ack = next_text(&mut ws).await;
    assert!(ack.starts_with("431[{"), "{ack}");
    assert!(ack.contains(r#""message":"validation failed""#), "{ack}");
    assert!(ack.contains(r#""instancePath":"/text""#), "{ack}");
    send(&mut ws, r#"422["find","notes",{"secret":"s3cret"}]"#).await;
    let ack = next_text(&mut ws).await;
    assert!(
        ack.contains("the field 'secret' can not be queried"),
        "{ack}"
    );
}

#[tokio::test]
async fn the_app_describes_each_service_in_json_schema() {
    let app = app();
    let schemas = app.schemas();
    let notes = &schemas["notes"];
    assert_eq!(
        notes["create"]["data"]["properties"]["text"]["maxLength"],
        20
    );
    assert_eq!(notes["create"]["data"]["additionalProperties"], false);
    assert!(
        notes["patch"]["data"].get("required").is_none(),
        "{:#}",
        notes["patch"]
    );
    assert_eq!(notes["update"]["data"]["required"], json!(["text"]));
    let result = &notes["result"]["properties"];
    assert!(result.get("id").is_some() && result.get("text").is_some());
    assert!(result.get("secret").is_none(), "hidden: {result:#}");
    let query = &notes["query"]["properties"];
    assert!(query.get("text").is_some() && query.get("$sort").is_some());
    assert!(query.get("secret").is_none());
}

#[derive(Deserialize, JsonSchema)]
#[allow(dead_code)]
struct Coded {
    #[schemars(regex(pattern = "(unclosed"))]
    code: String,
}

struct Codes;

#[service("codes", register = false)]
impl Codes {
    async fn create(&self, data: Coded) -> Result<Value> {
        Ok(json!({ "code": data.code }))
    }
}

#[test]
fn an_app_whose_schema_does_not_compile_refuses_to_start() {
    let err = App::builder()
        .service(Codes)
        .build()
        .expect_err("a broken schema");
    assert!(
        err.message()
            .starts_with("the schema of 'create' data on service 'codes' does not compile"),
        "{}",
        err.message()
    );
}

#[test]
fn a_hook_naming_a_field_the_records_do_not_have_stops_the_app() {
    let misspelt = [
        Hooks::new().before(owned_by("ownerId")),
        Hooks::new().after(populate("author", "notes", "authorId")),
        Hooks::new().after(owner_only("secret", "owner")),
    ];
    for hooks in misspelt {
        let err = App::builder()
            .service(Notes {
                store: DynAdapter::new(MemoryService::new()),
            })
            .service_hooks("notes", hooks)
            .build()
            .expect_err("a field Note does not have");
        assert!(
            err.message()
                .starts_with("a hook on service 'notes' names the field '")
                && err.message().ends_with(
                    "which its records do not have (their fields: id, text, stars, secret)"
                ),
            "{}",
            err.message()
        );
    }
    // Fields the records have are fine, and app hooks, which run for services of every
    // shape, are not checked.
    App::builder()
        .hooks(Hooks::new().after(populate("author", "notes", "authorId")))
        .service(Notes {
            store: DynAdapter::new(MemoryService::new()),
        })
        .service_hooks("notes", Hooks::new().after(owner_only("secret", "id")))
        .build()
        .expect("the fields exist");
}

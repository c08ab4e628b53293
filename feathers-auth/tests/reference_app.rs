//! The reference authentication app, written with the public API as a user would:
//! `users` (sign-up open, JWT for the rest, hashed and hidden passwords) and `notes`
//! (behind a login, each user's own, read and written by its owner only), logins with
//! the local and jwt strategies. The app is the part between the two rules below; the
//! tests after it attack it.

mod support;

use feathers_auth::{authenticate, hash_password, AuthBuilderExt, AuthConfig};
use feathers_runtime::prelude::*;
use support::{login, rest, token_of, SECRET};

// ---- the app ----------------------------------------------------------------------

#[derive(Serialize, Deserialize, JsonSchema)]
struct User {
    id: u64,
    email: String,
}

#[derive(Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)] // read as a schema only: the adapter stores the data
struct Credentials {
    #[schemars(email)]
    email: String,
    #[schemars(length(min = 8))]
    password: String,
}

#[derive(Default)]
struct Users {
    store: MemoryService,
}

#[service("users", register = false, delegate = store, data = Credentials, result = User)]
#[before(on = ["find", "get", "update", "patch", "remove"], authenticate("jwt"))]
#[before(on = ["create", "update", "patch"], hash_password("password"))]
#[after(protect("password"))]
impl Users {}

#[derive(Serialize, Deserialize, JsonSchema)]
struct Note {
    id: u64,
    text: String,
    #[serde(rename = "userId")]
    user_id: u64,
}

#[derive(Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)] // read as a schema only
struct NewNote {
    #[schemars(length(min = 1, max = 500))]
    text: String,
}

#[derive(Default)]
struct Notes {
    store: MemoryService,
}

#[service("notes", register = false, delegate = store, data = NewNote, result = Note)]
#[before(authenticate("jwt"), owned_by("userId").reads_too())]
impl Notes {}

fn app() -> Result<App> {
    App::builder()
        .service(Users::default())
        .service(Notes::default())
        .authentication(AuthConfig::new(SECRET))?
        .build()
}

// ---- the attacks ------------------------------------------------------------------

async fn sign_up_and_log_in(app: &App, email: &str) -> (String, Value) {
    let (status, user) = rest(
        app,
        "POST",
        "/users",
        &[],
        Some(json!({ "email": email, "password": "a long secret" })),
    )
    .await;
    assert_eq!(status, 201, "{user}");
    let bearer = format!(
        "Bearer {}",
        token_of(&login(app, email, "a long secret").await)
    );
    (bearer, user)
}

#[tokio::test]
async fn each_user_reads_and_writes_only_their_own_notes() {
    let app = app().expect("the app builds");
    let (ada, ada_user) = sign_up_and_log_in(&app, "ada@example.com").await;
    let (bob, _) = sign_up_and_log_in(&app, "bob@example.com").await;
    let as_ada = [("authorization", ada.as_str())];
    let as_bob = [("authorization", bob.as_str())];

    let (status, note) = rest(
        &app,
        "POST",
        "/notes",
        &as_ada,
        Some(json!({ "text": "Ada's" })),
    )
    .await;
    assert_eq!(status, 201, "{note}");
    assert_eq!(note["userId"], ada_user["id"], "the author is the caller");
    let (status, forged) = rest(
        &app,
        "POST",
        "/notes",
        &as_bob,
        Some(json!({ "text": "forged", "userId": ada_user["id"] })),
    )
    .await;
    assert_eq!(status, 400, "a client cannot name the owner: {forged}");

    let path = format!("/notes/{}", note["id"]);
    assert_eq!(rest(&app, "GET", &path, &as_bob, None).await.0, 404);
    let (_, listed) = rest(&app, "GET", "/notes", &as_bob, None).await;
    assert_eq!(listed, json!([]), "Bob's find is scoped to Bob");
    for (method, body) in [
        ("PATCH", Some(json!({ "text": "hijacked" }))),
        ("PUT", Some(json!({ "text": "hijacked" }))),
        ("DELETE", None),
    ] {
        let (status, _) = rest(&app, method, &path, &as_bob, body).await;
        assert_eq!(status, 404, "{method} of another's note");
    }
    let (status, kept) = rest(&app, "GET", &path, &as_ada, None).await;
    assert_eq!(status, 200);
    assert_eq!(kept["text"], "Ada's");
    assert_eq!(rest(&app, "GET", "/notes", &[], None).await.0, 401);
}

#[tokio::test]
async fn passwords_are_hashed_hidden_and_closed_to_queries() {
    let app = app().expect("the app builds");
    let (ada, user) = sign_up_and_log_in(&app, "ada@example.com").await;
    assert!(user.get("password").is_none(), "{user}");
    let as_ada = [("authorization", ada.as_str())];
    let (status, refused) = rest(
        &app,
        "GET",
        "/users?password[$like]=%24argon2id%25",
        &as_ada,
        None,
    )
    .await;
    assert_eq!(status, 400, "{refused}");
    let (status, short) = rest(
        &app,
        "POST",
        "/users",
        &[],
        Some(json!({ "email": "bob@example.com", "password": "short" })),
    )
    .await;
    assert_eq!(status, 400, "{short}");
    assert_eq!(short["data"][0]["instancePath"], "/password", "{short}");
    let anonymous_put = rest(
        &app,
        "PUT",
        &format!("/users/{}", user["id"]),
        &[],
        Some(json!({ "email": "mallory@example.com", "password": "taken over" })),
    )
    .await;
    assert_eq!(anonymous_put.0, 401);
    let stored = app
        .service("users")
        .expect("registered")
        .get(Id::from(0), Params::default())
        .await
        .expect("Ada");
    let hash = stored["password"].as_str().expect("a hash");
    assert!(hash.starts_with("$argon2id$"), "{hash}");
}

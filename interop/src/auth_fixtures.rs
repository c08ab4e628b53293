//! The server the authentication interop tests drive: a `users` service (public
//! create with an email and a password, checked by the schema of [`Credentials`];
//! argon2id hashes; passwords never leave the server and cannot be queried; everything
//! else needs a login) and a `messages` service that needs a login and belongs to its
//! author (`owned_by`: the author is recorded, and only the author changes or removes
//! one; `createdAt` is the server's).
//! Connections join `everybody` when they connect, `authenticated` and `user/<id>`
//! when they log in. Message events go to the author alone (`private: true`), to
//! everybody (`public: true`), or else to the authenticated connections.

use feathers_auth::{authenticate, hash_password, AuthAppExt, AuthBuilderExt, AuthConfig};
use feathers_runtime::prelude::*;

/// The secret of the test server; the JavaScript tests get it to forge tokens.
pub const SECRET: &str = "the interop tests' secret, long enough for HS256";

fn channels(app: &App) {
    app.on_connection(|connection, app| {
        app.channel("everybody").join(connection);
    });
    app.on_login(|result, connection, app| {
        let Some(connection) = connection else { return };
        app.channel("authenticated").join(connection);
        if let Some(id) = result.pointer("/user/id") {
            app.record_channel("user", id).join(connection);
        }
    });
    app.publish(|event, app| {
        let data = &event.data;
        if data.get("private") == Some(&Value::Bool(true)) {
            let author = data.get("userId").cloned().unwrap_or(Value::Null);
            vec![app.record_channel("user", &author)]
        } else if data.get("public") == Some(&Value::Bool(true)) {
            vec![app.channel("everybody")]
        } else {
            vec![app.channel("authenticated")]
        }
    });
}

/// A user as clients see them: no password, and only these fields can be queried.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct User {
    /// The id the store gave.
    pub id: u64,
    /// The address the user logs in with.
    pub email: String,
}

/// The data of a sign-up and of a replaced account; a patch is a `Partial` of it.
#[derive(Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Credentials {
    /// An email address.
    #[schemars(email, length(max = 254))]
    pub email: String,
    /// The password, hashed before it is stored.
    #[schemars(length(min = 1, max = 1024))]
    pub password: String,
}

/// The `users` service, kept in memory.
#[derive(Default)]
pub struct Users {
    store: MemoryService,
}

#[service("users", register = false, delegate = store, data = Credentials, result = User)]
#[before(on = ["find", "get", "update", "patch", "remove"], authenticate("jwt"))]
#[before(on = ["create", "update", "patch"], hash_password("password"))]
#[after(protect("password"))]
impl Users {}

/// The `messages` service, kept in memory: any fields, the author's and the time the
/// server's.
#[derive(Default)]
pub struct Messages {
    store: MemoryService,
}

#[service("messages", register = false, delegate = store)]
#[before(authenticate("jwt"), owned_by("userId"), created_at("createdAt"))]
impl Messages {}

/// The authentication test server (not yet listening).
pub fn app() -> App {
    App::builder()
        .service(Users::default())
        .service(Messages::default())
        .setup(channels)
        .authentication(AuthConfig::new(SECRET))
        .and_then(|builder| builder.build())
        .unwrap_or_else(|err| panic!("the authentication test app must build: {err}"))
}

//! The server the authentication interop tests drive: a `users` service (public
//! create, argon2id hashes, passwords never leave the server; everything else needs a
//! login) and a `messages` service that needs a login and belongs to its author
//! (`owned_by`: the author is recorded, and only the author changes or removes one).
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

/// The authentication test server (not yet listening).
pub fn app() -> App {
    let users = Hooks::new()
        .before_on("find", authenticate("jwt"))
        .before_on("get", authenticate("jwt"))
        .before_on("update", authenticate("jwt"))
        .before_on("patch", authenticate("jwt"))
        .before_on("remove", authenticate("jwt"))
        .before_on("create", hash_password("password"))
        .before_on("update", hash_password("password"))
        .before_on("patch", hash_password("password"))
        .after(protect("password"));
    let messages = Hooks::new()
        .before(authenticate("jwt"))
        .before(owned_by("userId"));
    App::builder()
        .service_at("users", MemoryService::new())
        .service_hooks("users", users)
        .service_at("messages", MemoryService::new())
        .service_hooks("messages", messages)
        .setup(channels)
        .authentication(AuthConfig::new(SECRET))
        .and_then(|builder| builder.build())
        .unwrap_or_else(|err| panic!("the authentication test app must build: {err}"))
}

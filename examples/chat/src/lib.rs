//! The chat example, as in Feathers' chat guide: people sign up (`users`), log in
//! (`authentication`, local or JWT strategy) and post `messages`; logged-in
//! connections receive every change live.
//!
//! Start it with `cargo run -p chat`, then:
//!
//! ```text
//! curl -X POST localhost:3030/users -H 'Content-Type: application/json' \
//!      -d '{"email":"me@example.com","password":"a long secret"}'
//! curl -X POST localhost:3030/authentication -H 'Content-Type: application/json' \
//!      -d '{"strategy":"local","email":"me@example.com","password":"a long secret"}'
//! curl localhost:3030/messages -H "Authorization: Bearer $TOKEN"
//! ```
//!
//! Socket.io and Primus clients receive `messages created` and the other events once
//! they have logged in: a login joins the `authenticated` channel.
//!
//! The messages are kept in `chat.sqlite` in the working directory, or in the
//! database `DATABASE_URL` names (`sqlite://..` or `postgres://..`), migrated at
//! startup with the example's own migrations.

mod channels;
mod messages;
mod secret;
mod users;

use feathers_runtime::adapter::AdapterBuilder;
use feathers_runtime::auth::{authenticate, AuthBuilderExt, AuthConfig};
use feathers_runtime::common_hooks::{owned_by, populate};
use feathers_runtime::{App, Hooks, Result, WebSettings};
use feathers_sql::{Dialect, SqlService};

/// The folder of the chat's web page (`index.html`, `app.js`, `style.css`).
pub const PUBLIC_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/public");

pub use messages::{Message, Messages, NewMessage, MAX_LENGTH};
pub use secret::{auth_secret, secret_path, SECRET_VARIABLE};
pub use users::{SignUp, User, Users, MIN_PASSWORD};

/// The database the chat binary opens when `DATABASE_URL` is not set: `chat.sqlite`
/// in the working directory, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://chat.sqlite";

/// The records a `find` answers when the query names no `$limit`, as in an app
/// Feathers generates: a find is a page (`{total, limit, skip, data}`), never the
/// whole table.
pub const PAGE: u64 = 25;

/// The most records one `find` answers, whatever `$limit` asks for.
pub const MAX_PAGE: u64 = 100;

/// Opens the database at `url` (`sqlite://..` or `postgres://..`), applies the
/// example's migrations (`migrations/sqlite` or `migrations/postgres`) and answers the
/// adapters on its `messages` and `users` tables, paginated ([`PAGE`], [`MAX_PAGE`]).
pub async fn open_tables(url: &str) -> Result<(SqlService, SqlService)> {
    let pool = feathers_sql::connect(url).await?;
    let migrations = match pool.dialect() {
        Dialect::Sqlite => sqlx::migrate!("migrations/sqlite"),
        Dialect::Postgres => sqlx::migrate!("migrations/postgres"),
    };
    feathers_sql::migrate(&pool, &migrations).await?;
    let messages = SqlService::builder(pool.clone(), "messages")
        .paginate(PAGE, MAX_PAGE)
        .build()
        .await?;
    let users = SqlService::builder(pool, "users")
        .paginate(PAGE, MAX_PAGE)
        .build()
        .await?;
    Ok((messages, users))
}

/// The chat app with its users and messages in the database at `database_url`,
/// migrated, and logins signed with [`auth_secret`]: the `users` service, the
/// `messages` service behind a login, each message with its author (`user`, loaded
/// for a whole page at once), authentication, and the channels.
pub async fn app(database_url: &str) -> Result<App> {
    let auth = AuthConfig::new(auth_secret(database_url)?).with_env()?;
    let mut web = WebSettings::default();
    web.cors_origins = WebSettings::cors_origins_from_env();
    app_with(database_url, auth, web).await
}

/// [`app`] with these authentication settings and these web settings, whose
/// `static_dir` becomes [`PUBLIC_DIR`] (the page at `/`). [`app`] lets pages from
/// the origins in `CORS_ORIGINS` call the API.
pub async fn app_with(database_url: &str, auth: AuthConfig, web: WebSettings) -> Result<App> {
    let (messages, users) = open_tables(database_url).await?;
    let app = App::builder()
        .configure(move |settings: &mut WebSettings| {
            *settings = web;
            settings.static_dir = Some(PUBLIC_DIR.into());
        })
        .registered_services()
        .service(Users::new(users))
        .service(Messages::new(messages))
        .service_hooks(
            "messages",
            Hooks::new()
                .before(authenticate("jwt"))
                .before(owned_by("userId"))
                .after(populate("user", "users", "userId")),
        )
        .authentication(auth)?
        .build()?;
    channels::channels(&app);
    Ok(app)
}

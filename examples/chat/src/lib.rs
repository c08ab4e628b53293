//! The chat example: a `messages` service, as in Feathers' chat guide.
//!
//! Start it with `cargo run -p chat`, then:
//!
//! ```text
//! curl -X POST localhost:3030/messages -H 'Content-Type: application/json' -d '{"text":"Hello"}'
//! curl localhost:3030/messages
//! ```
//!
//! Socket.io and Primus clients connected to it receive `messages created` and the
//! other events: every connection joins the `everybody` channel.
//!
//! The messages are kept in `chat.sqlite` in the working directory, or in the
//! database `DATABASE_URL` names (`sqlite://..` or `postgres://..`), migrated at
//! startup with the example's own migrations.

mod channels;
mod messages;
mod store;

use feathers_runtime::{App, Result};

pub use messages::{Message, MessagePatch, Messages, NewMessage};
pub use store::{MessageStore, DEFAULT_DATABASE_URL};

/// The chat app with its messages in the database at `database_url`, migrated: every
/// service and setup this crate registers, and the messages service on that store.
pub async fn app(database_url: &str) -> Result<App> {
    let store = MessageStore::open(database_url).await?;
    App::builder()
        .registered_services()
        .service(Messages::new(store))
        .build()
}

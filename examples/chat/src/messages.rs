//! The `messages` service: records with an `id`, a `text`, their author's `userId` and
//! `createdAt` (milliseconds since 1970), kept by an adapter (a SQL table, or memory),
//! which gives it Feathers' query syntax (`?text=Hi`, `$limit`, `$sort`, `$in`, ...).
//! The schemas of [`NewMessage`] and [`Message`] say what a client may send and query;
//! the adapter, the service's delegate, answers every method.

use std::time::Instant;

use feathers_runtime::adapter::Adapter;
use feathers_runtime::prelude::*;

/// A chat message, as clients see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Message {
    pub id: u64,
    pub text: String,
    /// The author's user id (none for messages created without a login).
    #[serde(rename = "userId", default)]
    pub user_id: Option<i64>,
    /// When it was created, in milliseconds since 1970.
    #[serde(rename = "createdAt", default)]
    pub created_at: Option<i64>,
}

/// The data of `create` and `update`, and of `patch` as a [`Partial`]: a text of 1 to
/// [`MAX_LENGTH`] characters that is not blank. Nothing else: the author and the time
/// are the server's.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct NewMessage {
    #[schemars(length(min = 1, max = MAX_LENGTH), regex(pattern = r"\S"))]
    pub text: String,
}

/// The longest message accepted.
pub const MAX_LENGTH: usize = 1000;

/// The messages service: the adapter answers every method, with the data of `create`
/// and `update` checked as a [`NewMessage`] and that of `patch` as a
/// `Partial<NewMessage>`. `createdAt` is the server's: set by `create`, kept by
/// `update` and `patch`. `Messages::default()` keeps them in memory. The service itself
/// is open; the chat app ([`crate::app`]) requires a login for it with
/// `authenticate("jwt")` and makes each message its author's with `owned_by("userId")`:
/// `create` records the logged-in user as the author, and only the author may change
/// or remove it.
pub struct Messages {
    store: DynAdapter,
}

impl Default for Messages {
    fn default() -> Messages {
        Messages::new(MemoryService::new())
    }
}

impl Messages {
    /// The service on this adapter (the `messages` table, or memory).
    pub fn new(store: impl Adapter) -> Messages {
        Messages {
            store: DynAdapter::new(store),
        }
    }
}

#[service(
    "messages",
    register = false,
    delegate = store,
    data = NewMessage,
    result = Message
)]
#[before(created_at("createdAt"))]
#[around(log_duration)]
impl Messages {}

/// A service hook: logs how long every call of the service took.
async fn log_duration(ctx: &mut HookContext, next: Next) -> Result<()> {
    let started = Instant::now();
    let outcome = next.run(ctx).await;
    tracing::debug!(
        service = %ctx.path(),
        method = %ctx.method(),
        elapsed = ?started.elapsed(),
        ok = outcome.is_ok(),
        "call"
    );
    outcome
}

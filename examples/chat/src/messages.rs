//! The `messages` service: records with an `id`, a `text`, their author's `userId` and
//! `createdAt` (milliseconds since 1970), kept by an adapter (a SQL table, or memory),
//! which gives it Feathers' query syntax (`?text=Hi`, `$limit`, `$sort`, `$in`, ...).
//! The typed methods check the data; the adapter, the service's delegate, answers the
//! rest (`find`, `get`, `remove`).

use std::time::Instant;

use feathers_runtime::adapter::Adapter;
use feathers_runtime::prelude::*;

/// A chat message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// The data of `create` and `update`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewMessage {
    pub text: String,
}

/// The data of `patch`: every field optional.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct MessagePatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// The longest message accepted.
pub const MAX_LENGTH: usize = 1000;

/// The messages service. `Messages::default()` keeps them in memory. The service itself
/// is open; the chat app ([`crate::app`]) requires a login for it with
/// `authenticate("jwt")` and makes each message its author's with `owned_by("userId")`:
/// only the author may change or remove it. `create` records the logged-in user as the
/// author.
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

fn checked_text(text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::bad_request("A message needs some text")
            .with_errors(json!({"text": "must not be empty"})));
    }
    Ok(())
}

#[service("messages", register = false, delegate = store)]
#[around(log_duration)]
impl Messages {
    #[before(limit_length)]
    async fn create(&self, data: NewMessage, params: &Params) -> Result<Value> {
        checked_text(&data.text)?;
        let author = params
            .user
            .as_ref()
            .map_or(Value::Null, |user| user["id"].clone());
        let record = json!({ "text": data.text, "userId": author, "createdAt": now_millis() });
        self.store.create(record, params).await
    }

    /// Replaces the text; the author and the time of creation stay what they were
    /// (a client cannot erase or forge them).
    #[before(limit_length)]
    async fn update(&self, id: Id, data: NewMessage, params: &Params) -> Result<Value> {
        checked_text(&data.text)?;
        let existing = self.store.get(id.clone(), params).await?;
        let record = json!({
            "text": data.text,
            "userId": existing["userId"],
            "createdAt": existing["createdAt"],
        });
        self.store.update(id, record, params).await
    }

    #[before(limit_length)]
    async fn patch(&self, id: Option<Id>, data: MessagePatch, params: &Params) -> Result<Value> {
        if let Some(text) = &data.text {
            checked_text(text)?;
        }
        self.store
            .patch(id, serde_json::to_value(data)?, params)
            .await
    }
}

fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX)
        })
}

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

/// A method hook: messages are at most `MAX_LENGTH` characters.
async fn limit_length(ctx: &mut HookContext) -> Result<()> {
    let too_long = |record: &Value| {
        record["text"]
            .as_str()
            .is_some_and(|text| text.chars().count() > MAX_LENGTH)
    };
    let rejected = match &ctx.data {
        Value::Array(records) => records.iter().any(too_long),
        record => too_long(record),
    };
    if rejected {
        return Err(Error::bad_request("Message is too long")
            .with_errors(json!({"text": format!("at most {MAX_LENGTH} characters")})));
    }
    Ok(())
}

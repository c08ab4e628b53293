//! The `messages` service: records with an `id`, a `text`, their author's `userId` and
//! `createdAt` (milliseconds since 1970), kept by a
//! [`MessageStore`] (a SQL table, or memory), which gives it Feathers' query syntax
//! (`?text=Hi`, `$limit`, `$sort`, `$in`, ...). The typed methods check the data; the
//! store does the rest.

use std::time::Instant;

use feathers_runtime::prelude::*;

use crate::store::MessageStore;

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
/// `authenticate("jwt")`. `create` records the logged-in user as the author.
#[derive(Default)]
pub struct Messages {
    store: MessageStore,
}

impl Messages {
    /// The service on this store.
    pub fn new(store: MessageStore) -> Messages {
        Messages { store }
    }
}

fn checked_text(text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::bad_request("A message needs some text")
            .with_errors(json!({"text": "must not be empty"})));
    }
    Ok(())
}

#[service("messages", register = false)]
#[around(log_duration)]
impl Messages {
    async fn find(&self, params: &Params) -> Result<Value> {
        self.store.find(params).await
    }

    async fn get(&self, id: Id, params: &Params) -> Result<Value> {
        self.store.get(id, params).await
    }

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

    async fn update(&self, id: Id, data: NewMessage, params: &Params) -> Result<Value> {
        checked_text(&data.text)?;
        self.store
            .update(id, serde_json::to_value(data)?, params)
            .await
    }

    async fn patch(&self, id: Option<Id>, data: MessagePatch, params: &Params) -> Result<Value> {
        if let Some(text) = &data.text {
            checked_text(text)?;
        }
        self.store
            .patch(id, serde_json::to_value(data)?, params)
            .await
    }

    async fn remove(&self, id: Option<Id>, params: &Params) -> Result<Value> {
        self.store.remove(id, params).await
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

//! The `messages` service: records with an `id` and a `text`, kept in memory.

use std::collections::BTreeMap;
use std::sync::RwLock;

use feathers_runtime::prelude::*;

/// A chat message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: u64,
    pub text: String,
}

/// The data of `create` and `update`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    pub text: String,
}

/// The data of `patch`: every field optional.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessagePatch {
    pub text: Option<String>,
}

#[derive(Default)]
struct Store {
    next_id: u64,
    records: BTreeMap<u64, Message>,
}

/// The messages service.
#[derive(Default)]
pub struct Messages {
    store: RwLock<Store>,
}

impl Messages {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn not_found(id: u64) -> Error {
    Error::not_found(format!("No record found for id '{id}'"))
}

fn checked_text(text: String) -> Result<String> {
    if text.trim().is_empty() {
        return Err(Error::bad_request("A message needs some text")
            .with_errors(json!({"text": "must not be empty"})));
    }
    Ok(text)
}

#[service("messages")]
impl Messages {
    async fn find(&self) -> Result<Vec<Message>> {
        Ok(self.read().records.values().cloned().collect())
    }

    async fn get(&self, id: u64) -> Result<Message> {
        self.read().records.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    async fn create(&self, data: NewMessage) -> Result<Message> {
        let text = checked_text(data.text)?;
        let mut store = self.write();
        let id = store.next_id;
        store.next_id += 1;
        let message = Message { id, text };
        store.records.insert(id, message.clone());
        Ok(message)
    }

    async fn update(&self, id: u64, data: NewMessage) -> Result<Message> {
        let text = checked_text(data.text)?;
        let mut store = self.write();
        let record = store.records.get_mut(&id).ok_or_else(|| not_found(id))?;
        record.text = text;
        Ok(record.clone())
    }

    async fn patch(&self, id: u64, data: MessagePatch) -> Result<Message> {
        let text = data.text.map(checked_text).transpose()?;
        let mut store = self.write();
        let record = store.records.get_mut(&id).ok_or_else(|| not_found(id))?;
        if let Some(text) = text {
            record.text = text;
        }
        Ok(record.clone())
    }

    async fn remove(&self, id: u64) -> Result<Message> {
        self.write().records.remove(&id).ok_or_else(|| not_found(id))
    }
}

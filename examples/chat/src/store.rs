//! Where the messages are kept: a SQL table (what the chat binary uses: SQLite by
//! default, or the database `DATABASE_URL` names) or memory (tests and prototypes).

use feathers_runtime::prelude::*;
use feathers_sql::{Dialect, SqlService};

/// The database the chat binary opens when `DATABASE_URL` is not set: `chat.sqlite`
/// in the working directory, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://chat.sqlite";

/// The storage behind the messages service.
#[derive(Clone, Debug)]
pub enum MessageStore {
    /// Records in memory, gone when the process stops.
    Memory(MemoryService),
    /// The `messages` table of a SQL database.
    Sql(SqlService),
}

impl Default for MessageStore {
    fn default() -> MessageStore {
        MessageStore::Memory(MemoryService::new())
    }
}

impl MessageStore {
    /// Opens the database at `url` (`sqlite://..` or `postgres://..`), applies the
    /// example's migrations (`migrations/sqlite` or `migrations/postgres`) and answers
    /// the store on its `messages` table.
    pub async fn open(url: &str) -> Result<MessageStore> {
        Ok(MessageStore::open_tables(url).await?.0)
    }

    /// Opens and migrates the database at `url` as [`MessageStore::open`] does, and
    /// answers the stores on its `messages` and `users` tables.
    pub async fn open_tables(url: &str) -> Result<(MessageStore, MessageStore)> {
        let pool = feathers_sql::connect(url).await?;
        let migrations = match pool.dialect() {
            Dialect::Sqlite => sqlx::migrate!("migrations/sqlite"),
            Dialect::Postgres => sqlx::migrate!("migrations/postgres"),
        };
        feathers_sql::migrate(&pool, &migrations).await?;
        let messages = SqlService::builder(pool.clone(), "messages")
            .build()
            .await?;
        let users = SqlService::builder(pool, "users").build().await?;
        Ok((MessageStore::Sql(messages), MessageStore::Sql(users)))
    }

    pub(crate) async fn find(&self, params: &Params) -> Result<Value> {
        match self {
            MessageStore::Memory(store) => store.find(params).await,
            MessageStore::Sql(store) => store.find(params).await,
        }
    }

    pub(crate) async fn get(&self, id: Id, params: &Params) -> Result<Value> {
        match self {
            MessageStore::Memory(store) => store.get(id, params).await,
            MessageStore::Sql(store) => store.get(id, params).await,
        }
    }

    pub(crate) async fn create(&self, data: Value, params: &Params) -> Result<Value> {
        match self {
            MessageStore::Memory(store) => store.create(data, params).await,
            MessageStore::Sql(store) => store.create(data, params).await,
        }
    }

    pub(crate) async fn update(&self, id: Id, data: Value, params: &Params) -> Result<Value> {
        match self {
            MessageStore::Memory(store) => store.update(id, data, params).await,
            MessageStore::Sql(store) => store.update(id, data, params).await,
        }
    }

    pub(crate) async fn patch(
        &self,
        id: Option<Id>,
        data: Value,
        params: &Params,
    ) -> Result<Value> {
        match self {
            MessageStore::Memory(store) => store.patch(id, data, params).await,
            MessageStore::Sql(store) => store.patch(id, data, params).await,
        }
    }

    pub(crate) async fn remove(&self, id: Option<Id>, params: &Params) -> Result<Value> {
        match self {
            MessageStore::Memory(store) => store.remove(id, params).await,
            MessageStore::Sql(store) => store.remove(id, params).await,
        }
    }
}

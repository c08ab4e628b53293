//! Shares service events between feathers-rs instances through Redis, in
//! [feathers-sync](https://github.com/feathersjs-ecosystem/feathers-sync) 3.x's
//! message format, so that one cluster can mix feathers-rs and FeathersJS instances.
//!
//! ```no_run
//! # async fn demo() -> feathers_runtime::Result<()> {
//! let app = feathers_runtime::App::from_registered()?;
//! // With REDIS_URL set, every event of every service reaches every instance.
//! let sync = feathers_sync::from_env(&app)?;
//! # Ok(()) }
//! ```
//!
//! Each event is delivered on the instance that produced it at once (its clients and
//! listeners do not wait for Redis, and keep getting events while Redis is down) and
//! published; other instances deliver it when it arrives. An instance skips its own
//! messages when they come back. See `docs/sync.md` for the message format, which
//! fields travel, and the behaviour in an outage.

#![warn(missing_docs, unreachable_pub)]

mod backoff;
mod builder;
mod handle;
mod link;
mod message;
mod outbox;
mod publisher;
mod relay;
mod secrets;
mod stats;
mod subscriber;

pub use builder::{
    RedisSync, DEFAULT_KEY, DEFAULT_MAX_BACKOFF, DEFAULT_PING_INTERVAL, DEFAULT_QUEUE_CAPACITY,
    DEFAULT_RESPONSE_TIMEOUT,
};
pub use handle::SyncHandle;
pub use secrets::{DEFAULT_SECRET_FIELDS, DEFAULT_SHARED_USER_FIELDS};
pub use stats::SyncStats;

use feathers_core::{App, Result};

/// Starts relaying `app`'s events when `REDIS_URL` is set (see
/// [`RedisSync::from_env`]); `Ok(None)` when it is not.
pub fn from_env(app: &App) -> Result<Option<SyncHandle>> {
    RedisSync::from_env()
        .map(|sync| sync.start(app))
        .transpose()
}

/// The numbers of the relay running on `app`, if one is.
pub fn stats(app: &App) -> Option<SyncStats> {
    app.extension::<SyncHandle>().map(|handle| handle.stats())
}

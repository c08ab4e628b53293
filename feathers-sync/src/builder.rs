//! [`RedisSync`]: the settings of a relay, and starting it on an app.

use std::sync::Arc;
use std::time::Duration;

use feathers_core::{App, Error, Result};

use crate::handle::SyncHandle;
use crate::relay::Relay;
use crate::secrets::SecretFields;

/// feathers-sync's default Redis channel.
pub const DEFAULT_KEY: &str = "feathers-sync";
/// How often the subscription is checked with a ping by default.
pub const DEFAULT_PING_INTERVAL: Duration = Duration::from_secs(10);
/// How many events may wait for the broker by default.
pub const DEFAULT_QUEUE_CAPACITY: usize = 10_000;
/// The longest wait between reconnection attempts by default.
pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(5);

/// How long a publish, or a ping of the subscription, may wait for Redis by default.
pub const DEFAULT_RESPONSE_TIMEOUT: Duration = Duration::from_secs(5);

/// Settings for sharing an app's events through Redis.
///
/// ```no_run
/// # async fn demo(app: feathers_runtime::App) -> feathers_runtime::Result<()> {
/// let sync = feathers_sync::RedisSync::new("redis://127.0.0.1:6379").start(&app)?;
/// sync.subscribed().await;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct RedisSync {
    url: String,
    key: String,
    queue_capacity: usize,
    max_backoff: Duration,
    ping_interval: Duration,
    response_timeout: Duration,
    secrets: SecretFields,
}

impl RedisSync {
    /// A relay through the Redis server at `url` (`redis://host:port[/db]`), on the
    /// channel `feathers-sync`.
    pub fn new(url: impl Into<String>) -> RedisSync {
        RedisSync {
            url: url.into(),
            key: DEFAULT_KEY.to_owned(),
            queue_capacity: DEFAULT_QUEUE_CAPACITY,
            max_backoff: DEFAULT_MAX_BACKOFF,
            ping_interval: DEFAULT_PING_INTERVAL,
            response_timeout: DEFAULT_RESPONSE_TIMEOUT,
            secrets: SecretFields::default(),
        }
    }

    /// The settings from the environment: `REDIS_URL`, and `FEATHERS_SYNC_KEY` for the
    /// channel. `None` when `REDIS_URL` is unset or empty.
    pub fn from_env() -> Option<RedisSync> {
        let url = std::env::var("REDIS_URL")
            .ok()
            .filter(|url| !url.is_empty())?;
        let sync = RedisSync::new(url);
        Some(match std::env::var("FEATHERS_SYNC_KEY") {
            Ok(key) if !key.is_empty() => sync.key(key),
            _ => sync,
        })
    }

    /// The Redis channel (feathers-sync's `key` option). Every instance of one
    /// cluster, feathers-rs or FeathersJS, must use the same.
    pub fn key(mut self, key: impl Into<String>) -> RedisSync {
        self.key = key.into();
        self
    }

    /// How many events may wait while Redis is unreachable; beyond it the oldest are
    /// dropped (counted in [`SyncStats::dropped`](crate::SyncStats::dropped)).
    pub fn queue_capacity(mut self, events: usize) -> RedisSync {
        self.queue_capacity = events;
        self
    }

    /// The longest wait between attempts after failures (5 s by default). Waits start
    /// at 50 ms and double, each drawn between half and all of its step; they start
    /// again from 50 ms only after a success (a publish Redis accepted, a confirmed
    /// subscription).
    pub fn max_backoff(mut self, wait: Duration) -> RedisSync {
        self.max_backoff = wait;
        self
    }

    /// How often the subscription is checked with a ping (10 s by default). A
    /// subscription that does not answer within this time (and the response timeout),
    /// or answers with an error, counts as lost and is made again, which catches a
    /// broker that hangs, a network that silently drops traffic, or a subscription
    /// Redis refused.
    pub fn ping_interval(mut self, every: Duration) -> RedisSync {
        self.ping_interval = every;
        self
    }

    /// How long a publish may wait for Redis' reply (5 s by default). A batch of
    /// events without a reply in time is not sent again (Redis may still publish it:
    /// a second copy would reach FeathersJS instances twice); it is counted in
    /// [`SyncStats::unconfirmed`](crate::SyncStats::unconfirmed).
    pub fn response_timeout(mut self, wait: Duration) -> RedisSync {
        self.response_timeout = wait;
        self
    }

    /// Another field name to keep off the broker, besides `password`, `accessToken`
    /// and `refreshToken` (case-insensitive, at any depth).
    pub fn secret_field(mut self, name: &str) -> RedisSync {
        self.secrets.add(name);
        self
    }

    /// Another field of `params.user` to share with the other instances, besides its
    /// `id` / `_id` (for publishers there that route by, say, `user.roles`). Secret
    /// fields never travel, shared or not.
    pub fn share_user_field(mut self, name: &str) -> RedisSync {
        self.secrets.share_user_field(name);
        self
    }

    /// Starts relaying `app`'s events: every local event is published, and every event
    /// other instances publish is delivered to this app's listeners and channels.
    /// Must run inside a Tokio runtime. Redis need not be up yet: the relay connects
    /// in the background and keeps retrying.
    ///
    /// Fails when the URL does not parse, outside a Tokio runtime, or when the app
    /// already relays.
    pub fn start(self, app: &App) -> Result<SyncHandle> {
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| Error::general("feathers-sync must be started inside a Tokio runtime"))?;
        let client = redis::Client::open(self.url.as_str())
            .map_err(|err| Error::general(format!("feathers-sync: invalid Redis URL: {err}")))?;
        if app.extension::<SyncHandle>().is_some() {
            return Err(Error::general(
                "feathers-sync is already relaying this app's events",
            ));
        }
        let relay = Arc::new(Relay::new(
            self.key,
            self.secrets,
            self.queue_capacity,
            self.max_backoff,
            self.ping_interval,
            self.response_timeout,
        ));
        let listener = relay.clone();
        app.on_any_event(move |event| listener.enqueue(event));
        let publisher = runtime.spawn(crate::publisher::publish(client.clone(), relay.clone()));
        let subscriber = runtime.spawn(crate::subscriber::subscribe(
            client,
            relay.clone(),
            app.clone(),
        ));
        let handle = SyncHandle {
            relay,
            tasks: Arc::new(vec![publisher.abort_handle(), subscriber.abort_handle()]),
        };
        app.set_extension(handle.clone());
        tracing::info!(key = %handle.key(), instance = %handle.instance_id(), "feathers-sync: relaying service events through Redis");
        Ok(handle)
    }
}

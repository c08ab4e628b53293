//! The application: its services, app-wide hooks and events, and the entry point for
//! calls from transports and from Rust code.

use std::future::Future;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::builder::AppBuilder;
use crate::context::HookContext;
use crate::error::{Error, Result};
use crate::events::{next_listener_id, AppEvents, ListenerId, ServiceEvent};
use crate::id::Id;
use crate::method::Method;
use crate::params::Params;
use crate::registry::{Lookup, Registry, ServiceEntry};
use crate::service::NamedService;
use crate::service_ref::{ServiceRef, Typed};

/// Limits and settings of an app. New settings may be added in any release, so build
/// one from [`Config::default`] and set the fields you need:
///
/// ```
/// let mut config = feathers_core::Config::default();
/// config.body_limit = 64 * 1024;
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// The largest request body accepted, in bytes (413 above it). Default 1 MiB.
    pub body_limit: usize,
    /// The most parameters a query string may have. Default 1000.
    pub query_parameter_limit: usize,
    /// How deep query string brackets may nest. Default 5.
    pub query_depth: usize,
    /// The largest array index honoured in a query string (`a[20]=x`). Default 100.
    pub query_array_limit: usize,
    /// How often real-time transports ping their clients. Default 25 s (Socket.io).
    pub ping_interval: std::time::Duration,
    /// How long a client may take to answer a ping. Default 20 s (Socket.io).
    pub ping_timeout: std::time::Duration,
    /// Frames a real-time connection may have waiting; a client that falls further
    /// behind is disconnected as a slow consumer. Default 1024.
    pub outbound_queue: usize,
    /// Bytes a real-time connection may have waiting, beside [`Config::outbound_queue`]
    /// frames: a client that stops reading large events is cut off before its queue
    /// holds gigabytes. Default 8 MiB.
    pub outbound_queue_bytes: usize,
    /// The largest real-time message accepted, in bytes. Default 1 MB (Socket.io's).
    pub max_message: usize,
    /// Method calls one real-time connection may have running at once. Default 64.
    pub max_calls_in_flight: usize,
    /// How often the Primus transport pings (`"primus::ping::<ms>"`); a client that has
    /// not answered by the next ping is disconnected. Default 30 s (Primus').
    pub primus_ping_interval: std::time::Duration,
    /// How long a client may take to upgrade a long-polling session to a websocket,
    /// from the websocket's opening to the upgrade packet. Default 10 s (Engine.IO's).
    pub upgrade_timeout: std::time::Duration,
    /// The one shutdown deadline: how long a shutdown waits for HTTP requests and socket
    /// calls to finish and real-time clients to be told to reconnect before it drops
    /// every connection still open. Default 10 s.
    pub drain_timeout: std::time::Duration,
    /// The path of a Prometheus scrape endpoint (`Some("/metrics".into())`) serving the
    /// [`metrics`](crate::metrics) of this process. Default none: no endpoint.
    pub metrics_endpoint: Option<String>,
    /// Where the generated browser library `primus.js` is, to serve it at
    /// `/primus/primus.js` (see `scripts/primus-client.mjs`). Default none.
    pub primus_client: Option<std::path::PathBuf>,
    /// A folder of static files (a web page) served for GET and HEAD requests that
    /// no service, Socket.io or Primus claims and whose file exists, with caching
    /// headers, compression and the page security headers. Default none.
    pub static_dir: Option<std::path::PathBuf>,
    /// The origins (`http://localhost:5173`) whose pages may call REST and Socket.io
    /// long-polling from a browser (CORS). Default none: same-origin pages only, so no
    /// other site can make a visitor's browser call the API. See
    /// [`Config::cors_origins_from_env`].
    pub cors_origins: Vec<String>,
}

impl Config {
    /// The comma-separated origins in `CORS_ORIGINS`
    /// (`CORS_ORIGINS=http://localhost:5173,https://app.example.com`), none when unset.
    pub fn cors_origins_from_env() -> Vec<String> {
        std::env::var("CORS_ORIGINS")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|origin| !origin.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// The bounds of each real-time connection's outbound queue.
    pub fn queue_limits(&self) -> crate::connection::QueueLimits {
        crate::connection::QueueLimits {
            frames: self.outbound_queue,
            bytes: self.outbound_queue_bytes,
        }
    }

    /// The limits for parsing URL query strings.
    pub fn query_limits(&self) -> feathers_query::QueryLimits {
        feathers_query::QueryLimits {
            depth: self.query_depth,
            parameter_limit: self.query_parameter_limit,
            array_limit: self.query_array_limit,
        }
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            body_limit: 1024 * 1024,
            query_parameter_limit: 1000,
            query_depth: 5,
            query_array_limit: 100,
            ping_interval: std::time::Duration::from_secs(25),
            ping_timeout: std::time::Duration::from_secs(20),
            outbound_queue: 1024,
            outbound_queue_bytes: crate::connection::QueueLimits::DEFAULT_BYTES,
            max_message: 1_000_000,
            max_calls_in_flight: 64,
            primus_ping_interval: std::time::Duration::from_secs(30),
            primus_client: None,
            upgrade_timeout: std::time::Duration::from_secs(10),
            drain_timeout: std::time::Duration::from_secs(10),
            metrics_endpoint: None,
            static_dir: None,
            cors_origins: Vec::new(),
        }
    }
}

pub(crate) struct AppInner {
    pub(crate) registry: Registry,
    pub(crate) events: Arc<AppEvents>,
    pub(crate) config: Config,
    pub(crate) extensions: crate::extensions::Extensions,
}

/// A Feathers application. Cheap to clone; every clone is the same app.
#[derive(Clone)]
pub struct App {
    pub(crate) inner: Arc<AppInner>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("services", &self.paths().collect::<Vec<_>>())
            .finish()
    }
}

/// A reference to an [`App`] that does not keep it alive: for listeners and tasks the
/// app itself holds, which would otherwise keep it from ever being dropped.
#[derive(Clone, Debug)]
pub struct WeakApp {
    inner: std::sync::Weak<AppInner>,
}

impl WeakApp {
    /// The app, while it is still alive.
    pub fn upgrade(&self) -> Option<App> {
        self.inner.upgrade().map(|inner| App { inner })
    }
}

impl App {
    /// A builder for an app with explicitly listed services.
    pub fn builder() -> AppBuilder {
        AppBuilder::new()
    }

    /// The app with every `#[service]` registered in this binary.
    pub fn from_registered() -> Result<App> {
        AppBuilder::new().registered_services().build()
    }

    /// A reference that does not keep the app alive.
    pub fn downgrade(&self) -> WeakApp {
        WeakApp {
            inner: Arc::downgrade(&self.inner),
        }
    }

    /// The app's limits and settings.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The registered service paths, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.inner
            .registry
            .entries()
            .iter()
            .map(|entry| entry.path())
    }

    /// The registered services, sorted by path.
    pub fn services(&self) -> &[Arc<ServiceEntry>] {
        self.inner.registry.entries()
    }

    /// The service registered at `path`: NotFound when there is none.
    pub fn service(&self, path: &str) -> Result<ServiceRef> {
        let entry = self.inner.registry.get(path).ok_or_else(|| {
            Error::not_found(format!("Service '{}' not found", path.trim_matches('/')))
        })?;
        Ok(ServiceRef::new(self.clone(), entry.clone(), Map::new()))
    }

    /// The service of type `S`, for calls that take and return Rust types.
    pub fn typed<S: NamedService>(&self) -> Result<Typed<S>> {
        Ok(Typed::new(self.service(S::PATH)?))
    }

    /// The service for a concrete path such as `users/7/messages`, with its route values.
    pub fn lookup(&self, path: &str) -> Option<Lookup> {
        self.inner.registry.lookup(path)
    }

    /// For REST: the service for `path`, or for its parent with the last segment as id.
    pub fn lookup_with_id(&self, path: &str) -> Option<(Lookup, Option<String>)> {
        self.inner.registry.lookup_with_id(path)
    }

    /// Calls `method` on a found service through hooks and events: the path every
    /// transport and internal call takes.
    pub fn call(
        &self,
        lookup: &Lookup,
        method: Method,
        id: Option<Id>,
        data: Value,
        params: Params,
    ) -> impl Future<Output = Result<HookContext>> + Send + 'static {
        let running = self.prepare_call(lookup, method, id, data, params).run();
        async move { running.await.map(|ctx| *ctx) }
    }

    /// The context of a call, on the heap, ready to [run](PreparedCall::run): what
    /// transports use. A transport can prepare a call before it has read the data
    /// (set it with [`PreparedCall::context_mut`]), and its futures then hold a
    /// pointer to the context rather than the context itself, which keeps them small
    /// (the runtime moves and boxes them).
    pub fn prepare_call(
        &self,
        lookup: &Lookup,
        method: Method,
        id: Option<Id>,
        data: Value,
        mut params: Params,
    ) -> PreparedCall {
        if !lookup.route.is_empty() {
            for (key, value) in &lookup.route {
                params.route.insert(key.clone(), value.clone());
            }
        }
        let mut ctx = Box::new(HookContext::new(
            self.clone(),
            lookup.entry.path.clone(),
            method,
            params,
        ));
        ctx.id = id;
        ctx.data = data;
        PreparedCall {
            entry: lookup.entry.clone(),
            ctx,
            params_to_events: false,
        }
    }

    /// Listens to every event of every service (channels and publishers build on this).
    pub fn on_any_event(
        &self,
        listener: impl Fn(&ServiceEvent) + Send + Sync + 'static,
    ) -> ListenerId {
        let id = next_listener_id();
        self.inner.events.add(id, Arc::new(listener));
        id
    }

    /// The app's shared value of type `T`, if one was set (see [`App::set_extension`]).
    ///
    /// Crates that add behaviour to an app (authentication, an event relay) keep their
    /// state here, one value per type.
    pub fn extension<T: Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        self.inner.extensions.get::<T>()
    }

    /// The app's shared value of type `T`, made by `make` the first time it is asked for.
    pub fn extension_or_insert_with<T: Send + Sync + 'static>(
        &self,
        make: impl FnOnce() -> T,
    ) -> Arc<T> {
        self.inner.extensions.get_or_insert_with(make)
    }

    /// Sets the app's shared value of type `T`, returning the one it replaces.
    pub fn set_extension<T: Send + Sync + 'static>(&self, value: T) -> Option<Arc<T>> {
        self.inner.extensions.insert(value)
    }

    /// Removes a listener added with [`App::on_any_event`].
    pub fn off_any_event(&self, id: ListenerId) -> bool {
        self.inner.events.remove(id)
    }
}

/// A call ready to run through its service's hooks: see [`App::prepare_call`].
#[derive(Debug)]
pub struct PreparedCall {
    entry: Arc<ServiceEntry>,
    ctx: Box<HookContext>,
    params_to_events: bool,
}

impl PreparedCall {
    /// The call's context, to set what was not known when it was prepared (the data of
    /// a request whose body is read afterwards).
    pub fn context_mut(&mut self) -> &mut HookContext {
        &mut self.ctx
    }

    /// The call's events take its params instead of a copy of them, and the context
    /// it answers has empty params: for a transport, which answers from the result.
    pub fn params_to_events(mut self) -> PreparedCall {
        self.params_to_events = true;
        self
    }

    /// Runs the call: hooks, the method, then its events on success. Answers the
    /// context, still on the heap.
    pub fn run(self) -> impl Future<Output = Result<Box<HookContext>>> + Send + 'static {
        let PreparedCall {
            entry,
            ctx,
            params_to_events,
        } = self;
        let timer =
            crate::metrics::CallTimer::start(&entry, &ctx.method, ctx.params.provider.as_ref());
        async move {
            let outcome = crate::pipeline::run(&entry, ctx, params_to_events).await;
            timer.finish(outcome.as_ref().map(|_| ()));
            outcome
        }
    }
}

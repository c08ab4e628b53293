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
use crate::settings::Settings;

pub(crate) struct AppInner {
    pub(crate) registry: Registry,
    pub(crate) events: Arc<AppEvents>,
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

    /// The app's settings of type `T` (a transport's, the real-time connections'):
    /// those given to [`AppBuilder::configure`], else `T`'s defaults.
    ///
    /// ```
    /// #[derive(Debug, Default)]
    /// struct Greeting { text: String }
    /// #[derive(Debug, Default)]
    /// struct Farewell { text: String }
    ///
    /// let app = feathers_core::App::builder()
    ///     .configure(|greeting: &mut Greeting| greeting.text = "hello".into())
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(app.settings::<Greeting>().text, "hello");
    /// assert_eq!(app.settings::<Farewell>().text, "", "never configured: the defaults");
    /// ```
    pub fn settings<T: Settings>(&self) -> Arc<T> {
        self.inner.extensions.get_or_insert_with(T::default)
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
        let timer = crate::metrics::CallTimer::start(&ctx.method, ctx.params.provider.as_ref());
        async move {
            let outcome = crate::pipeline::run(&entry, ctx, params_to_events).await;
            timer.finish(&entry.call_keys, &entry.path, outcome.as_ref().map(|_| ()));
            outcome
        }
    }
}

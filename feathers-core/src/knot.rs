//! The knot: the app's types that refer to each other in a circle, and nothing else.
//!
//! An [`App`] holds its registry of [`ServiceEntry`]s; an entry holds its service as an
//! [`ErasedService`] and its hook chains of [`ErasedHook`]s and [`ErasedAroundHook`]s
//! (an around hook is handed the [`Next`] steps of its chain; a service hands out its
//! [`Hooks`]); and every one of those traits takes the [`HookContext`] of a call, which
//! holds the [`App`]. A circle of types cannot be split between files that only import
//! downwards, so these definitions share this file. Every `impl` is elsewhere, in the
//! file of each type's concept above this one: `app`, `context`, `registry`, `hooks`,
//! `erased`, `pipeline`, `call`, `service_ref`, `builder`. The types each of these names
//! that are not in the circle (params, events, metric keys, path segments) are below.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use futures_util::future::BoxFuture;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::events::{AppEvents, EventEmitter};
use crate::extensions::Extensions;
use crate::hook_kind::HookKind;
use crate::http_context::HttpContext;
use crate::id::Id;
use crate::method::Method;
use crate::metrics::CallKeys;
use crate::params::Params;
use crate::service_path::Segment;

/// A Feathers application. Cheap to clone; every clone is the same app.
#[derive(Clone)]
pub struct App {
    pub(crate) inner: Arc<AppInner>,
}

/// What every clone of an [`App`] shares.
pub(crate) struct AppInner {
    pub(crate) registry: Registry,
    pub(crate) events: Arc<AppEvents>,
    pub(crate) extensions: Extensions,
}

/// Every service of an app, by path.
#[derive(Default, Debug)]
pub(crate) struct Registry {
    pub(crate) entries: Vec<Arc<ServiceEntry>>,
    /// Looked up on every request: a fast hasher (randomly seeded; the keys are the
    /// app's own paths).
    pub(crate) by_path: HashMap<String, Arc<ServiceEntry>, foldhash::fast::RandomState>,
    /// Some service path has a `:placeholder`.
    pub(crate) has_placeholders: bool,
}

/// One registered service.
pub struct ServiceEntry {
    pub(crate) path: Arc<str>,
    pub(crate) type_name: &'static str,
    pub(crate) segments: Vec<Segment>,
    pub(crate) service: Arc<dyn ErasedService>,
    pub(crate) methods: Vec<Method>,
    /// The methods clients may call, when the service restricts them.
    pub(crate) exposed: Option<Vec<Method>>,
    pub(crate) events: Vec<String>,
    pub(crate) chains: HashMap<Method, Chain>,
    /// The fields its hooks hide from clients, which clients cannot query either.
    pub(crate) hidden: Vec<String>,
    /// Its schemas: of each method's data, and of its records.
    pub(crate) schemas: feathers_schema::ServiceSchemas,
    /// The only fields clients may query, sort and select by, when its records have
    /// a schema: the record's public fields.
    pub(crate) queryable: Option<Vec<String>>,
    pub(crate) emitter: EventEmitter,
    /// The keys its calls' metrics are recorded under.
    pub(crate) call_keys: CallKeys,
}

/// One level of regular hooks, run around the rest of the chain.
pub(crate) struct Regular {
    pub(crate) before: Vec<Arc<dyn ErasedHook>>,
    pub(crate) after: Vec<Arc<dyn ErasedHook>>,
    pub(crate) error: Vec<Arc<dyn ErasedHook>>,
}

/// A step of a call's chain.
pub(crate) enum Step {
    Around(Arc<dyn ErasedAroundHook>),
    Regular(Regular),
}

/// The chain for one method of one service: app level, then service level, each as
/// its around hooks followed by its regular hooks (Feathers' order).
pub(crate) type Chain = Arc<[Step]>;

/// The rest of the chain, handed to an around hook; [`Next::run`] runs it.
pub struct Next {
    pub(crate) chain: Chain,
    pub(crate) index: usize,
    pub(crate) service: Arc<dyn ErasedService>,
}

/// The hooks of one kind-set for one scope (all methods, or one method).
#[derive(Clone, Default)]
pub(crate) struct HookSet {
    pub(crate) around: Vec<Arc<dyn ErasedAroundHook>>,
    pub(crate) before: Vec<Arc<dyn ErasedHook>>,
    pub(crate) after: Vec<Arc<dyn ErasedHook>>,
    pub(crate) error: Vec<Arc<dyn ErasedHook>>,
}

/// Hooks for every method and for single methods, at one level: the app, or a service.
///
/// ```
/// # use feathers_core::{HookContext, Hooks, Result};
/// async fn log(ctx: &mut HookContext) -> Result<()> { Ok(()) }
/// let hooks = Hooks::new().before(log).after_on("create", log);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Hooks {
    pub(crate) all: HookSet,
    pub(crate) methods: BTreeMap<Method, HookSet>,
}

/// A [`Hook`] whose future is boxed, so that it can be stored as `Arc<dyn ErasedHook>`.
#[doc(hidden)]
pub trait ErasedHook: Send + Sync + 'static {
    /// Runs the hook on `ctx`.
    fn run_boxed<'a>(&'a self, ctx: &'a mut HookContext) -> BoxFuture<'a, Result<()>>;
    /// [`Hook::hidden_fields`].
    fn hidden_fields(&self) -> &[String];
    /// [`Hook::record_fields`].
    fn record_fields(&self) -> &[String];
}

/// An [`AroundHook`] whose future is boxed.
#[doc(hidden)]
pub trait ErasedAroundHook: Send + Sync + 'static {
    /// Runs the hook; it calls `next.run(ctx)` to run the rest of the chain.
    fn run_boxed<'a>(&'a self, ctx: &'a mut HookContext, next: Next) -> BoxFuture<'a, Result<()>>;
}

/// A [`Service`] whose `call` future is boxed, so that it can be stored as
/// `Arc<dyn ErasedService>`. The other methods are the service's own.
#[doc(hidden)]
pub trait ErasedService: Send + Sync + 'static {
    /// [`Service::methods`].
    fn methods(&self) -> Vec<Method>;
    /// [`Service::events`].
    fn events(&self) -> Vec<String>;
    /// [`Service::exposed`].
    fn exposed(&self) -> Option<Vec<Method>>;
    /// [`Service::hooks`].
    fn hooks(&self) -> Hooks;
    /// [`Service::schemas`].
    fn schemas(&self) -> feathers_schema::ServiceSchemas;
    /// [`Service::call`], boxed.
    fn call_boxed<'a>(&'a self, ctx: &'a mut HookContext) -> BoxFuture<'a, Result<Value>>;
}

/// One service call: what hooks read and change.
#[derive(Clone, Debug)]
pub struct HookContext {
    // Owned by the pipeline: hooks read them through `app()`, `path()`, `method()`
    // and `kind()`.
    pub(crate) app: App,
    pub(crate) path: Arc<str>,
    pub(crate) method: Method,
    /// Set by the pipeline as it runs each kind of hook.
    pub(crate) kind: HookKind,
    /// The call's params: query, provider, route, headers, user.
    pub params: Params,
    /// The id argument (get, update, patch, remove); `None` for a null id.
    pub id: Option<Id>,
    /// The data argument (create, update, patch, custom methods); `Null` otherwise.
    pub data: Value,
    /// The result. Set in a before hook, the method is skipped; set in an error hook,
    /// the error is swallowed and this result returned.
    pub result: Option<Value>,
    /// The error, while error hooks run. An error hook may replace it.
    pub error: Option<Error>,
    /// The client-safe result: REST responses, socket acks and events send this when set.
    pub dispatch: Option<Value>,
    /// Fields the call's events leave out of what they send, though the caller's own
    /// answer has them: a field shown by context (to its owner alone) must not reach
    /// everyone else through an event.
    pub event_omits: Vec<String>,
    /// The event emitted after success; set it to `None` to suppress the event.
    pub event: Option<Cow<'static, str>>,
    /// REST response details.
    pub http: HttpContext,
}

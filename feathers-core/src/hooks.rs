//! Hooks: what they are, where they attach, and the chain a call runs through. The
//! pipeline runs the chain; this module only describes it.
//!
//! A hook is an `async fn(&mut HookContext) -> Result<()>`, or a value implementing
//! [`Hook`] with a plain `async fn run`; an around hook is an
//! `async fn(&mut HookContext, Next) -> Result<()>` that calls `next.run(ctx)`, or a
//! value implementing [`AroundHook`]. Both are stored type-erased (the `erased` module),
//! each future boxed once, where the pipeline runs it.
//!
//! `Hooks`, `Next` and the chain's steps are defined with the app's other mutually
//! recursive types (the `knot` module); their behaviour is here.

use std::future::Future;
use std::sync::Arc;

use crate::common_hooks::Names;
use crate::context::HookContext;
use crate::error::Result;
pub(crate) use crate::knot::{Chain, HookSet, Regular, Step};
use crate::knot::{ErasedAroundHook, ErasedHook};
pub use crate::knot::{Hooks, Next};
use crate::method::Method;

/// A before, after or error hook. Implement it with a plain `async fn`:
///
/// ```
/// # use feathers_core::{Hook, HookContext, Hooks, Result};
/// # use serde_json::json;
/// struct Tag(&'static str);
///
/// impl Hook for Tag {
///     async fn run(&self, ctx: &mut HookContext) -> Result<()> {
///         ctx.params.extra.insert("tag".into(), json!(self.0));
///         Ok(())
///     }
/// }
/// let hooks = Hooks::new().before(Tag("imported"));
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Runs the hook on `ctx`; an error stops the call.
    fn run(&self, ctx: &mut HookContext) -> impl Future<Output = Result<()>> + Send;

    /// The fields this hook keeps from clients, as [`protect`](crate::common_hooks::protect)
    /// does. A field hidden from answers is closed to queries: the service refuses a
    /// client's query that names one (in a condition, `$sort` or `$select`, at any
    /// depth of `$or` and `$and`) with a 400 naming it, before any hook or adapter
    /// runs. Calls from Rust may still query every field. Default: none.
    fn hidden_fields(&self) -> &[String] {
        &[]
    }

    /// The fields of the service's records this hook reads by name (the owner field of
    /// [`owned_by`](crate::common_hooks::owned_by), the key of
    /// [`populate`](crate::common_hooks::populate)). When the service's records have a
    /// schema, `App::build` refuses a service hook naming a field the schema does not
    /// have, so that a misspelt name stops the app at startup instead of quietly
    /// matching nothing. Default: none.
    fn record_fields(&self) -> &[String] {
        &[]
    }
}

/// An around hook: it runs the rest of the chain by calling `next.run(ctx)`.
///
/// ```
/// # use feathers_core::{AroundHook, HookContext, Hooks, Next, Result};
/// struct Timed;
///
/// impl AroundHook for Timed {
///     async fn run(&self, ctx: &mut HookContext, next: Next) -> Result<()> {
///         let started = std::time::Instant::now();
///         next.run(ctx).await?;
///         tracing::debug!(took = ?started.elapsed(), "call");
///         Ok(())
///     }
/// }
/// let hooks = Hooks::new().around(Timed);
/// ```
pub trait AroundHook: Send + Sync + 'static {
    /// Runs the hook; it calls `next.run(ctx)` to run the rest of the chain.
    fn run(&self, ctx: &mut HookContext, next: Next) -> impl Future<Output = Result<()>> + Send;
}

/// An `async fn(&mut HookContext) -> Result<()>`, for any lifetime of the context: what
/// [`hook_fn`] and the hook adders take. Every such function, and every async closure
/// that captures nothing, has it.
pub trait HookFn<'a>: Send + Sync + 'static {
    /// The future the function returns.
    type Future: Future<Output = Result<()>> + Send + 'a;
    /// Calls the function.
    fn call(&self, ctx: &'a mut HookContext) -> Self::Future;
}

impl<'a, F, Fut> HookFn<'a> for F
where
    F: Fn(&'a mut HookContext) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<()>> + Send + 'a,
{
    type Future = Fut;
    fn call(&self, ctx: &'a mut HookContext) -> Fut {
        self(ctx)
    }
}

/// An `async fn(&mut HookContext, Next) -> Result<()>`, for any lifetime of the context.
pub(crate) trait AroundFn<'a>: Send + Sync + 'static {
    type Future: Future<Output = Result<()>> + Send + 'a;
    fn call(&self, ctx: &'a mut HookContext, next: Next) -> Self::Future;
}

impl<'a, F, Fut> AroundFn<'a> for F
where
    F: Fn(&'a mut HookContext, Next) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<()>> + Send + 'a,
{
    type Future = Fut;
    fn call(&self, ctx: &'a mut HookContext, next: Next) -> Fut {
        self(ctx, next)
    }
}

struct FnHook<F>(F);

impl<F> Hook for FnHook<F>
where
    F: for<'a> HookFn<'a>,
{
    fn run(&self, ctx: &mut HookContext) -> impl Future<Output = Result<()>> + Send {
        self.0.call(ctx)
    }
}

struct FnAroundHook<F>(F);

impl<F> AroundHook for FnAroundHook<F>
where
    F: for<'a> AroundFn<'a>,
{
    fn run(&self, ctx: &mut HookContext, next: Next) -> impl Future<Output = Result<()>> + Send {
        self.0.call(ctx, next)
    }
}

/// Marks hooks given as functions.
#[doc(hidden)]
pub enum FnMarker {}
/// Marks hooks given as values implementing the hook trait.
#[doc(hidden)]
pub enum ValueMarker {}

/// Anything usable as a before, after or error hook: an `async fn(&mut HookContext)
/// -> Result<()>` or a value implementing [`Hook`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a hook",
    label = "expected `async fn(&mut HookContext) -> Result<()>` or a value implementing `Hook`",
    note = "around hooks take a second argument, `next: Next`, and go in `#[around(..)]`"
)]
pub trait IntoHook<Marker>: Sized {
    /// The hook, type-erased.
    #[doc(hidden)]
    fn into_hook(self) -> Arc<dyn ErasedHook>;
}

impl<F> IntoHook<FnMarker> for F
where
    F: for<'a> HookFn<'a>,
{
    fn into_hook(self) -> Arc<dyn ErasedHook> {
        Arc::new(FnHook(self))
    }
}

impl<H: Hook> IntoHook<ValueMarker> for H {
    fn into_hook(self) -> Arc<dyn ErasedHook> {
        Arc::new(self)
    }
}

/// Anything usable as an around hook: an `async fn(&mut HookContext, Next) -> Result<()>`
/// or a value implementing [`AroundHook`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an around hook",
    label = "expected `async fn(&mut HookContext, Next) -> Result<()>` or a value implementing `AroundHook`"
)]
pub trait IntoAroundHook<Marker>: Sized {
    /// The hook, type-erased.
    #[doc(hidden)]
    fn into_around_hook(self) -> Arc<dyn ErasedAroundHook>;
}

impl<F> IntoAroundHook<FnMarker> for F
where
    F: for<'a> AroundFn<'a>,
{
    fn into_around_hook(self) -> Arc<dyn ErasedAroundHook> {
        Arc::new(FnAroundHook(self))
    }
}

impl<H: AroundHook> IntoAroundHook<ValueMarker> for H {
    fn into_around_hook(self) -> Arc<dyn ErasedAroundHook> {
        Arc::new(self)
    }
}

impl HookSet {
    /// The record fields its regular hooks name.
    fn record_fields(&self) -> impl Iterator<Item = &String> {
        self.before
            .iter()
            .chain(&self.after)
            .chain(&self.error)
            .flat_map(|hook| hook.record_fields())
    }

    /// The fields its regular hooks hide from clients.
    fn hidden_fields(&self) -> impl Iterator<Item = &String> {
        self.before
            .iter()
            .chain(&self.after)
            .chain(&self.error)
            .flat_map(|hook| hook.hidden_fields())
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.around.is_empty()
            && self.before.is_empty()
            && self.after.is_empty()
            && self.error.is_empty()
    }
}

impl std::fmt::Debug for HookSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HookSet")
            .field("around", &self.around.len())
            .field("before", &self.before.len())
            .field("after", &self.after.len())
            .field("error", &self.error.len())
            .finish()
    }
}

macro_rules! regular_hook_adders {
    ($($all:ident, $on:ident => $field:ident;)*) => {$(
        #[doc = concat!("Adds a ", stringify!($field), " hook for every method.")]
        pub fn $all<M>(mut self, hook: impl IntoHook<M>) -> Hooks {
            self.all.$field.push(hook.into_hook());
            self
        }

        #[doc = concat!(
            "Adds a ", stringify!($field), " hook for one method (`\"create\"`) or for ",
            "each of several (`[\"find\", \"get\"]`), in the order the hooks are added."
        )]
        pub fn $on<M>(mut self, methods: impl Into<Names>, hook: impl IntoHook<M>) -> Hooks {
            let hook = hook.into_hook();
            for method in methods.into().iter() {
                self.methods.entry(Method::from_name(method)).or_default().$field.push(hook.clone());
            }
            self
        }
    )*};
}

impl Hooks {
    /// No hooks.
    pub fn new() -> Hooks {
        Hooks::default()
    }

    regular_hook_adders! {
        before, before_on => before;
        after, after_on => after;
        error, error_on => error;
    }

    /// Adds an around hook for every method.
    pub fn around<M>(mut self, hook: impl IntoAroundHook<M>) -> Hooks {
        self.all.around.push(hook.into_around_hook());
        self
    }

    /// Adds an around hook for one method or for each of several, like
    /// [`Hooks::before_on`].
    pub fn around_on<M>(
        mut self,
        methods: impl Into<Names>,
        hook: impl IntoAroundHook<M>,
    ) -> Hooks {
        let hook = hook.into_around_hook();
        for method in methods.into().iter() {
            self.methods
                .entry(Method::from_name(method))
                .or_default()
                .around
                .push(hook.clone());
        }
        self
    }

    /// Adds the hooks of `other` after those already here.
    pub fn extend(mut self, other: Hooks) -> Hooks {
        merge_set(&mut self.all, other.all);
        for (method, set) in other.methods {
            merge_set(self.methods.entry(method).or_default(), set);
        }
        self
    }

    /// True when no hook was added.
    pub fn is_empty(&self) -> bool {
        self.all.is_empty() && self.methods.values().all(HookSet::is_empty)
    }

    /// A custom method these hooks name that is not among `methods`: a typo such as
    /// `before_on("creat", ..)` would otherwise leave the real method without its
    /// hooks. Standard methods a service lacks are not reported (they answer 405).
    pub(crate) fn unknown_method<'a>(&'a self, methods: &[Method]) -> Option<&'a str> {
        self.methods
            .iter()
            .filter(|(_, set)| !set.is_empty())
            .map(|(method, _)| method)
            .find(|method| matches!(method, Method::Custom(_)) && !methods.contains(method))
            .map(Method::as_str)
    }

    fn for_method(&self, method: &Method) -> Option<&HookSet> {
        self.methods.get(method)
    }
}

fn merge_set(into: &mut HookSet, from: HookSet) {
    into.around.extend(from.around);
    into.before.extend(from.before);
    into.after.extend(from.after);
    into.error.extend(from.error);
}

/// The fields the hooks of `levels` hide from clients, for any method, each once.
pub(crate) fn hidden_fields(levels: &[&Hooks]) -> Vec<String> {
    let mut hidden: Vec<String> = Vec::new();
    for hooks in levels {
        let sets = std::iter::once(&hooks.all).chain(hooks.methods.values());
        for field in sets.flat_map(HookSet::hidden_fields) {
            if !hidden.contains(field) {
                hidden.push(field.clone());
            }
        }
    }
    hidden
}

/// The first record field the hooks name that `known` does not list.
pub(crate) fn unknown_record_field<'a>(hooks: &'a Hooks, known: &[String]) -> Option<&'a str> {
    std::iter::once(&hooks.all)
        .chain(hooks.methods.values())
        .flat_map(HookSet::record_fields)
        .find(|field| !known.contains(field))
        .map(String::as_str)
}

/// Builds the chain of `method` from the app's and the service's hooks; `None` when
/// there are no hooks at all, so the call pays nothing for the machinery.
pub(crate) fn build_chain(app: &Hooks, service: &Hooks, method: &Method) -> Option<Chain> {
    let mut steps = Vec::new();
    push_level(&mut steps, app, method);
    push_level(&mut steps, service, method);
    (!steps.is_empty()).then(|| Arc::from(steps))
}

fn push_level(steps: &mut Vec<Step>, hooks: &Hooks, method: &Method) {
    let all = &hooks.all;
    let own = hooks.for_method(method);
    let empty = HookSet::default();
    let own = own.unwrap_or(&empty);
    steps.extend(
        all.around
            .iter()
            .chain(&own.around)
            .cloned()
            .map(Step::Around),
    );
    let regular = Regular {
        before: all.before.iter().chain(&own.before).cloned().collect(),
        after: all.after.iter().chain(&own.after).cloned().collect(),
        // Error hooks of the method run before those for every method.
        error: own.error.iter().chain(&all.error).cloned().collect(),
    };
    if !(regular.before.is_empty() && regular.after.is_empty() && regular.error.is_empty()) {
        steps.push(Step::Regular(regular));
    }
}

impl std::fmt::Debug for Next {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Next").field("index", &self.index).finish()
    }
}

/// A hook from an async closure that captures nothing, for hooks written inline. A hook
/// that needs values takes them through [`hook_with`], or is a value implementing
/// [`Hook`] (its `run` is a plain `async fn`).
///
/// ```
/// # use feathers_core::{hook_fn, HookContext, Hooks};
/// # use serde_json::json;
/// let stamp = hook_fn(async |ctx: &mut HookContext| {
///     ctx.params.extra.insert("stamped".into(), json!(true));
///     Ok(())
/// });
/// let hooks = Hooks::new().before(stamp);
/// ```
pub fn hook_fn<F>(f: F) -> impl Hook
where
    F: for<'a> HookFn<'a>,
{
    FnHook(f)
}

/// A hook with an argument, without boxing: `f(ctx, &arg)` runs for each call. `f` is an
/// `async fn(&mut HookContext, &A) -> Result<()>` or an async closure that captures
/// nothing (`async |ctx: &mut HookContext, role: &String| { .. }`).
///
/// ```
/// # use feathers_core::{hook_with, Error, HookContext, Hooks, Result};
/// async fn require_header(ctx: &mut HookContext, name: &&'static str) -> Result<()> {
///     match ctx.params.headers.contains_key(*name) {
///         true => Ok(()),
///         false => Err(Error::bad_request(format!("the header {name} is missing"))),
///     }
/// }
/// let hooks = Hooks::new()
///     .before(hook_with("x-api-version", require_header))
///     .after(hook_with(7_u64, async |ctx: &mut HookContext, answer: &u64| {
///         ctx.params.extra.insert("answer".into(), (*answer).into());
///         Ok(())
///     }));
/// ```
pub fn hook_with<A, F>(arg: A, f: F) -> impl Hook
where
    A: Send + Sync + 'static,
    F: for<'a> HookWithFn<'a, A>,
{
    struct WithArg<A, F>(A, F);
    impl<A, F> Hook for WithArg<A, F>
    where
        A: Send + Sync + 'static,
        F: for<'a> HookWithFn<'a, A>,
    {
        async fn run(&self, ctx: &mut HookContext) -> Result<()> {
            self.1.call(ctx, &self.0).await
        }
    }
    WithArg(arg, f)
}

/// An `async fn(&mut HookContext, &A) -> Result<()>`, for any lifetime of both: what
/// [`hook_with`] takes. Every such function and non-capturing async closure has it.
pub trait HookWithFn<'a, A: 'a>: Send + Sync + 'static {
    /// The future the function returns.
    type Future: Future<Output = Result<()>> + Send + 'a;
    /// Calls the function.
    fn call(&self, ctx: &'a mut HookContext, arg: &'a A) -> Self::Future;
}

impl<'a, A: 'a, F, Fut> HookWithFn<'a, A> for F
where
    F: Fn(&'a mut HookContext, &'a A) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<()>> + Send + 'a,
{
    type Future = Fut;
    fn call(&self, ctx: &'a mut HookContext, arg: &'a A) -> Fut {
        self(ctx, arg)
    }
}

//! The object-safe forms of [`Hook`], [`AroundHook`] and [`Service`]: what the registry,
//! the builder and the hook chains store behind `Arc<dyn ..>`.
//!
//! The public traits are written with plain `async fn`; their futures have types of
//! their own, which a trait object cannot name. Each erased trait here has a blanket
//! impl for every implementor of its public trait that boxes the future, once, where
//! the pipeline calls it. Not a public API: users implement the public traits.

use futures_util::future::BoxFuture;
use serde_json::Value;

use crate::context::HookContext;
use crate::error::Result;
use crate::hooks::{AroundHook, Hook, Hooks, Next};
use crate::method::Method;
use crate::service::Service;

/// A [`Hook`] whose future is boxed, so that it can be stored as `Arc<dyn ErasedHook>`.
#[doc(hidden)]
pub trait ErasedHook: Send + Sync + 'static {
    /// Runs the hook on `ctx`.
    fn run_boxed<'a>(&'a self, ctx: &'a mut HookContext) -> BoxFuture<'a, Result<()>>;
    /// [`Hook::hidden_fields`].
    fn hidden_fields(&self) -> &[String];
}

impl<H: Hook> ErasedHook for H {
    fn run_boxed<'a>(&'a self, ctx: &'a mut HookContext) -> BoxFuture<'a, Result<()>> {
        Box::pin(self.run(ctx))
    }

    fn hidden_fields(&self) -> &[String] {
        Hook::hidden_fields(self)
    }
}

/// An [`AroundHook`] whose future is boxed.
#[doc(hidden)]
pub trait ErasedAroundHook: Send + Sync + 'static {
    /// Runs the hook; it calls `next.run(ctx)` to run the rest of the chain.
    fn run_boxed<'a>(&'a self, ctx: &'a mut HookContext, next: Next) -> BoxFuture<'a, Result<()>>;
}

impl<H: AroundHook> ErasedAroundHook for H {
    fn run_boxed<'a>(&'a self, ctx: &'a mut HookContext, next: Next) -> BoxFuture<'a, Result<()>> {
        Box::pin(self.run(ctx, next))
    }
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
    /// [`Service::call`], boxed.
    fn call_boxed<'a>(&'a self, ctx: &'a mut HookContext) -> BoxFuture<'a, Result<Value>>;
}

impl<S: Service> ErasedService for S {
    fn methods(&self) -> Vec<Method> {
        Service::methods(self)
    }

    fn events(&self) -> Vec<String> {
        Service::events(self)
    }

    fn exposed(&self) -> Option<Vec<Method>> {
        Service::exposed(self)
    }

    fn hooks(&self) -> Hooks {
        Service::hooks(self)
    }

    fn call_boxed<'a>(&'a self, ctx: &'a mut HookContext) -> BoxFuture<'a, Result<Value>> {
        Box::pin(self.call(ctx))
    }
}

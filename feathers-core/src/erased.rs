//! The object-safe forms of [`Hook`], [`AroundHook`] and [`Service`]: what the registry,
//! the builder and the hook chains store behind `Arc<dyn ..>`.
//!
//! The public traits are written with plain `async fn`; their futures have types of
//! their own, which a trait object cannot name. Each erased trait here has a blanket
//! impl for every implementor of its public trait that boxes the future, once, where
//! the pipeline calls it. Not a public API: users implement the public traits.
//!
//! The traits are defined with the app's other mutually recursive types (the `knot`
//! module), as their methods take the `HookContext` that holds the app that stores
//! them; their blanket impls are here.

use futures_util::future::BoxFuture;
use serde_json::Value;

use crate::error::Result;
use crate::hooks::{AroundHook, Hook, Hooks, Next};
use crate::knot::HookContext;
pub use crate::knot::{ErasedAroundHook, ErasedHook, ErasedService};
use crate::method::Method;
use crate::service::Service;

impl<H: Hook> ErasedHook for H {
    fn run_boxed<'a>(&'a self, ctx: &'a mut HookContext) -> BoxFuture<'a, Result<()>> {
        Box::pin(self.run(ctx))
    }

    fn hidden_fields(&self) -> &[String] {
        Hook::hidden_fields(self)
    }

    fn record_fields(&self) -> &[String] {
        Hook::record_fields(self)
    }
}

impl<H: AroundHook> ErasedAroundHook for H {
    fn run_boxed<'a>(&'a self, ctx: &'a mut HookContext, next: Next) -> BoxFuture<'a, Result<()>> {
        Box::pin(self.run(ctx, next))
    }
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

    fn schemas(&self) -> feathers_schema::ServiceSchemas {
        Service::schemas(self)
    }

    fn call_boxed<'a>(&'a self, ctx: &'a mut HookContext) -> BoxFuture<'a, Result<Value>> {
        Box::pin(self.call(ctx))
    }
}

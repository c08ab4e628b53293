//! The service trait every service implements, by hand or through `#[service]`.

use std::future::Future;

use serde_json::Value;

use crate::context::HookContext;
use crate::error::Result;
use crate::hooks::Hooks;
use crate::method::Method;
use feathers_schema::ServiceSchemas;

/// A service: a set of methods called with a [`HookContext`].
///
/// `#[service("path")]` implements this for an impl block. Implement it by hand, with a
/// plain `async fn call`, for services that decide their methods at run time:
///
/// ```
/// # use feathers_core::{HookContext, Method, Result, Service};
/// # use serde_json::Value;
/// struct Echo;
///
/// impl Service for Echo {
///     fn methods(&self) -> Vec<Method> {
///         vec![Method::Create]
///     }
///     async fn call(&self, ctx: &mut HookContext) -> Result<Value> {
///         Ok(ctx.data.clone())
///     }
/// }
/// ```
pub trait Service: Send + Sync + 'static {
    /// The methods this service provides, standard and custom. Any other method
    /// answers MethodNotAllowed.
    fn methods(&self) -> Vec<Method>;

    /// Custom events the service may emit, besides created/updated/patched/removed.
    fn events(&self) -> Vec<String> {
        Vec::new()
    }

    /// The methods clients may call through a transport, when fewer than
    /// [`methods`](Service::methods) (Feathers' `methods` option); `None`, the default,
    /// exposes every method. Internal calls may call any method the service provides.
    fn exposed(&self) -> Option<Vec<Method>> {
        None
    }

    /// Hooks declared with the service (`#[before]` and friends on the impl block and
    /// its methods).
    fn hooks(&self) -> Hooks {
        Hooks::new()
    }

    /// The schemas of the service's data and records. `#[service]` takes them from the
    /// methods' types (those that derive `JsonSchema`) and from `result = Type`.
    /// The data of a method with a schema is checked before any hook runs, on every
    /// path; a service whose records have a schema answers only queries on the
    /// record's public fields. Default: none.
    fn schemas(&self) -> ServiceSchemas {
        ServiceSchemas::new()
    }

    /// Runs `ctx.method` with `ctx.id`, `ctx.data` and `ctx.params`, and returns its
    /// result as JSON.
    fn call(&self, ctx: &mut HookContext) -> impl Future<Output = Result<Value>> + Send;
}

/// A service type that knows its own path: what `#[service("path")]` produces.
pub trait NamedService: Service + Sized {
    /// The path given in `#[service("path")]`.
    const PATH: &'static str;
}

//! `register_service!`: registers any service value at a path through inventory, as
//! `#[service]` does for its types, so that `App::from_registered()` and `serve()` find
//! it without a builder.

/// Registers a service at a path for `App::from_registered()` and `serve()`.
///
/// Apps write `feathers_runtime::register_service!("todos", MemoryService::new());`.
/// Any value implementing [`Service`](crate::Service) works:
///
/// ```
/// # use feathers_core::{App, HookContext, Method, Result, Service};
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
///
/// feathers_core::register_service!("echo", Echo);
///
/// # fn main() -> Result<()> {
/// let app = App::from_registered()?;
/// assert!(app.service("echo").is_ok());
/// # Ok(()) }
/// ```
///
/// The expression is evaluated once, when the app is built. The path must be a string
/// literal or constant.
#[macro_export]
macro_rules! register_service {
    ($path:expr, $service:expr $(,)?) => {
        const _: () = {
            fn __feathers_make_service(
            ) -> $crate::__private::Arc<dyn $crate::__private::ErasedService> {
                $crate::__private::Arc::new($service)
            }
            $crate::__private::inventory::submit! {
                $crate::__private::ServiceRegistration {
                    path: $path,
                    type_name: ::core::stringify!($service),
                    make: __feathers_make_service,
                }
            }
        };
    };
}

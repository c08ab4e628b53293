//! `register_service!`: registers any service value at a path through inventory, as
//! `#[service]` does for its types, so that `App::from_registered()` and `serve()` find
//! it without a builder.

/// Registers a service at a path for `App::from_registered()` and `serve()`.
///
/// ```
/// use feathers_runtime::memory::MemoryService;
///
/// feathers_runtime::register_service!("todos", MemoryService::new().paginate(10, 50));
///
/// # fn main() -> feathers_runtime::Result<()> {
/// let app = feathers_runtime::App::from_registered()?;
/// assert!(app.service("todos").is_ok());
/// # Ok(()) }
/// ```
///
/// The expression is evaluated once, when the app is built. The path must be a string
/// literal or constant.
#[macro_export]
macro_rules! register_service {
    ($path:expr, $service:expr $(,)?) => {
        const _: () = {
            fn __feathers_make_service() -> $crate::__private::Arc<dyn $crate::Service> {
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

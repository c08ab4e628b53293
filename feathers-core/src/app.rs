//! The application: its services, app-wide hooks and events, and the entry point for
//! calls from transports and from Rust code.
//!
//! `App` is defined with the app's other mutually recursive types (the `knot`
//! module). Here: what an app answers about itself (paths, settings, extensions,
//! listeners) and [`WeakApp`]. Building it is in `builder`, calling a service in
//! `call` and `service_ref`.

use std::sync::Arc;

use crate::events::{next_listener_id, ListenerId, ServiceEvent};
pub use crate::knot::App;
pub(crate) use crate::knot::AppInner;
use crate::registry::{Lookup, ServiceEntry};
use crate::settings::Settings;

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
    /// A reference that does not keep the app alive.
    pub fn downgrade(&self) -> WeakApp {
        WeakApp {
            inner: Arc::downgrade(&self.inner),
        }
    }

    /// The app's settings of type `T` (a transport's, the real-time connections'):
    /// those given to [`AppBuilder::configure`](crate::AppBuilder::configure), else `T`'s defaults.
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

    /// Every service's schemas as JSON Schema, by path: for each, the data of each
    /// method that has a schema (`"create": { "data": .. }`), the record as clients
    /// see it (`"result"`, hidden fields left out) and the query they may send
    /// (`"query"`, in Feathers' query syntax). Services without schemas are left out.
    /// The TypeScript and OpenAPI descriptions are built from this.
    pub fn schemas(&self) -> serde_json::Value {
        let described = self
            .services()
            .iter()
            .filter(|entry| !entry.schemas().is_empty())
            .map(|entry| (entry.path().to_owned(), entry.schemas_json()));
        serde_json::Value::Object(described.collect())
    }

    /// The service for a concrete path such as `users/7/messages`, with its route values.
    pub fn lookup(&self, path: &str) -> Option<Lookup> {
        self.inner.registry.lookup(path)
    }

    /// For REST: the service for `path`, or for its parent with the last segment as id.
    pub fn lookup_with_id(&self, path: &str) -> Option<(Lookup, Option<String>)> {
        self.inner.registry.lookup_with_id(path)
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

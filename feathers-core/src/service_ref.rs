//! Handles for calling a service from Rust: [`ServiceRef`] with JSON values and
//! [`Typed`] with Rust types. Both go through hooks and events like a client call.

use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::app::App;
use crate::context::HookContext;
use crate::error::{Error, Result};
use crate::events::{EventStream, ListenerId, ServiceEvent};
use crate::id::Id;
use crate::method::Method;
use crate::params::Params;
use crate::registry::{Lookup, ServiceEntry};
use crate::service::NamedService;

impl App {
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
}

/// A registered service, called with JSON values (`app.service("messages")`).
#[derive(Clone, Debug)]
pub struct ServiceRef {
    app: App,
    lookup: Lookup,
}

impl ServiceRef {
    pub(crate) fn new(app: App, entry: Arc<ServiceEntry>, route: Map<String, Value>) -> ServiceRef {
        ServiceRef {
            app,
            lookup: Lookup { entry, route },
        }
    }

    /// The app the service belongs to.
    pub fn app(&self) -> &App {
        &self.app
    }

    /// The registered path.
    pub fn path(&self) -> &str {
        self.lookup.entry.path()
    }

    /// The registration behind this handle.
    pub fn entry(&self) -> &Arc<ServiceEntry> {
        &self.lookup.entry
    }

    /// Calls any method and returns the whole context (result, dispatch, http).
    pub async fn call(
        &self,
        method: Method,
        id: Option<Id>,
        data: Value,
        params: Params,
    ) -> Result<HookContext> {
        self.app.call(&self.lookup, method, id, data, params).await
    }

    /// `get` of a record the caller has already read: the hooks of `get` run for
    /// `params` (a client's, say), the method does not, as when a before hook sets the
    /// result. The context answers the record as `get` would answer it to that caller
    /// (`into_client_result`), without reading it a second time.
    pub async fn get_loaded(&self, id: Id, record: Value, params: Params) -> Result<HookContext> {
        let mut call =
            self.app
                .prepare_call(&self.lookup, Method::Get, Some(id), Value::Null, params);
        call.context_mut().result = Some(record);
        call.run().await.map(|ctx| *ctx)
    }

    async fn call_result(
        &self,
        method: Method,
        id: Option<Id>,
        data: Value,
        params: Params,
    ) -> Result<Value> {
        Ok(self
            .call(method, id, data, params)
            .await?
            .result
            .unwrap_or(Value::Null))
    }

    /// Calls `find` through hooks.
    pub async fn find(&self, params: Params) -> Result<Value> {
        self.call_result(Method::Find, None, Value::Null, params)
            .await
    }

    /// Calls `get` through hooks.
    pub async fn get(&self, id: impl Into<Id>, params: Params) -> Result<Value> {
        self.call_result(Method::Get, Some(id.into()), Value::Null, params)
            .await
    }

    /// Calls `create` through hooks; it emits `created`.
    pub async fn create(&self, data: Value, params: Params) -> Result<Value> {
        self.call_result(Method::Create, None, data, params).await
    }

    /// Calls `update` through hooks; it emits `updated`.
    pub async fn update(&self, id: impl Into<Id>, data: Value, params: Params) -> Result<Value> {
        self.call_result(Method::Update, Some(id.into()), data, params)
            .await
    }

    /// Patches one record, or every record matching the query when `id` is `None`.
    pub async fn patch(&self, id: Option<Id>, data: Value, params: Params) -> Result<Value> {
        self.call_result(Method::Patch, id, data, params).await
    }

    /// Removes one record, or every record matching the query when `id` is `None`.
    pub async fn remove(&self, id: Option<Id>, params: Params) -> Result<Value> {
        self.call_result(Method::Remove, id, Value::Null, params)
            .await
    }

    /// Calls a custom method.
    pub async fn custom(&self, method: &str, data: Value, params: Params) -> Result<Value> {
        self.call_result(Method::custom(method), None, data, params)
            .await
    }

    /// Calls `listener` for each `event` of this service (`"created"`, ...).
    pub fn on(
        &self,
        event: &str,
        listener: impl Fn(&ServiceEvent) + Send + Sync + 'static,
    ) -> ListenerId {
        self.lookup
            .entry
            .emitter
            .on(Some(event.to_owned()), Arc::new(listener))
    }

    /// Calls `listener` for every event of this service.
    pub fn on_any(&self, listener: impl Fn(&ServiceEvent) + Send + Sync + 'static) -> ListenerId {
        self.lookup.entry.emitter.on(None, Arc::new(listener))
    }

    /// Removes a listener; false when it was not there.
    pub fn off(&self, id: ListenerId) -> bool {
        self.lookup.entry.emitter.off(id)
    }

    /// A stream of this service's `event` events.
    pub fn subscribe(&self, event: &str) -> EventStream {
        self.lookup.entry.emitter.subscribe(Some(event.to_owned()))
    }

    /// A stream of every event of this service.
    pub fn subscribe_all(&self) -> EventStream {
        self.lookup.entry.emitter.subscribe(None)
    }

    /// Emits an event the service declared (`#[service("x", events = ["typing"])]`),
    /// or one of the four standard events.
    pub fn emit(&self, event: &str, data: Value) -> Result<()> {
        if !self.lookup.entry.has_event(event) {
            return Err(Error::general(format!(
                "'{event}' is not an event of service '{}'; declare it with events = [..]",
                self.path()
            )));
        }
        self.lookup
            .entry
            .emitter
            .emit(event.to_owned(), data, None, None);
        Ok(())
    }
}

/// A service found by its Rust type, called with Rust types (`app.typed::<Messages>()`).
pub struct Typed<S> {
    inner: ServiceRef,
    _service: PhantomData<fn() -> S>,
}

impl<S> std::fmt::Debug for Typed<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Typed").field(&self.inner.path()).finish()
    }
}

impl<S> Clone for Typed<S> {
    fn clone(&self) -> Self {
        Typed {
            inner: self.inner.clone(),
            _service: PhantomData,
        }
    }
}

fn to_json(data: &impl Serialize) -> Result<Value> {
    serde_json::to_value(data).map_err(|err| Error::bad_request(format!("Invalid data: {err}")))
}

fn from_json<R: DeserializeOwned>(value: Value) -> Result<R> {
    serde_json::from_value(value).map_err(|err| Error::general(format!("Unexpected result: {err}")))
}

impl<S: NamedService> Typed<S> {
    pub(crate) fn new(inner: ServiceRef) -> Typed<S> {
        Typed {
            inner,
            _service: PhantomData,
        }
    }

    /// The JSON handle of the same service.
    pub fn untyped(&self) -> &ServiceRef {
        &self.inner
    }

    /// `find`, its result read as `R`.
    pub async fn find<R: DeserializeOwned>(&self, params: Params) -> Result<R> {
        from_json(self.inner.find(params).await?)
    }

    /// `get`, its result read as `R`.
    pub async fn get<R: DeserializeOwned>(&self, id: impl Into<Id>, params: Params) -> Result<R> {
        from_json(self.inner.get(id, params).await?)
    }

    /// `create`, its result read as `R`.
    pub async fn create<R: DeserializeOwned>(
        &self,
        data: &impl Serialize,
        params: Params,
    ) -> Result<R> {
        from_json(self.inner.create(to_json(data)?, params).await?)
    }

    /// `update`, its result read as `R`.
    pub async fn update<R: DeserializeOwned>(
        &self,
        id: impl Into<Id>,
        data: &impl Serialize,
        params: Params,
    ) -> Result<R> {
        from_json(self.inner.update(id, to_json(data)?, params).await?)
    }

    /// `patch`, its result read as `R`.
    pub async fn patch<R: DeserializeOwned>(
        &self,
        id: Option<Id>,
        data: &impl Serialize,
        params: Params,
    ) -> Result<R> {
        from_json(self.inner.patch(id, to_json(data)?, params).await?)
    }

    /// `remove`, its result read as `R`.
    pub async fn remove<R: DeserializeOwned>(&self, id: Option<Id>, params: Params) -> Result<R> {
        from_json(self.inner.remove(id, params).await?)
    }

    /// A custom method, its result read as `R`.
    pub async fn custom<R: DeserializeOwned>(
        &self,
        method: &str,
        data: &impl Serialize,
        params: Params,
    ) -> Result<R> {
        from_json(self.inner.custom(method, to_json(data)?, params).await?)
    }
}

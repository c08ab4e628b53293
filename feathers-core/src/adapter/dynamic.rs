//! [`DynAdapter`]: an adapter chosen at run time (memory in tests, SQL in production)
//! behind one type, so that a service can hold either and delegate to it.

use std::sync::Arc;

use feathers_query::{Paginate, Query};
use futures_util::future::BoxFuture;
use serde_json::{Map, Value};

use super::options::AdapterOptions;
use super::records::{Adapter, Found};
use crate::error::Result;
use crate::id::Id;
use crate::params::Params;

/// Any [`Adapter`], type-erased; a clone shares the adapter. It is an adapter itself,
/// so it is a `Service`, has the typed methods of
/// [`AdapterExt`](super::AdapterExt) and can be a `delegate = field`:
///
/// ```
/// # use feathers_core::adapter::{Adapter, DynAdapter};
/// fn store(adapter: impl Adapter) -> DynAdapter {
///     DynAdapter::new(adapter)
/// }
/// ```
#[derive(Clone)]
pub struct DynAdapter(Arc<dyn ErasedAdapter>);

impl DynAdapter {
    /// Erases `adapter`.
    pub fn new(adapter: impl Adapter) -> DynAdapter {
        DynAdapter(Arc::new(adapter))
    }
}

impl std::fmt::Debug for DynAdapter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DynAdapter")
            .field("name", &self.0.name())
            .field("options", self.0.adapter_options())
            .finish()
    }
}

impl Adapter for DynAdapter {
    fn name(&self) -> &'static str {
        self.0.name()
    }

    fn adapter_options(&self) -> &AdapterOptions {
        self.0.adapter_options()
    }

    fn parse_query(&self, params: &Params, paginate: Option<Paginate>) -> Result<Query> {
        self.0.parse_query(params, paginate)
    }

    async fn find_records(&self, query: &Query, params: &Params) -> Result<Found> {
        self.0.find_records(query, params).await
    }

    async fn get_record(&self, id: &Id, query: &Query, params: &Params) -> Result<Value> {
        self.0.get_record(id, query, params).await
    }

    async fn create_records(
        &self,
        records: &[&Map<String, Value>],
        query: &Query,
        params: &Params,
    ) -> Result<Vec<Value>> {
        self.0.create_records(records, query, params).await
    }

    async fn update_record(
        &self,
        id: &Id,
        record: &Map<String, Value>,
        query: &Query,
        params: &Params,
    ) -> Result<Value> {
        self.0.update_record(id, record, query, params).await
    }

    async fn patch_records(
        &self,
        id: Option<&Id>,
        changes: &Map<String, Value>,
        query: &Query,
        params: &Params,
    ) -> Result<Vec<Value>> {
        self.0.patch_records(id, changes, query, params).await
    }

    async fn remove_records(
        &self,
        id: Option<&Id>,
        query: &Query,
        params: &Params,
    ) -> Result<Vec<Value>> {
        self.0.remove_records(id, query, params).await
    }
}

/// An [`Adapter`] whose futures are boxed, to be held as `dyn`.
trait ErasedAdapter: Send + Sync + 'static {
    fn name(&self) -> &'static str;
    fn adapter_options(&self) -> &AdapterOptions;
    fn parse_query(&self, params: &Params, paginate: Option<Paginate>) -> Result<Query>;
    fn find_records<'a>(
        &'a self,
        query: &'a Query,
        params: &'a Params,
    ) -> BoxFuture<'a, Result<Found>>;
    fn get_record<'a>(
        &'a self,
        id: &'a Id,
        query: &'a Query,
        params: &'a Params,
    ) -> BoxFuture<'a, Result<Value>>;
    fn create_records<'a>(
        &'a self,
        records: &'a [&'a Map<String, Value>],
        query: &'a Query,
        params: &'a Params,
    ) -> BoxFuture<'a, Result<Vec<Value>>>;
    fn update_record<'a>(
        &'a self,
        id: &'a Id,
        record: &'a Map<String, Value>,
        query: &'a Query,
        params: &'a Params,
    ) -> BoxFuture<'a, Result<Value>>;
    fn patch_records<'a>(
        &'a self,
        id: Option<&'a Id>,
        changes: &'a Map<String, Value>,
        query: &'a Query,
        params: &'a Params,
    ) -> BoxFuture<'a, Result<Vec<Value>>>;
    fn remove_records<'a>(
        &'a self,
        id: Option<&'a Id>,
        query: &'a Query,
        params: &'a Params,
    ) -> BoxFuture<'a, Result<Vec<Value>>>;
}

impl<A: Adapter> ErasedAdapter for A {
    fn name(&self) -> &'static str {
        Adapter::name(self)
    }

    fn adapter_options(&self) -> &AdapterOptions {
        Adapter::adapter_options(self)
    }

    fn parse_query(&self, params: &Params, paginate: Option<Paginate>) -> Result<Query> {
        Adapter::parse_query(self, params, paginate)
    }

    fn find_records<'a>(
        &'a self,
        query: &'a Query,
        params: &'a Params,
    ) -> BoxFuture<'a, Result<Found>> {
        Box::pin(Adapter::find_records(self, query, params))
    }

    fn get_record<'a>(
        &'a self,
        id: &'a Id,
        query: &'a Query,
        params: &'a Params,
    ) -> BoxFuture<'a, Result<Value>> {
        Box::pin(Adapter::get_record(self, id, query, params))
    }

    fn create_records<'a>(
        &'a self,
        records: &'a [&'a Map<String, Value>],
        query: &'a Query,
        params: &'a Params,
    ) -> BoxFuture<'a, Result<Vec<Value>>> {
        Box::pin(Adapter::create_records(self, records, query, params))
    }

    fn update_record<'a>(
        &'a self,
        id: &'a Id,
        record: &'a Map<String, Value>,
        query: &'a Query,
        params: &'a Params,
    ) -> BoxFuture<'a, Result<Value>> {
        Box::pin(Adapter::update_record(self, id, record, query, params))
    }

    fn patch_records<'a>(
        &'a self,
        id: Option<&'a Id>,
        changes: &'a Map<String, Value>,
        query: &'a Query,
        params: &'a Params,
    ) -> BoxFuture<'a, Result<Vec<Value>>> {
        Box::pin(Adapter::patch_records(self, id, changes, query, params))
    }

    fn remove_records<'a>(
        &'a self,
        id: Option<&'a Id>,
        query: &'a Query,
        params: &'a Params,
    ) -> BoxFuture<'a, Result<Vec<Value>>> {
        Box::pin(Adapter::remove_records(self, id, query, params))
    }
}

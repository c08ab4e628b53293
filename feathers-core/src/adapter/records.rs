//! [`Adapter`]: what a database adapter implements, its storage operations on records
//! the shared layer has already checked; and [`Found`], what `find` answers.

use std::future::Future;

use feathers_query::{Paginate, Query};
use serde_json::{Map, Value};

use super::options::AdapterOptions;
use crate::error::Result;
use crate::id::Id;
use crate::params::Params;

/// What [`Adapter::find_records`] answers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Found {
    /// The page: the matching records after `$skip` and `$limit`, with the `$select`ed
    /// fields.
    pub data: Vec<Value>,
    /// How many records match in all, when the query is paginated (`query.paginate`
    /// is set). An adapter may leave it `None` otherwise, and skip the counting.
    pub total: Option<u64>,
}

/// A database adapter: where records are kept, and how a query finds them.
///
/// The adapter implements the storage operations below; everything Feathers' adapters
/// share is done once, before and after them: the method match, `multi`, data that is
/// an object without `$` keys, pagination, the page `{total, limit, skip, data}` and
/// one record or an array. Every adapter is a [`Service`](crate::Service), has the
/// typed methods of [`AdapterExt`](super::AdapterExt), and can be the
/// `delegate = field` of a `#[service]`.
///
/// ```
/// # use feathers_core::adapter::{Adapter, AdapterExt, AdapterOptions, Found};
/// # use feathers_core::query::Query;
/// # use feathers_core::{App, Error, Id, Params, Result};
/// # use serde_json::{json, Map, Value};
/// /// An adapter with one record that never changes.
/// struct Fixed(AdapterOptions);
///
/// impl Adapter for Fixed {
///     fn name(&self) -> &'static str {
///         "fixed"
///     }
///     fn adapter_options(&self) -> &AdapterOptions {
///         &self.0
///     }
///     async fn find_records(&self, _: &Query, _: &Params) -> Result<Found> {
///         Ok(Found { data: vec![json!({"id": 1})], total: Some(1) })
///     }
///     async fn get_record(&self, _: &Id, _: &Query, _: &Params) -> Result<Value> {
///         Ok(json!({"id": 1}))
///     }
///     async fn create_records(
///         &self,
///         _: &[&Map<String, Value>],
///         _: &Query,
///         _: &Params,
///     ) -> Result<Vec<Value>> {
///         Err(Error::forbidden("read only"))
///     }
///     async fn update_record(
///         &self,
///         _: &Id,
///         _: &Map<String, Value>,
///         _: &Query,
///         _: &Params,
///     ) -> Result<Value> {
///         Err(Error::forbidden("read only"))
///     }
///     async fn patch_records(
///         &self,
///         _: Option<&Id>,
///         _: &Map<String, Value>,
///         _: &Query,
///         _: &Params,
///     ) -> Result<Vec<Value>> {
///         Err(Error::forbidden("read only"))
///     }
///     async fn remove_records(&self, _: Option<&Id>, _: &Query, _: &Params) -> Result<Vec<Value>> {
///         Err(Error::forbidden("read only"))
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<()> {
/// let fixed = Fixed(AdapterOptions::default());
/// assert_eq!(fixed.find(&Params::default()).await?, json!([{"id": 1}]));
/// let app = App::builder().service_at("fixed", fixed).build()?;
/// assert!(app.service("fixed")?.create(json!({}), Params::default()).await.is_err());
/// # Ok(()) }
/// ```
pub trait Adapter: Send + Sync + 'static {
    /// The adapter's name in messages ("memory", "SQL").
    fn name(&self) -> &'static str;

    /// The options every adapter shares.
    fn adapter_options(&self) -> &AdapterOptions;

    /// A call's query, parsed, with `paginate` in effect for `find` (`None` for the other
    /// methods). The default reads `params.query` with Feathers' syntax; an adapter may
    /// check more (the SQL adapter bounds the width of conditions).
    fn parse_query(&self, params: &Params, paginate: Option<Paginate>) -> Result<Query> {
        params.parse_query(paginate)
    }

    /// `find`: the records matching `query`, filtered, sorted, skipped, limited and
    /// selected, with their total when the query is paginated.
    fn find_records(
        &self,
        query: &Query,
        params: &Params,
    ) -> impl Future<Output = Result<Found>> + Send;

    /// `get`: the record with this id if it matches `query`; NotFound otherwise.
    fn get_record(
        &self,
        id: &Id,
        query: &Query,
        params: &Params,
    ) -> impl Future<Output = Result<Value>> + Send;

    /// `create`: stores each record (objects without `$` keys, one unless `multi`
    /// allows more) and answers them as stored and selected, in order. A missing or
    /// falsy id is the adapter's to make.
    fn create_records(
        &self,
        records: &[&Map<String, Value>],
        query: &Query,
        params: &Params,
    ) -> impl Future<Output = Result<Vec<Value>>> + Send;

    /// `update`: replaces the record with this id, keeping its id, if it matches
    /// `query`; NotFound otherwise.
    fn update_record(
        &self,
        id: &Id,
        record: &Map<String, Value>,
        query: &Query,
        params: &Params,
    ) -> impl Future<Output = Result<Value>> + Send;

    /// `patch`: merges `changes` (without their id field) into the record with this id
    /// (NotFound unless it matches `query`), or with `None` into every record matching
    /// `query`; answers the records changed.
    fn patch_records(
        &self,
        id: Option<&Id>,
        changes: &Map<String, Value>,
        query: &Query,
        params: &Params,
    ) -> impl Future<Output = Result<Vec<Value>>> + Send;

    /// `remove`: removes the record with this id (NotFound unless it matches `query`),
    /// or with `None` every record matching `query`; answers the records removed.
    fn remove_records(
        &self,
        id: Option<&Id>,
        query: &Query,
        params: &Params,
    ) -> impl Future<Output = Result<Vec<Value>>> + Send;
}

//! The shared half of every adapter's methods, written once: `multi`, the checks of
//! data, pagination, the page and one-or-many answers around the adapter's storage
//! operations. [`AdapterExt`] gives them to every adapter as typed methods; the
//! `Service` implementation calls them with the call's own id and data.

use std::future::Future;

use serde_json::{json, Value};

use super::commons::{check_data, one_or_many, replace_many};
use super::records::Adapter;
use crate::error::Result;
use crate::id::Id;
use crate::method::Method;
use crate::params::Params;

/// `find`: a page `{total, limit, skip, data}` when paginated, else an array.
pub(super) async fn find<A: Adapter + ?Sized>(adapter: &A, params: &Params) -> Result<Value> {
    let paginate = adapter.adapter_options().paginate_for(params);
    let query = adapter.parse_query(params, paginate)?;
    let found = adapter.find_records(&query, params).await?;
    Ok(match query.paginate {
        Some(_) => {
            let counted = u64::try_from(found.data.len()).unwrap_or(u64::MAX);
            json!({
                "total": found.total.unwrap_or(counted),
                "limit": query.filters.limit,
                "skip": query.filters.skip,
                "data": found.data,
            })
        }
        None => Value::Array(found.data),
    })
}

/// `get`: the record with this id, if it matches `params.query`.
pub(super) async fn get<A: Adapter + ?Sized>(
    adapter: &A,
    id: &Id,
    params: &Params,
) -> Result<Value> {
    let query = adapter.parse_query(params, None)?;
    adapter.get_record(id, &query, params).await
}

/// `create`: one object, or with `multi` an array of them.
pub(super) async fn create<A: Adapter + ?Sized>(
    adapter: &A,
    data: &Value,
    params: &Params,
) -> Result<Value> {
    let many = data.is_array();
    adapter
        .adapter_options()
        .multi
        .check(&Method::Create, many)?;
    let query = adapter.parse_query(params, None)?;
    let created = match data {
        Value::Array(items) => {
            let records = items
                .iter()
                .map(|item| check_data(item, "create", adapter.name()))
                .collect::<Result<Vec<_>>>()?;
            adapter.create_records(&records, &query, params).await?
        }
        item => {
            let record = check_data(item, "create", adapter.name())?;
            let records = std::slice::from_ref(&record);
            adapter.create_records(records, &query, params).await?
        }
    };
    Ok(one_or_many(created, many))
}

/// `update`: one object for one id.
pub(super) async fn update<A: Adapter + ?Sized>(
    adapter: &A,
    id: &Id,
    data: &Value,
    params: &Params,
) -> Result<Value> {
    if data.is_array() {
        return Err(replace_many());
    }
    let record = check_data(data, "update", adapter.name())?;
    let query = adapter.parse_query(params, None)?;
    adapter.update_record(id, record, &query, params).await
}

/// `patch`: one id, or with `multi` and `None` every matching record.
pub(super) async fn patch<A: Adapter + ?Sized>(
    adapter: &A,
    id: Option<&Id>,
    data: &Value,
    params: &Params,
) -> Result<Value> {
    let many = id.is_none();
    adapter
        .adapter_options()
        .multi
        .check(&Method::Patch, many)?;
    let changes = check_data(data, "patch", adapter.name())?;
    let query = adapter.parse_query(params, None)?;
    let patched = adapter.patch_records(id, changes, &query, params).await?;
    Ok(one_or_many(patched, many))
}

/// `remove`: one id, or with `multi` and `None` every matching record.
pub(super) async fn remove<A: Adapter + ?Sized>(
    adapter: &A,
    id: Option<&Id>,
    params: &Params,
) -> Result<Value> {
    let many = id.is_none();
    adapter
        .adapter_options()
        .multi
        .check(&Method::Remove, many)?;
    let query = adapter.parse_query(params, None)?;
    let removed = adapter.remove_records(id, &query, params).await?;
    Ok(one_or_many(removed, many))
}

/// The typed methods of every [`Adapter`], for services of one's own that hold one
/// (or delegate to it) and for code that calls it without hooks or events. They answer
/// exactly what a call through the service answers.
///
/// ```
/// # use feathers_core::adapter::AdapterExt;
/// # use feathers_core::{Params, Result};
/// # use serde_json::{json, Value};
/// async fn add_and_count(store: &impl AdapterExt) -> Result<usize> {
///     store.create(json!({"text": "hi"}), &Params::default()).await?;
///     let all = store.find(&Params::default()).await?;
///     Ok(all.as_array().map_or(0, Vec::len))
/// }
/// ```
pub trait AdapterExt: Adapter {
    /// `find`: the records matching `params.query`; a page `{total, limit, skip, data}`
    /// when paginated, else an array.
    fn find(&self, params: &Params) -> impl Future<Output = Result<Value>> + Send {
        find(self, params)
    }

    /// `get`: the record with this id, if it matches `params.query`; NotFound otherwise.
    fn get(
        &self,
        id: impl Into<Id>,
        params: &Params,
    ) -> impl Future<Output = Result<Value>> + Send {
        let id = id.into();
        async move { get(self, &id, params).await }
    }

    /// `create`: stores the record (or, with multi, each record of an array) and
    /// answers it.
    fn create(&self, data: Value, params: &Params) -> impl Future<Output = Result<Value>> + Send {
        async move { create(self, &data, params).await }
    }

    /// `update`: replaces the record, keeping its id, if it matches `params.query`.
    fn update(
        &self,
        id: impl Into<Id>,
        data: Value,
        params: &Params,
    ) -> impl Future<Output = Result<Value>> + Send {
        let id = id.into();
        async move { update(self, &id, &data, params).await }
    }

    /// `patch`: merges `data` into the record (or, with `None` and multi, into every
    /// record matching `params.query`). An id field in `data` is ignored.
    fn patch(
        &self,
        id: Option<Id>,
        data: Value,
        params: &Params,
    ) -> impl Future<Output = Result<Value>> + Send {
        async move { patch(self, id.as_ref(), &data, params).await }
    }

    /// `remove`: removes the record (or, with `None` and multi, every record matching
    /// `params.query`) and answers what was removed.
    fn remove(
        &self,
        id: Option<Id>,
        params: &Params,
    ) -> impl Future<Output = Result<Value>> + Send {
        async move { remove(self, id.as_ref(), params).await }
    }
}

impl<A: Adapter> AdapterExt for A {}

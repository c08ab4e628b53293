//! `find`, `get`, `create`, `update`, `patch` and `remove` of a [`SqlService`]: each
//! checks its call, runs its statement and answers the records as Feathers does.

use feathers_core::adapter::{check_data, not_found, one_or_many, replace_many};
use feathers_core::query::compare::compare_values;
use feathers_core::{Id, Method, Params, Result};
use serde_json::json;
use serde_json::{Map, Value};

use super::ids::id_bind;
use super::state::SqlService;
use crate::clauses::selected_columns;
use crate::exec::{fetch, fetch_count, fetch_in_transaction};
use crate::statement::Bind;

impl SqlService {
    /// `find`: the matching records, filtered, sorted, skipped, limited and selected;
    /// a page `{total, limit, skip, data}` when paginated, else an array.
    pub async fn find(&self, params: &Params) -> Result<Value> {
        let inner = &self.inner;
        let query = self.parse_query(params, inner.options.paginate_for(params))?;
        let typing = params.typing();
        let columns = selected_columns(
            &inner.schema,
            query.filters.select.as_deref(),
            &inner.id.name,
        )?;
        let sql = self.select_statement(&query, typing, &columns)?;
        let data = if query.filters.limit == Some(0) {
            Vec::new()
        } else {
            fetch(&inner.pool, self.table(), &sql, &columns).await?
        };
        let data: Vec<Value> = data.into_iter().map(|r| self.shown(r)).collect();
        if query.paginate.is_none() {
            return Ok(Value::Array(data));
        }
        let count = self.count_statement(&query, typing)?;
        let total = fetch_count(&inner.pool, self.table(), &count).await?;
        Ok(json!({
            "total": total,
            "limit": query.filters.limit,
            "skip": query.filters.skip,
            "data": data,
        }))
    }

    /// `get`: the record with this id if it matches `params.query`; NotFound otherwise.
    pub async fn get(&self, id: impl Into<Id>, params: &Params) -> Result<Value> {
        let id = id.into();
        let inner = &self.inner;
        let query = self.parse_query(params, None)?;
        let columns = selected_columns(
            &inner.schema,
            query.filters.select.as_deref(),
            &inner.id.name,
        )?;
        let id_bind = id_bind(&inner.id, &id).ok_or_else(|| not_found(Some(&id)))?;
        let sql = self.get_statement(&query, params.typing(), id_bind, &columns)?;
        let mut rows = fetch(&inner.pool, self.table(), &sql, &columns).await?;
        match rows.pop() {
            Some(record) => Ok(self.shown(record)),
            None => Err(not_found(Some(&id))),
        }
    }

    /// `create`: inserts the record (or, with multi, each record of an array, in one
    /// transaction) and answers it as stored. A missing or falsy id is left to the
    /// database (or generated, with [`IdGeneration::Uuid`](crate::IdGeneration::Uuid)).
    pub async fn create(&self, data: Value, params: &Params) -> Result<Value> {
        let inner = &self.inner;
        let many = data.is_array();
        inner.options.multi.check(&Method::Create, many)?;
        let query = self.parse_query(params, None)?;
        let columns = selected_columns(
            &inner.schema,
            query.filters.select.as_deref(),
            &inner.id.name,
        )?;
        let items: Vec<&Value> = match &data {
            Value::Array(items) => items.iter().collect(),
            item => vec![item],
        };
        let statements = items
            .into_iter()
            .map(|item| self.insert_statement(item, &columns))
            .collect::<Result<Vec<_>>>()?;
        let created: Vec<Value> = match statements.as_slice() {
            [] => Vec::new(),
            [one] if !many => fetch(&inner.pool, self.table(), one, &columns)
                .await?
                .into_iter()
                .map(|r| self.shown(r))
                .collect(),
            all => fetch_in_transaction(&inner.pool, self.table(), all, &columns)
                .await?
                .into_iter()
                .flatten()
                .map(|r| self.shown(r))
                .collect(),
        };
        Ok(one_or_many(created, many))
    }

    /// `update`: replaces the record's columns (those not in `data` become NULL),
    /// keeping its id, if it matches `params.query`.
    pub async fn update(&self, id: impl Into<Id>, data: Value, params: &Params) -> Result<Value> {
        let id = id.into();
        let inner = &self.inner;
        if data.is_array() {
            return Err(replace_many());
        }
        let record = check_data(&data, "update", "SQL")?;
        let query = self.parse_query(params, None)?;
        let columns = selected_columns(
            &inner.schema,
            query.filters.select.as_deref(),
            &inner.id.name,
        )?;
        self.check_fields(record)?;
        let mut values = Map::new();
        for column in &inner.schema.columns {
            if column.name != inner.id.name {
                values.insert(
                    column.name.clone(),
                    record.get(&column.name).cloned().unwrap_or(Value::Null),
                );
            }
        }
        let id_bind = id_bind(&inner.id, &id).ok_or_else(|| not_found(Some(&id)))?;
        let sql =
            self.update_statement(&values, &query, params.typing(), Some(id_bind), &columns)?;
        let mut rows = fetch(&inner.pool, self.table(), &sql, &columns).await?;
        match rows.pop() {
            Some(record) => Ok(self.shown(record)),
            None => Err(not_found(Some(&id))),
        }
    }

    /// `patch`: sets the columns in `data` on the record (or, with `None` and multi,
    /// on every record matching `params.query`) and answers what changed. An id in
    /// `data` is ignored. A patch of many records is one `UPDATE .. RETURNING`: it
    /// changes and answers exactly the rows that matched when it ran.
    pub async fn patch(&self, id: Option<Id>, data: Value, params: &Params) -> Result<Value> {
        let inner = &self.inner;
        let many = id.is_none();
        inner.options.multi.check(&Method::Patch, many)?;
        let changes = check_data(&data, "patch", "SQL")?;
        let query = self.parse_query(params, None)?;
        let columns = selected_columns(
            &inner.schema,
            query.filters.select.as_deref(),
            &inner.id.name,
        )?;
        self.check_fields(changes)?;
        let mut values = changes.clone();
        values.remove(&inner.id.name);
        let id_bind = self.optional_id_bind(id.as_ref())?;
        let sql = self.update_statement(&values, &query, params.typing(), id_bind, &columns)?;
        let rows = fetch(&inner.pool, self.table(), &sql, &columns).await?;
        self.answer_rows(rows, id.as_ref())
    }

    /// `remove`: deletes the record (or, with `None` and multi, every record matching
    /// `params.query`, in one `DELETE .. RETURNING`) and answers what was removed.
    pub async fn remove(&self, id: Option<Id>, params: &Params) -> Result<Value> {
        let inner = &self.inner;
        let many = id.is_none();
        inner.options.multi.check(&Method::Remove, many)?;
        let query = self.parse_query(params, None)?;
        let columns = selected_columns(
            &inner.schema,
            query.filters.select.as_deref(),
            &inner.id.name,
        )?;
        let id_bind = self.optional_id_bind(id.as_ref())?;
        let sql = self.delete_statement(&query, params.typing(), id_bind, &columns)?;
        let rows = fetch(&inner.pool, self.table(), &sql, &columns).await?;
        self.answer_rows(rows, id.as_ref())
    }

    /// The id of a patch or remove as a bound value: `None` for many records, NotFound
    /// for an id no record can have.
    fn optional_id_bind(&self, id: Option<&Id>) -> Result<Option<Bind>> {
        match id {
            Some(id) => Ok(Some(
                id_bind(&self.inner.id, id).ok_or_else(|| not_found(Some(id)))?,
            )),
            None => Ok(None),
        }
    }

    /// The rows a patch or remove changed: the one record for an id (NotFound when
    /// none), else all of them in id order.
    fn answer_rows(&self, rows: Vec<Map<String, Value>>, id: Option<&Id>) -> Result<Value> {
        let mut records: Vec<Value> = rows.into_iter().map(|r| self.shown(r)).collect();
        match id {
            Some(id) => records.pop().ok_or_else(|| not_found(Some(id))),
            None => {
                let field = &self.inner.id.name;
                records.sort_by(|a, b| compare_values(a.get(field), b.get(field)));
                Ok(Value::Array(records))
            }
        }
    }
}

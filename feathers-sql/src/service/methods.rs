//! [`Adapter`] for [`SqlService`]: the storage operations of `find`, `get`, `create`,
//! `update`, `patch` and `remove`, each running its statement and answering the records
//! as Feathers does. The checks, pagination and answers every adapter shares are the
//! core's.

use feathers_core::adapter::{not_found, Adapter, AdapterOptions, Found};
use feathers_core::query::compare::compare_values;
use feathers_core::query::{Paginate, Query};
use feathers_core::{Id, Params, Result};
use serde_json::{Map, Value};

use super::ids::id_bind;
use super::state::SqlService;
use crate::clauses::selected_columns;
use crate::column::Column;
use crate::exec::{fetch, fetch_count};
use crate::statement::Bind;

impl Adapter for SqlService {
    fn name(&self) -> &'static str {
        "SQL"
    }

    fn adapter_options(&self) -> &AdapterOptions {
        &self.inner.options.adapter
    }

    /// The call's query, parsed, with its conditions inside the width limits.
    fn parse_query(&self, params: &Params, paginate: Option<Paginate>) -> Result<Query> {
        let query = params.parse_query(paginate)?;
        self.inner
            .options
            .condition_limits
            .check(query.matcher.condition())?;
        Ok(query)
    }

    async fn find_records(&self, query: &Query, params: &Params) -> Result<Found> {
        let inner = &self.inner;
        let typing = params.typing();
        let columns = self.columns(query)?;
        let sql = self.select_statement(query, typing, &columns)?;
        let data = if query.filters.limit == Some(0) {
            Vec::new()
        } else {
            fetch(&inner.pool, self.table(), &sql, &columns).await?
        };
        let data: Vec<Value> = data.into_iter().map(|r| self.shown(r)).collect();
        let total = match query.paginate {
            None => None,
            Some(_) => {
                let count = self.count_statement(query, typing)?;
                Some(fetch_count(&inner.pool, self.table(), &count).await?)
            }
        };
        Ok(Found { data, total })
    }

    async fn get_record(&self, id: &Id, query: &Query, params: &Params) -> Result<Value> {
        let inner = &self.inner;
        let columns = self.columns(query)?;
        let id_bind = id_bind(&inner.id, id).ok_or_else(|| not_found(Some(id)))?;
        let sql = self.get_statement(query, params.typing(), id_bind, &columns)?;
        let mut rows = written(inner.write(vec![sql], &columns).await?);
        match rows.pop() {
            Some(record) => Ok(self.shown(record)),
            None => Err(not_found(Some(id))),
        }
    }

    /// Inserts each record (several in one transaction) and answers them as stored. A
    /// missing or falsy id is left to the database (or generated, with
    /// [`IdGeneration::Uuid`](crate::IdGeneration::Uuid)).
    async fn create_records(
        &self,
        records: &[&Map<String, Value>],
        query: &Query,
        _params: &Params,
    ) -> Result<Vec<Value>> {
        let inner = &self.inner;
        let columns = self.columns(query)?;
        let statements = records
            .iter()
            .map(|record| self.insert_statement(record, &columns))
            .collect::<Result<Vec<_>>>()?;
        let created = inner
            .write(statements, &columns)
            .await?
            .into_iter()
            .flatten()
            .map(|r| self.shown(r))
            .collect();
        Ok(created)
    }

    /// Replaces the record's columns (those not in `record` become NULL), keeping its id.
    async fn update_record(
        &self,
        id: &Id,
        record: &Map<String, Value>,
        query: &Query,
        params: &Params,
    ) -> Result<Value> {
        let inner = &self.inner;
        let columns = self.columns(query)?;
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
        let id_bind = id_bind(&inner.id, id).ok_or_else(|| not_found(Some(id)))?;
        let sql =
            self.update_statement(&values, query, params.typing(), Some(id_bind), &columns)?;
        let mut rows = written(inner.write(vec![sql], &columns).await?);
        match rows.pop() {
            Some(record) => Ok(self.shown(record)),
            None => Err(not_found(Some(id))),
        }
    }

    /// Sets the columns in `changes`. A patch of many records is one
    /// `UPDATE .. RETURNING`: it changes and answers exactly the rows that matched when
    /// it ran.
    async fn patch_records(
        &self,
        id: Option<&Id>,
        changes: &Map<String, Value>,
        query: &Query,
        params: &Params,
    ) -> Result<Vec<Value>> {
        let inner = &self.inner;
        let columns = self.columns(query)?;
        self.check_fields(changes)?;
        let mut values = changes.clone();
        values.remove(&inner.id.name);
        let id_bind = self.optional_id_bind(id)?;
        let sql = self.update_statement(&values, query, params.typing(), id_bind, &columns)?;
        let rows = written(inner.write(vec![sql], &columns).await?);
        self.answer_rows(rows, id)
    }

    /// Deletes the record, or every matching record in one `DELETE .. RETURNING`.
    async fn remove_records(
        &self,
        id: Option<&Id>,
        query: &Query,
        params: &Params,
    ) -> Result<Vec<Value>> {
        let inner = &self.inner;
        let columns = self.columns(query)?;
        let id_bind = self.optional_id_bind(id)?;
        let sql = self.delete_statement(query, params.typing(), id_bind, &columns)?;
        let rows = written(inner.write(vec![sql], &columns).await?);
        self.answer_rows(rows, id)
    }
}

impl SqlService {
    /// The columns a call answers: the `$select`ed ones and the id.
    fn columns(&self, query: &Query) -> Result<Vec<&Column>> {
        selected_columns(
            &self.inner.schema,
            query.filters.select.as_deref(),
            &self.inner.id.name,
        )
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
    fn answer_rows(&self, rows: Vec<Map<String, Value>>, id: Option<&Id>) -> Result<Vec<Value>> {
        let mut records: Vec<Value> = rows.into_iter().map(|r| self.shown(r)).collect();
        match id {
            Some(id) => match records.pop() {
                Some(record) => Ok(vec![record]),
                None => Err(not_found(Some(id))),
            },
            None => {
                let field = &self.inner.id.name;
                records.sort_by(|a, b| compare_values(a.get(field), b.get(field)));
                Ok(records)
            }
        }
    }
}

/// The rows of a single write statement.
fn written(mut answers: Vec<Vec<Map<String, Value>>>) -> Vec<Map<String, Value>> {
    answers.pop().unwrap_or_default()
}

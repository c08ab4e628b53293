//! [`SqlService`]: a Feathers service on one table, answering Feathers' query syntax
//! with SQL that binds every value.

use std::sync::Arc;

use feathers_core::adapter::{check_data, is_falsy, not_found, one_or_many, replace_many};
use feathers_core::query::compare::compare_values;
use feathers_core::query::{ConditionLimits, Paginate, Query, Typing};
use feathers_core::Multi;
use feathers_core::{Error, HookContext, Id, Method, Params, Result, Service};
use futures_util::future::BoxFuture;
use serde_json::json;
use serde_json::{Map, Value};

use crate::clauses::{limit_offset, order_by, select_list, selected_columns, where_clause};
use crate::dialect::quote;
use crate::exec::{fetch, fetch_count, fetch_in_transaction};
use crate::options::{IdGeneration, SqlOptions};
use crate::pool::SqlPool;
use crate::schema::{Column, ColumnKind, TableSchema};
use crate::statement::{Bind, Statement};
use crate::values::{data_value, SqlValue};

/// A service keeping its records in a SQL table (SQLite or PostgreSQL), with the
/// memory adapter's semantics and options. Build it with [`SqlService::builder`]:
///
/// ```no_run
/// use feathers_sql::SqlService;
///
/// # async fn demo() -> feathers_runtime::Result<()> {
/// let pool = feathers_sql::connect("sqlite://app.sqlite").await?;
/// let todos = SqlService::builder(pool, "todos")
///     .paginate(10, 50)
///     .multi(true)
///     .build()
///     .await?;
/// let app = feathers_runtime::App::builder().service_at("todos", todos).build()?;
/// # Ok(()) }
/// ```
///
/// A clone shares the pool and the table description, so a `#[service]` of your own
/// can hold one and call its methods.
#[derive(Clone)]
pub struct SqlService {
    inner: Arc<Inner>,
}

struct Inner {
    pool: SqlPool,
    schema: TableSchema,
    table_sql: String,
    options: SqlOptions,
    id: Column,
}

impl std::fmt::Debug for SqlService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlService")
            .field("table", &self.inner.schema.table)
            .field("dialect", &self.inner.pool.dialect())
            .field("options", &self.inner.options)
            .finish()
    }
}

/// Builds a [`SqlService`]: options first, then [`build`](Self::build) reads the
/// table's columns.
#[derive(Debug)]
pub struct SqlServiceBuilder {
    pool: SqlPool,
    table: String,
    options: SqlOptions,
}

impl SqlServiceBuilder {
    /// Names the id column (default `id`).
    pub fn id_field(mut self, name: impl Into<String>) -> SqlServiceBuilder {
        self.options.id_field = name.into();
        self
    }

    /// Who makes the ids of records created without one (default: the database).
    pub fn ids(mut self, ids: IdGeneration) -> SqlServiceBuilder {
        self.options.ids = ids;
        self
    }

    /// Paginates `find`: pages of `default` records, `$limit` up to `max`.
    pub fn paginate(self, default: u64, max: u64) -> SqlServiceBuilder {
        self.pagination(Some(Paginate::new(default, max)))
    }

    /// Sets or removes pagination.
    pub fn pagination(mut self, paginate: Option<Paginate>) -> SqlServiceBuilder {
        self.options.paginate = paginate.filter(Paginate::is_active);
        self
    }

    /// Which methods may act on many records: `true`, `false`, or a list such as
    /// `["create", "patch"]`.
    pub fn multi(mut self, multi: impl Into<Multi>) -> SqlServiceBuilder {
        self.options.multi = multi.into();
        self
    }

    /// Custom events the service may emit.
    pub fn events<I, S>(mut self, events: I) -> SqlServiceBuilder
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.options.events = events.into_iter().map(Into::into).collect();
        self
    }

    /// Leave NULL columns out of records instead of answering `null` (default off).
    pub fn omit_nulls(mut self, omit: bool) -> SqlServiceBuilder {
        self.options.omit_nulls = omit;
        self
    }

    /// How wide and deep a query's conditions may be (default: 100 terms in one
    /// `$or`, `$and` or query object, 10 levels). Past them a call is a 400 naming
    /// the limit, on SQLite and PostgreSQL alike.
    pub fn condition_limits(mut self, limits: ConditionLimits) -> SqlServiceBuilder {
        self.options.condition_limits = limits;
        self
    }

    /// Replaces every option.
    pub fn options(mut self, options: SqlOptions) -> SqlServiceBuilder {
        self.options = options;
        self
    }

    /// Reads the table's columns and answers the service. A table the database
    /// cannot describe, or one without the id column, is an error naming it: call
    /// this at startup.
    pub async fn build(self) -> Result<SqlService> {
        let schema = TableSchema::load(&self.pool, &self.table).await?;
        let id = schema
            .column(&self.options.id_field)
            .cloned()
            .ok_or_else(|| {
                Error::general(format!(
                    "the id field '{}' is not a column of the table '{}' (its columns: {})",
                    self.options.id_field,
                    self.table,
                    schema
                        .columns
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
        Ok(SqlService {
            inner: Arc::new(Inner {
                table_sql: self.pool.dialect().table(&self.table),
                pool: self.pool,
                schema,
                options: self.options,
                id,
            }),
        })
    }
}

impl SqlService {
    /// Starts building a service on `table` (`schema.table` on PostgreSQL).
    pub fn builder(pool: impl Into<SqlPool>, table: impl Into<String>) -> SqlServiceBuilder {
        SqlServiceBuilder {
            pool: pool.into(),
            table: table.into(),
            options: SqlOptions::default(),
        }
    }

    /// The options in effect.
    pub fn options(&self) -> &SqlOptions {
        &self.inner.options
    }

    /// The table's columns, as read when the service was built.
    pub fn schema(&self) -> &TableSchema {
        &self.inner.schema
    }

    /// The pool.
    pub fn pool(&self) -> &SqlPool {
        &self.inner.pool
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

    fn statement(&self) -> Statement {
        Statement::new(self.inner.pool.dialect())
    }

    fn table(&self) -> &str {
        &self.inner.schema.table
    }

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
        let mut sql = self.statement();
        let conditions = where_clause(&inner.schema, &query, typing, None, &mut sql)?;
        let order = order_by(
            &inner.schema,
            query.filters.sort.as_ref(),
            &inner.id,
            &mut sql,
        )?;
        let limits = limit_offset(query.filters.limit, query.filters.skip, &mut sql);
        sql.text = format!(
            "SELECT {} FROM {}{conditions}{order}{limits}",
            select_list(sql.dialect, &columns),
            inner.table_sql
        );
        let data = if query.filters.limit == Some(0) {
            Vec::new()
        } else {
            fetch(&inner.pool, self.table(), &sql, &columns).await?
        };
        let data: Vec<Value> = data.into_iter().map(|r| self.shown(r)).collect();
        if query.paginate.is_none() {
            return Ok(Value::Array(data));
        }
        let mut count = self.statement();
        let conditions = where_clause(&inner.schema, &query, typing, None, &mut count)?;
        count.text = format!("SELECT COUNT(*) FROM {}{conditions}", inner.table_sql);
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
        let id_bind = self.id_bind(&id).ok_or_else(|| not_found(Some(&id)))?;
        let mut sql = self.statement();
        let conditions = where_clause(
            &inner.schema,
            &query,
            params.typing(),
            Some((&inner.id, id_bind)),
            &mut sql,
        )?;
        sql.text = format!(
            "SELECT {} FROM {}{conditions}",
            select_list(sql.dialect, &columns),
            inner.table_sql
        );
        let mut rows = fetch(&inner.pool, self.table(), &sql, &columns).await?;
        match rows.pop() {
            Some(record) => Ok(self.shown(record)),
            None => Err(not_found(Some(&id))),
        }
    }

    /// `create`: inserts the record (or, with multi, each record of an array, in one
    /// transaction) and answers it as stored. A missing or falsy id is left to the
    /// database (or generated, with [`IdGeneration::Uuid`]).
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
            .map(|item| self.insert(item, &columns))
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
        let id_bind = self.id_bind(&id).ok_or_else(|| not_found(Some(&id)))?;
        let sql = self.changing(&values, &query, params.typing(), Some(id_bind), &columns)?;
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
        let id_bind = match &id {
            Some(id) => Some(self.id_bind(id).ok_or_else(|| not_found(Some(id)))?),
            None => None,
        };
        let sql = self.changing(&values, &query, params.typing(), id_bind, &columns)?;
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
        let id_bind = match &id {
            Some(id) => Some(self.id_bind(id).ok_or_else(|| not_found(Some(id)))?),
            None => None,
        };
        let mut sql = self.statement();
        let conditions = where_clause(
            &inner.schema,
            &query,
            params.typing(),
            id_bind.map(|bind| (&inner.id, bind)),
            &mut sql,
        )?;
        sql.text = format!(
            "DELETE FROM {}{conditions} RETURNING {}",
            inner.table_sql,
            select_list(sql.dialect, &columns)
        );
        let rows = fetch(&inner.pool, self.table(), &sql, &columns).await?;
        self.answer_rows(rows, id.as_ref())
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

    /// `UPDATE table SET .. WHERE .. RETURNING ..`.
    fn changing(
        &self,
        values: &Map<String, Value>,
        query: &Query,
        typing: Typing,
        id: Option<Bind>,
        columns: &[&Column],
    ) -> Result<Statement> {
        let inner = &self.inner;
        let mut sql = self.statement();
        let mut sets = Vec::with_capacity(values.len());
        for (name, value) in values {
            let column = inner.schema.require(name)?;
            let assigned = match data_value(column, value)? {
                SqlValue::Null => "NULL".to_owned(),
                SqlValue::Bound(bind) => {
                    let placeholder = sql.bind(bind);
                    sql.dialect.stored(column, &placeholder)
                }
            };
            sets.push(format!("{} = {assigned}", quote(name)));
        }
        if sets.is_empty() {
            let id = quote(&inner.id.name);
            sets.push(format!("{id} = {id}"));
        }
        let conditions = where_clause(
            &inner.schema,
            query,
            typing,
            id.map(|bind| (&inner.id, bind)),
            &mut sql,
        )?;
        sql.text = format!(
            "UPDATE {} SET {}{conditions} RETURNING {}",
            inner.table_sql,
            sets.join(", "),
            select_list(sql.dialect, columns)
        );
        Ok(sql)
    }

    /// `INSERT INTO table (..) VALUES (..) RETURNING ..` for one new record.
    fn insert(&self, item: &Value, columns: &[&Column]) -> Result<Statement> {
        let inner = &self.inner;
        let record = check_data(item, "create", "SQL")?;
        self.check_fields(record)?;
        let id_field = &inner.id.name;
        let mut names = Vec::with_capacity(record.len() + 1);
        let mut values = Vec::with_capacity(record.len() + 1);
        let mut sql = self.statement();
        let mut has_id = false;
        for (name, value) in record {
            if name == id_field {
                if is_falsy(value) {
                    continue;
                }
                if Id::from_value(value).is_err() || value.is_boolean() {
                    return Err(Error::bad_request(format!(
                        "Invalid id {value} in the field '{id_field}': ids are integers or strings"
                    )));
                }
                has_id = true;
            }
            let column = inner.schema.require(name)?;
            names.push(quote(name));
            values.push(match data_value(column, value)? {
                SqlValue::Null => "NULL".to_owned(),
                SqlValue::Bound(bind) => {
                    let placeholder = sql.bind(bind);
                    sql.dialect.stored(column, &placeholder)
                }
            });
        }
        if !has_id && inner.options.ids == IdGeneration::Uuid {
            names.push(quote(id_field));
            let placeholder = sql.bind(Bind::Text(uuid_v4()?));
            values.push(sql.dialect.stored(&inner.id, &placeholder));
        }
        let returning = select_list(sql.dialect, columns);
        sql.text = if names.is_empty() {
            format!(
                "INSERT INTO {} DEFAULT VALUES RETURNING {returning}",
                inner.table_sql
            )
        } else {
            format!(
                "INSERT INTO {} ({}) VALUES ({}) RETURNING {returning}",
                inner.table_sql,
                names.join(", "),
                values.join(", ")
            )
        };
        Ok(sql)
    }

    /// Every field of the data must be a column: a 400 naming the first that is not.
    fn check_fields(&self, record: &Map<String, Value>) -> Result<()> {
        for name in record.keys() {
            self.inner.schema.require(name)?;
        }
        Ok(())
    }

    /// The id as a value of the id column; `None` when it cannot be one (no record
    /// can have it).
    fn id_bind(&self, id: &Id) -> Option<Bind> {
        match (&self.inner.id.kind, id) {
            (ColumnKind::Integer, Id::Int(i)) => Some(Bind::Int(*i)),
            (ColumnKind::Integer, Id::Str(s)) => s.parse::<i64>().ok().map(Bind::Int),
            (ColumnKind::Float, _) => id.to_string().parse::<f64>().ok().map(Bind::Float),
            (ColumnKind::TextCast(name), _) if name == "uuid" => {
                let text = id.to_string();
                looks_like_uuid(&text).then_some(Bind::Text(text))
            }
            (ColumnKind::Text | ColumnKind::TextCast(_), _) => Some(Bind::Text(id.to_string())),
            (ColumnKind::Json, _) => Some(Bind::Text(id.to_value().to_string())),
            (ColumnKind::Bool, _) => None,
        }
    }

    /// A record as answered: without NULL columns when `omit_nulls` is set.
    fn shown(&self, mut record: Map<String, Value>) -> Value {
        if self.inner.options.omit_nulls {
            let id = &self.inner.id.name;
            record.retain(|name, value| !value.is_null() || name == id);
        }
        Value::Object(record)
    }
}

fn looks_like_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A random version 4 UUID.
fn uuid_v4() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|err| Error::general(format!("no randomness: {err}")))?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

impl Service for SqlService {
    fn methods(&self) -> Vec<Method> {
        Method::STANDARD.to_vec()
    }

    fn events(&self) -> Vec<String> {
        self.inner.options.events.clone()
    }

    fn call<'a>(&'a self, ctx: &'a mut HookContext) -> BoxFuture<'a, Result<Value>> {
        Box::pin(async move {
            let params = &ctx.params;
            match (&ctx.method, &ctx.id) {
                (Method::Find, _) => self.find(params).await,
                (Method::Get, Some(id)) => self.get(id.clone(), params).await,
                (Method::Get, None) => Err(not_found(None)),
                (Method::Create, _) => self.create(ctx.data.clone(), params).await,
                (Method::Update, Some(id)) => {
                    self.update(id.clone(), ctx.data.clone(), params).await
                }
                (Method::Update, None) => Err(replace_many()),
                (Method::Patch, id) => self.patch(id.clone(), ctx.data.clone(), params).await,
                (Method::Remove, id) => self.remove(id.clone(), params).await,
                (Method::Custom(name), _) => Err(Error::method_not_allowed(format!(
                    "Method '{name}' not allowed on service '{}'",
                    ctx.path
                ))),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_uuids_are_version_4() -> Result<()> {
        let id = uuid_v4()?;
        assert!(looks_like_uuid(&id), "{id}");
        assert_eq!(&id[14..15], "4");
        assert_ne!(uuid_v4()?, id);
        Ok(())
    }
}

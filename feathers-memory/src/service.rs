//! [`MemoryService`]: a service over records kept in memory, with Feathers' query
//! syntax, pagination and multi options (`@feathersjs/memory` 5.x).

use std::sync::Arc;

use parking_lot::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::options::MemoryOptions;
use crate::store::{Slot, Store};
use feathers_core::adapter::{check_data, is_falsy, not_found, one_or_many, replace_many};
use feathers_core::query::select::select_opt;
use feathers_core::query::{Paginate, Query};
use feathers_core::HookContext;
use feathers_core::Id;
use feathers_core::Method;
use feathers_core::Multi;
use feathers_core::Params;
use feathers_core::Service;
use feathers_core::{Error, Result};

/// A service keeping its records in memory, with Feathers' full query syntax.
///
/// ```
/// use feathers_memory::MemoryService;
/// use feathers_core::App;
///
/// # fn main() -> feathers_core::Result<()> {
/// let app = App::builder()
///     .service_at("todos", MemoryService::new().paginate(10, 50).multi(true))
///     .build()?;
/// # Ok(()) }
/// ```
///
/// A clone shares the records, so a `#[service]` of your own can hold one and delegate
/// to its [`find`](MemoryService::find), [`get`](MemoryService::get), ... methods.
///
/// Semantics (docs/protocol.md, "Queries and the memory adapter"): `get`, `update`, `patch` and `remove` answer
/// NotFound unless the record also matches `params.query`; `update` keeps the id;
/// `patch` ignores an id in its data; `patch(None, ..)` and `remove(None, ..)` act on
/// every matching record (no `$limit`, no pagination) and answer an array. Ids `1` and
/// `"1"` name the same record; a record keeps the JSON type of the id it was created
/// with. Each call is atomic: it holds the lock from its first read to its last write.
#[derive(Clone)]
pub struct MemoryService {
    options: MemoryOptions,
    store: Arc<RwLock<Store>>,
}

impl std::fmt::Debug for MemoryService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryService")
            .field("options", &self.options)
            .field("records", &self.read().len())
            .finish()
    }
}

impl Default for MemoryService {
    fn default() -> MemoryService {
        MemoryService::new()
    }
}

impl MemoryService {
    /// An empty service: id field `id`, ids from 0, no pagination, no multi.
    pub fn new() -> MemoryService {
        MemoryService::with_options(MemoryOptions::default())
    }

    /// An empty service with these options.
    pub fn with_options(options: MemoryOptions) -> MemoryService {
        MemoryService {
            store: Arc::new(RwLock::new(Store::new(options.start_id))),
            options,
        }
    }

    /// The options in effect.
    pub fn options(&self) -> &MemoryOptions {
        &self.options
    }

    /// Names the id field (default `id`). Set it before adding records: records already
    /// added stay indexed by the ids they had.
    pub fn id_field(mut self, name: impl Into<String>) -> MemoryService {
        self.options.id_field = name.into();
        self
    }

    /// The first id the counter hands out (default 0). The counter skips ids that
    /// records already have.
    pub fn start_id(mut self, first: i64) -> MemoryService {
        self.options.start_id = first;
        self.write().set_counter(first);
        self
    }

    /// Paginates `find`: pages of `default` records, `$limit` up to `max`.
    pub fn paginate(self, default: u64, max: u64) -> MemoryService {
        self.pagination(Some(Paginate::new(default, max)))
    }

    /// Sets or removes pagination.
    pub fn pagination(mut self, paginate: Option<Paginate>) -> MemoryService {
        self.options.paginate = paginate.filter(Paginate::is_active);
        self
    }

    /// Which methods may act on many records: `true`, `false`, or a list such as
    /// `["create", "patch"]`.
    pub fn multi(mut self, multi: impl Into<Multi>) -> MemoryService {
        self.options.multi = multi.into();
        self
    }

    /// Custom events the service may emit (`app.service("x")?.emit("typing", ..)`).
    pub fn events<I, S>(mut self, events: I) -> MemoryService
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.options.events = events.into_iter().map(Into::into).collect();
        self
    }

    /// Adds records, as `create` would (ids from the counter where they have none),
    /// without hooks or events. Each must serialise to a JSON object with a valid id or
    /// none; otherwise nothing is added and the error says why.
    pub fn with_records<T: Serialize>(
        self,
        records: impl IntoIterator<Item = T>,
    ) -> Result<MemoryService> {
        let values = records
            .into_iter()
            .map(|record| {
                serde_json::to_value(record)
                    .map_err(|err| Error::bad_request(format!("Invalid record: {err}")))
            })
            .collect::<Result<Vec<Value>>>()?;
        let prepared = values
            .into_iter()
            .map(|value| self.prepare_new(value))
            .collect::<Result<Vec<_>>>()?;
        {
            let mut store = self.write();
            for (id, record) in prepared {
                self.insert_new(&mut store, id, record);
            }
        }
        Ok(self)
    }

    /// How many records the service holds.
    pub fn len(&self) -> usize {
        self.read().len()
    }

    /// True when the service holds no records.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every record, in insertion order, without hooks.
    pub fn records(&self) -> Vec<Value> {
        self.read().records().cloned().collect()
    }

    /// `find`: the records matching `params.query`, filtered, sorted, skipped, limited
    /// and selected; a page `{total, limit, skip, data}` when paginated, else an array.
    pub async fn find(&self, params: &Params) -> Result<Value> {
        let query = params.parse_query(self.options.paginate_for(params))?;
        let (total, data) = {
            let store = self.read();
            let counts = query.paginate.is_some();
            find_in(&store, &query, &self.options.id_field, counts)
        };
        Ok(match query.paginate {
            Some(_) => json!({
                "total": total,
                "limit": query.filters.limit,
                "skip": query.filters.skip,
                "data": data,
            }),
            None => Value::Array(data),
        })
    }

    /// `get`: the record with this id, if it matches `params.query`; NotFound otherwise.
    pub async fn get(&self, id: impl Into<Id>, params: &Params) -> Result<Value> {
        let id = id.into();
        let query = params.parse_query(None)?;
        let store = self.read();
        let slot = find_slot(&store, &id, &query)?;
        Ok(self.selected(store.get(slot), &query))
    }

    /// `create`: stores the record (or, with multi, each record of an array) and
    /// answers it. A missing or falsy id is replaced by the counter's next one.
    pub async fn create(&self, data: Value, params: &Params) -> Result<Value> {
        self.create_from(&data, params)
    }

    /// `update`: replaces the record, keeping its id, if it matches `params.query`.
    pub async fn update(&self, id: impl Into<Id>, data: Value, params: &Params) -> Result<Value> {
        self.update_from(id.into(), &data, params)
    }

    /// `patch`: merges `data` into the record (or, with `None` and multi, into every
    /// record matching `params.query`). An id field in `data` is ignored.
    pub async fn patch(&self, id: Option<Id>, data: Value, params: &Params) -> Result<Value> {
        self.patch_from(id, &data, params)
    }

    /// `remove`: removes the record (or, with `None` and multi, every record matching
    /// `params.query`) and answers what was removed.
    pub async fn remove(&self, id: Option<Id>, params: &Params) -> Result<Value> {
        let many = id.is_none();
        self.options.multi.check(&Method::Remove, many)?;
        let query = params.parse_query(None)?;
        let mut store = self.write();
        let slots = match &id {
            Some(id) => vec![find_slot(&store, id, &query)?],
            None => matching_slots(&store, &query),
        };
        let mut removed = Vec::with_capacity(slots.len());
        for slot in slots {
            let record = store.remove(slot);
            removed.push(self.selected(record.as_ref(), &query));
        }
        Ok(one_or_many(removed, many))
    }

    fn create_from(&self, data: &Value, params: &Params) -> Result<Value> {
        let many = data.is_array();
        self.options.multi.check(&Method::Create, many)?;
        let query = params.parse_query(None)?;
        let items = match data {
            Value::Array(items) => items
                .iter()
                .map(|item| self.prepare_new(item.clone()))
                .collect(),
            item => self
                .prepare_new(item.clone())
                .map(|prepared| vec![prepared]),
        }?;
        let mut store = self.write();
        let mut created = Vec::with_capacity(items.len());
        for (id, record) in items {
            let slot = self.insert_new(&mut store, id, record);
            created.push(self.selected(store.get(slot), &query));
        }
        Ok(one_or_many(created, many))
    }

    fn update_from(&self, id: Id, data: &Value, params: &Params) -> Result<Value> {
        if data.is_array() {
            return Err(replace_many());
        }
        let mut record = check_data(data, "update", "memory")?.clone();
        let query = params.parse_query(None)?;
        let mut store = self.write();
        let slot = find_slot(&store, &id, &query)?;
        let stored_id = store
            .get(slot)
            .and_then(|old| old.get(&self.options.id_field))
            .cloned()
            .unwrap_or_else(|| id.to_value());
        record.insert(self.options.id_field.clone(), stored_id);
        store.replace(slot, Value::Object(record));
        Ok(self.selected(store.get(slot), &query))
    }

    fn patch_from(&self, id: Option<Id>, data: &Value, params: &Params) -> Result<Value> {
        let many = id.is_none();
        self.options.multi.check(&Method::Patch, many)?;
        let changes = check_data(data, "patch", "memory")?;
        let query = params.parse_query(None)?;
        let mut store = self.write();
        let slots = match &id {
            Some(id) => vec![find_slot(&store, id, &query)?],
            None => matching_slots(&store, &query),
        };
        let mut patched = Vec::with_capacity(slots.len());
        for slot in slots {
            if let Some(Value::Object(record)) = store.get_mut(slot) {
                for (key, value) in changes {
                    if *key != self.options.id_field {
                        record.insert(key.clone(), value.clone());
                    }
                }
            }
            patched.push(self.selected(store.get(slot), &query));
        }
        Ok(one_or_many(patched, many))
    }

    /// Checks a new record and reads its id: `None` when it has none or a falsy one
    /// (`null`, `0`, `""`, `false`), which the counter replaces.
    fn prepare_new(&self, data: Value) -> Result<(Option<Id>, Map<String, Value>)> {
        check_data(&data, "create", "memory")?;
        let Value::Object(record) = data else {
            return Err(Error::bad_request("The data of 'create' must be an object"));
        };
        let id = match record.get(&self.options.id_field) {
            None => None,
            Some(value) if is_falsy(value) => None,
            Some(value) => Id::from_value(value).map_err(|_| {
                Error::bad_request(format!(
                    "Invalid id {value} in the field '{}': ids are integers or strings",
                    self.options.id_field
                ))
            })?,
        };
        Ok((id, record))
    }

    /// Stores a checked new record, taking an id from the counter when it has none.
    fn insert_new(
        &self,
        store: &mut Store,
        id: Option<Id>,
        mut record: Map<String, Value>,
    ) -> Slot {
        let id = match id {
            Some(id) => id,
            None => {
                let id = store.next_id();
                record.insert(self.options.id_field.clone(), id.to_value());
                id
            }
        };
        let lookup = id.clone();
        store.put(id, Value::Object(record));
        store.slot_of(&lookup).unwrap_or_default()
    }

    /// A stored record as answered: with only the `$select`ed fields and the id.
    fn selected(&self, record: Option<&Value>, query: &Query) -> Value {
        match record {
            Some(record) => select_opt(
                record,
                query.filters.select.as_deref(),
                &self.options.id_field,
            ),
            None => Value::Null,
        }
    }

    fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read()
    }

    fn write(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write()
    }
}

/// The matching records of `find`: the total before `$skip` and `$limit`, and the page.
/// Unsorted, it is one pass that copies only the page, and stops at the page's end
/// unless the total is wanted (`counts`, for pagination); sorted, the matches are
/// gathered by reference and only the first `$skip + $limit` are fully ordered.
fn find_in(store: &Store, query: &Query, id_field: &str, counts: bool) -> (usize, Vec<Value>) {
    let matcher = &query.matcher;
    let filters = &query.filters;
    let select = filters.select.as_deref();
    let skip = usize::try_from(filters.skip).unwrap_or(usize::MAX);
    let limit = filters.limit.map_or(usize::MAX, |limit| {
        usize::try_from(limit).unwrap_or(usize::MAX)
    });
    let end = skip.saturating_add(limit);
    let matching = store
        .records()
        .filter(|record| matcher.is_empty() || matcher.matches(record));
    match &filters.sort {
        None => {
            let mut total = 0;
            let mut page = Vec::new();
            for record in matching {
                if total >= end && !counts {
                    break;
                }
                if total >= skip && total < end {
                    page.push(select_opt(record, select, id_field));
                }
                total += 1;
            }
            (total, page)
        }
        Some(sort) => {
            let mut matched: Vec<&Value> = matching.collect();
            let total = matched.len();
            if skip >= total || limit == 0 {
                return (total, Vec::new());
            }
            sort.sort_first(&mut matched, end);
            let page = matched[skip..]
                .iter()
                .map(|record| select_opt(record, select, id_field))
                .collect();
            (total, page)
        }
    }
}

/// The slot of the record with `id` if it matches the query; NotFound otherwise.
fn find_slot(store: &Store, id: &Id, query: &Query) -> Result<Slot> {
    store
        .slot_of(id)
        .filter(|slot| {
            store
                .get(*slot)
                .is_some_and(|record| query.matcher.matches(record))
        })
        .ok_or_else(|| not_found(Some(id)))
}

/// The slots of every record matching the query, in insertion order.
fn matching_slots(store: &Store, query: &Query) -> Vec<Slot> {
    store
        .slots()
        .filter(|(_, record)| query.matcher.matches(record))
        .map(|(slot, _)| slot)
        .collect()
}

impl Service for MemoryService {
    fn methods(&self) -> Vec<Method> {
        Method::STANDARD.to_vec()
    }

    fn events(&self) -> Vec<String> {
        self.options.events.clone()
    }

    async fn call(&self, ctx: &mut HookContext) -> Result<Value> {
        let params = &ctx.params;
        match (ctx.method(), &ctx.id) {
            (Method::Find, _) => self.find(params).await,
            (Method::Get, Some(id)) => self.get(id.clone(), params).await,
            (Method::Get, None) => Err(not_found(None)),
            (Method::Create, _) => self.create_from(&ctx.data, params),
            (Method::Update, Some(id)) => self.update_from(id.clone(), &ctx.data, params),
            (Method::Update, None) => Err(replace_many()),
            (Method::Patch, id) => self.patch_from(id.clone(), &ctx.data, params),
            (Method::Remove, id) => self.remove(id.clone(), params).await,
            (Method::Custom(name), _) => Err(Error::method_not_allowed(format!(
                "Method '{name}' not allowed on service '{}'",
                ctx.path()
            ))),
        }
    }
}

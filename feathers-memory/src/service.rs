//! [`MemoryService`]: a service over records kept in memory, with Feathers' query
//! syntax, pagination and multi options (`@feathersjs/memory` 5.x).

use std::sync::Arc;

use parking_lot::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::options::MemoryOptions;
use crate::store::{Slot, Store};
use feathers_core::adapter::{check_data, is_falsy, not_found, AdapterBuilder, AdapterOptions};
use feathers_core::query::select::select_opt;
use feathers_core::query::Query;
use feathers_core::Id;
use feathers_core::{Error, Result};

/// A service keeping its records in memory, with Feathers' full query syntax.
///
/// ```
/// use feathers_memory::{AdapterBuilder, MemoryService};
/// use feathers_core::App;
///
/// # fn main() -> feathers_core::Result<()> {
/// let app = App::builder()
///     .service_at("todos", MemoryService::new().paginate(10, 50).multi(true))
///     .build()?;
/// # Ok(()) }
/// ```
///
/// It is an [`Adapter`](feathers_core::adapter::Adapter): a `Service`, with the typed
/// methods of [`AdapterExt`](feathers_core::adapter::AdapterExt) (`find`, `get`, ..)
/// and the setters of [`AdapterBuilder`]. A clone shares the records, so a `#[service]`
/// of your own can hold one, call its methods or name it as its `delegate`.
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

    /// The first id the counter hands out (default 0). The counter skips ids that
    /// records already have.
    pub fn start_id(mut self, first: i64) -> MemoryService {
        self.options.start_id = first;
        self.write().set_counter(first);
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
            .iter()
            .map(|value| self.prepare_new(check_data(value, "create", "memory")?))
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

    /// Reads the id of a new record (checked to be an object without `$` keys): `None`
    /// when it has none or a falsy one (`null`, `0`, `""`, `false`), which the counter
    /// replaces.
    pub(crate) fn prepare_new(
        &self,
        record: &Map<String, Value>,
    ) -> Result<(Option<Id>, Map<String, Value>)> {
        let id_field = self.id_name();
        let id = match record.get(id_field) {
            None => None,
            Some(value) if is_falsy(value) => None,
            Some(value) => Id::from_value(value).map_err(|_| {
                Error::bad_request(format!(
                    "Invalid id {value} in the field '{id_field}': ids are integers or strings"
                ))
            })?,
        };
        Ok((id, record.clone()))
    }

    /// Stores a checked new record, taking an id from the counter when it has none.
    pub(crate) fn insert_new(
        &self,
        store: &mut Store,
        id: Option<Id>,
        mut record: Map<String, Value>,
    ) -> Slot {
        let id = match id {
            Some(id) => id,
            None => {
                let id = store.next_id();
                record.insert(self.id_name().to_owned(), id.to_value());
                id
            }
        };
        let lookup = id.clone();
        store.put(id, Value::Object(record));
        store.slot_of(&lookup).unwrap_or_default()
    }

    /// A stored record as answered: with only the `$select`ed fields and the id.
    #[inline]
    pub(crate) fn selected(&self, record: Option<&Value>, query: &Query) -> Value {
        match record {
            Some(record) => select_opt(record, query.filters.select.as_deref(), self.id_name()),
            None => Value::Null,
        }
    }

    /// The name of the id field.
    #[inline]
    pub(crate) fn id_name(&self) -> &str {
        &self.options.adapter.id_field
    }

    #[inline]
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read()
    }

    #[inline]
    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write()
    }
}

/// The matching records of `find`: the total before `$skip` and `$limit`, and the page.
/// Unsorted, it is one pass that copies only the page, and stops at the page's end
/// unless the total is wanted (`counts`, for pagination); sorted, the matches are
/// gathered by reference and only the first `$skip + $limit` are fully ordered.
pub(crate) fn find_in(
    store: &Store,
    query: &Query,
    id_field: &str,
    counts: bool,
) -> (usize, Vec<Value>) {
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
#[inline]
pub(crate) fn find_slot(store: &Store, id: &Id, query: &Query) -> Result<Slot> {
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
pub(crate) fn matching_slots(store: &Store, query: &Query) -> Vec<Slot> {
    store
        .slots()
        .filter(|(_, record)| query.matcher.matches(record))
        .map(|(slot, _)| slot)
        .collect()
}

impl AdapterBuilder for MemoryService {
    fn adapter_options_mut(&mut self) -> &mut AdapterOptions {
        &mut self.options.adapter
    }
}

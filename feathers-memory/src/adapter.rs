//! [`Adapter`] for [`MemoryService`]: the storage operations, each atomic (it holds the
//! lock from its first read to its last write). The checks, pagination and answers
//! every adapter shares are the core's.

use feathers_core::adapter::{Adapter, AdapterOptions, Found};
use feathers_core::query::Query;
use feathers_core::{Id, Params, Result};
use serde_json::{Map, Value};

use crate::service::{find_in, find_slot, matching_slots, MemoryService};

impl Adapter for MemoryService {
    fn name(&self) -> &'static str {
        "memory"
    }

    fn adapter_options(&self) -> &AdapterOptions {
        &self.options().adapter
    }

    async fn find_records(&self, query: &Query, _params: &Params) -> Result<Found> {
        let counts = query.paginate.is_some();
        let (total, data) = find_in(&self.read(), query, self.id_name(), counts);
        Ok(Found {
            data,
            total: counts.then(|| u64::try_from(total).unwrap_or(u64::MAX)),
        })
    }

    async fn get_record(&self, id: &Id, query: &Query, _params: &Params) -> Result<Value> {
        let store = self.read();
        let slot = find_slot(&store, id, query)?;
        Ok(self.selected(store.get(slot), query))
    }

    async fn create_records(
        &self,
        records: &[&Map<String, Value>],
        query: &Query,
        _params: &Params,
    ) -> Result<Vec<Value>> {
        let items = records
            .iter()
            .map(|record| self.prepare_new(record))
            .collect::<Result<Vec<_>>>()?;
        let mut store = self.write();
        let mut created = Vec::with_capacity(items.len());
        for (id, record) in items {
            let slot = self.insert_new(&mut store, id, record);
            created.push(self.selected(store.get(slot), query));
        }
        Ok(created)
    }

    async fn update_record(
        &self,
        id: &Id,
        record: &Map<String, Value>,
        query: &Query,
        _params: &Params,
    ) -> Result<Value> {
        let mut record = record.clone();
        let id_field = self.id_name();
        let mut store = self.write();
        let slot = find_slot(&store, id, query)?;
        let stored_id = store
            .get(slot)
            .and_then(|old| old.get(id_field))
            .cloned()
            .unwrap_or_else(|| id.to_value());
        record.insert(id_field.to_owned(), stored_id);
        store.replace(slot, Value::Object(record));
        Ok(self.selected(store.get(slot), query))
    }

    async fn patch_records(
        &self,
        id: Option<&Id>,
        changes: &Map<String, Value>,
        query: &Query,
        _params: &Params,
    ) -> Result<Vec<Value>> {
        let id_field = self.id_name();
        let mut store = self.write();
        let slots = match id {
            Some(id) => vec![find_slot(&store, id, query)?],
            None => matching_slots(&store, query),
        };
        let mut patched = Vec::with_capacity(slots.len());
        for slot in slots {
            if let Some(Value::Object(record)) = store.get_mut(slot) {
                for (key, value) in changes {
                    if key != id_field {
                        record.insert(key.clone(), value.clone());
                    }
                }
            }
            patched.push(self.selected(store.get(slot), query));
        }
        Ok(patched)
    }

    async fn remove_records(
        &self,
        id: Option<&Id>,
        query: &Query,
        _params: &Params,
    ) -> Result<Vec<Value>> {
        let mut store = self.write();
        let slots = match id {
            Some(id) => vec![find_slot(&store, id, query)?],
            None => matching_slots(&store, query),
        };
        let mut removed = Vec::with_capacity(slots.len());
        for slot in slots {
            let record = store.remove(slot);
            removed.push(self.selected(record.as_ref(), query));
        }
        Ok(removed)
    }
}

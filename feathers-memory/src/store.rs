//! The records of a memory service, in insertion order, with an index by id in which
//! `1` and `"1"` name the same record (ids from REST paths are strings).

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use feathers_core::Id;

/// An id in the index: strings that read as integers count as those integers, as
/// [`Id::same_record`] says.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum IdKey {
    Int(i64),
    Str(String),
}

impl IdKey {
    fn of(id: &Id) -> IdKey {
        match id {
            Id::Int(i) => IdKey::Int(*i),
            Id::Str(s) => match s.parse::<i64>() {
                Ok(i) => IdKey::Int(i),
                Err(_) => IdKey::Str(s.clone()),
            },
        }
    }
}

/// A record's position in insertion order.
pub(crate) type Slot = u64;

/// The records and the id counter.
#[derive(Debug, Default)]
pub(crate) struct Store {
    records: BTreeMap<Slot, (Id, Value)>,
    index: HashMap<IdKey, Slot>,
    next_slot: Slot,
    counter: i64,
}

impl Store {
    pub(crate) fn new(start_id: i64) -> Store {
        Store {
            counter: start_id,
            ..Store::default()
        }
    }

    /// Restarts the id counter at `first`.
    pub(crate) fn set_counter(&mut self, first: i64) {
        self.counter = first;
    }

    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }

    /// The records in insertion order.
    pub(crate) fn records(&self) -> impl Iterator<Item = &Value> {
        self.records.values().map(|(_, record)| record)
    }

    /// The records with their slots, in insertion order.
    pub(crate) fn slots(&self) -> impl Iterator<Item = (Slot, &Value)> {
        self.records
            .iter()
            .map(|(slot, (_, record))| (*slot, record))
    }

    #[inline]
    pub(crate) fn slot_of(&self, id: &Id) -> Option<Slot> {
        self.index.get(&IdKey::of(id)).copied()
    }

    #[inline]
    pub(crate) fn get(&self, slot: Slot) -> Option<&Value> {
        self.records.get(&slot).map(|(_, record)| record)
    }

    pub(crate) fn get_mut(&mut self, slot: Slot) -> Option<&mut Value> {
        self.records.get_mut(&slot).map(|(_, record)| record)
    }

    /// Stores `record` under `id`: in place of the record with that id if there is
    /// one (keeping its position), else at the end.
    pub(crate) fn put(&mut self, id: Id, record: Value) {
        let key = IdKey::of(&id);
        if let Some(slot) = self.index.get(&key) {
            self.records.insert(*slot, (id, record));
            return;
        }
        let slot = self.next_slot;
        self.next_slot += 1;
        self.index.insert(key, slot);
        self.records.insert(slot, (id, record));
    }

    /// Replaces the record in `slot`, keeping its id and position.
    pub(crate) fn replace(&mut self, slot: Slot, record: Value) {
        if let Some(entry) = self.records.get_mut(&slot) {
            entry.1 = record;
        }
    }

    /// Removes the record in `slot`.
    pub(crate) fn remove(&mut self, slot: Slot) -> Option<Value> {
        let (id, record) = self.records.remove(&slot)?;
        self.index.remove(&IdKey::of(&id));
        Some(record)
    }

    /// The next id from the counter, skipping ids that records already have.
    pub(crate) fn next_id(&mut self) -> Id {
        loop {
            let id = Id::Int(self.counter);
            self.counter = self.counter.saturating_add(1);
            if !self.index.contains_key(&IdKey::of(&id)) {
                return id;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_and_their_strings_name_one_record() {
        let mut store = Store::new(0);
        store.put(Id::Int(1), json!({"id": 1}));
        store.put(Id::from("abc"), json!({"id": "abc"}));
        assert_eq!(store.slot_of(&Id::from("1")), store.slot_of(&Id::Int(1)));
        assert!(store.slot_of(&Id::from("abc")).is_some());
        assert!(store.slot_of(&Id::from("2")).is_none());
        store.put(Id::from("1"), json!({"id": "1", "v": 2}));
        assert_eq!(store.len(), 2);
        let first = store.records().next().cloned();
        assert_eq!(first, Some(json!({"id": "1", "v": 2})));
    }

    #[test]
    fn the_counter_skips_ids_in_use_and_removal_frees_the_id() {
        let mut store = Store::new(0);
        store.put(Id::Int(1), json!({"id": 1}));
        assert_eq!(store.next_id(), Id::Int(0));
        assert_eq!(store.next_id(), Id::Int(2));
        let slot = store.slot_of(&Id::Int(1));
        assert!(slot.and_then(|slot| store.remove(slot)).is_some());
        assert_eq!(store.slot_of(&Id::Int(1)), None);
        assert_eq!(store.len(), 0);
    }
}

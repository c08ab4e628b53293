//! State that other crates attach to an app, one value per type (authentication's
//! settings, the real-time channels, an event relay), so that `App` itself stays
//! closed to them.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::RwLock;

type Value = Arc<dyn Any + Send + Sync>;

/// A map from a type to the one shared value of that type.
#[derive(Default)]
pub(crate) struct Extensions {
    /// Read on every socket call and event (the real-time state lives here): a fast
    /// hasher, as the keys are type ids.
    values: RwLock<HashMap<TypeId, Value, foldhash::fast::RandomState>>,
}

impl Extensions {
    pub(crate) fn get<T: Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        let value = self.values.read().get(&TypeId::of::<T>())?.clone();
        value.downcast::<T>().ok()
    }

    /// The value of type `T`, made by `make` on first use. `make` runs without the
    /// map's lock, so it may read other values (the settings a state is made from);
    /// when two callers race, the first value inserted wins and both get it.
    pub(crate) fn get_or_insert_with<T: Send + Sync + 'static>(
        &self,
        make: impl FnOnce() -> T,
    ) -> Arc<T> {
        if let Some(value) = self.get::<T>() {
            return value;
        }
        let made: Value = Arc::new(make());
        let value = self
            .values
            .write()
            .entry(TypeId::of::<T>())
            .or_insert(made)
            .clone();
        match value.downcast::<T>() {
            Ok(value) => value,
            // The map is keyed by the value's own TypeId.
            Err(_) => unreachable!("an extension is stored under its own type"),
        }
    }

    /// Sets the value of type `T`, returning the one it replaces.
    pub(crate) fn insert<T: Send + Sync + 'static>(&self, value: T) -> Option<Arc<T>> {
        let old = self
            .values
            .write()
            .insert(TypeId::of::<T>(), Arc::new(value))?;
        old.downcast::<T>().ok()
    }
}

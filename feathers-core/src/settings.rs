//! Settings that belong to the crate they set.
//!
//! The core holds no transport's settings: each crate above it (REST, Socket.io,
//! Primus, the web layer, real-time connections) defines its own settings type with
//! safe defaults, and an app carries one value of each type that was configured.
//! [`AppBuilder::configure`](crate::AppBuilder::configure) changes them before the app
//! is built; [`App::settings`](crate::App::settings) reads them, the defaults when a
//! type was never configured.

use std::any::{Any, TypeId};
use std::collections::HashMap;

use crate::extensions::Extensions;

/// A settings type: one value per app, with defaults that are safe to serve with.
///
/// Implemented for every `Default + Send + Sync + 'static` type, so a crate's settings
/// are plain structs.
pub trait Settings: Default + Send + Sync + 'static {}

impl<T: Default + Send + Sync + 'static> Settings for T {}

/// One settings value a builder holds until the app exists.
trait Pending: Send {
    fn as_any_mut(&mut self) -> &mut dyn Any;
    fn install(self: Box<Self>, extensions: &Extensions);
}

impl<T: Settings> Pending for T {
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }

    fn install(self: Box<Self>, extensions: &Extensions) {
        extensions.insert(*self);
    }
}

/// The settings a builder was given, one value per type.
#[derive(Default)]
pub(crate) struct PendingSettings {
    values: HashMap<TypeId, Box<dyn Pending>>,
}

impl PendingSettings {
    /// Changes the value of type `T`, starting from its default.
    pub(crate) fn change<T: Settings>(&mut self, change: impl FnOnce(&mut T)) {
        let value = self
            .values
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(T::default()));
        if let Some(value) = value.as_any_mut().downcast_mut::<T>() {
            change(value);
        }
    }

    /// Puts every value among the built app's extensions.
    pub(crate) fn install(self, extensions: &Extensions) {
        for value in self.values.into_values() {
            value.install(extensions);
        }
    }

    /// How many types were configured.
    pub(crate) fn len(&self) -> usize {
        self.values.len()
    }
}

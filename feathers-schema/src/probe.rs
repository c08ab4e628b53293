//! How `#[service]` finds the schema of a method's data or result type without
//! requiring one: a type that derives `JsonSchema` gets its schema checked on every
//! call; any other type (`serde_json::Value`, a type without the derive) is not
//! checked, as before. Method resolution picks the first of the two traits that
//! applies (autoref specialisation), on the concrete type the method names.

use std::marker::PhantomData;

use schemars::JsonSchema;

use crate::schema::Schema;

/// A stand-in for the type `T`, to ask it for a schema.
#[doc(hidden)]
pub struct Probe<T: ?Sized>(PhantomData<fn() -> Box<T>>);

impl<T: ?Sized> Probe<T> {
    /// The probe for `T`.
    pub const fn new() -> Probe<T> {
        Probe(PhantomData)
    }
}

impl<T: ?Sized> Default for Probe<T> {
    fn default() -> Probe<T> {
        Probe::new()
    }
}

/// Picked when `T` has a schema.
#[doc(hidden)]
pub trait HasSchema {
    /// [`Schema::data`] of the type.
    fn data_schema(&self) -> Option<Schema>;
    /// [`Schema::result`] of the type.
    fn result_schema(&self) -> Option<Schema>;
}

impl<T: JsonSchema + ?Sized> HasSchema for &Probe<T> {
    fn data_schema(&self) -> Option<Schema> {
        Some(Schema::data::<T>())
    }
    fn result_schema(&self) -> Option<Schema> {
        Some(Schema::result::<T>())
    }
}

/// Picked otherwise: no schema.
#[doc(hidden)]
pub trait NoSchema {
    /// None.
    fn data_schema(&self) -> Option<Schema> {
        None
    }
    /// None.
    fn result_schema(&self) -> Option<Schema> {
        None
    }
}

impl<T: ?Sized> NoSchema for Probe<T> {}

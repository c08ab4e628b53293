//! `server_field(field, value)`, `created_at(field)` and `updated_at(field)`: fields
//! the server sets and a client can neither set nor overwrite.

use std::fmt;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use crate::context::HookContext;
use crate::error::Result;
use crate::hooks::Hook;
use crate::method::Method;
use crate::params::Params;

/// A before hook for a field the server sets (a data resolver): `value` computes it
/// from the call, and a client's own value for it is never kept.
///
/// - `create`: every record gets `field = value(ctx)`, whatever the client sent.
/// - `update`: the record keeps the value it has. The hook reads the stored record once
///   (an internal `get` with the call's query, so a scope such as
///   [`owned_by`](super::owned_by)'s applies) and copies the field into the data, so a
///   `PUT` of a client's fields no longer erases it.
/// - `patch`: the field is removed from the changes.
///
/// [`ServerField::refreshed`] sets it again on every `update` and `patch` instead, as
/// [`updated_at`] does. Calls from Rust are trusted: what they send is kept, and only
/// a missing value is filled in. Put the hook after the one that logs the caller in
/// when `value` reads the user.
///
/// ```
/// # use feathers_core::common_hooks::server_field;
/// # use feathers_core::Hooks;
/// # use serde_json::json;
/// let hooks = Hooks::new().before(server_field("origin", |_ctx| json!("web")));
/// ```
pub fn server_field(
    field: &str,
    value: impl Fn(&HookContext) -> Value + Send + Sync + 'static,
) -> ServerField {
    ServerField {
        field: field.to_owned(),
        value: Arc::new(value),
        refreshed: false,
    }
}

/// A [`server_field`] holding when the record was created, in milliseconds since 1970
/// (what Feathers' generated apps store with `Date.now()`): set by `create`, kept by
/// `update` and `patch`.
///
/// ```
/// # use feathers_core::common_hooks::created_at;
/// # use feathers_core::Hooks;
/// let hooks = Hooks::new().before(created_at("createdAt"));
/// ```
pub fn created_at(field: &str) -> ServerField {
    server_field(field, |_ctx| Value::from(now_millis()))
}

/// A [`server_field`] holding when the record last changed, in milliseconds since
/// 1970: set by `create`, `update` and `patch`.
pub fn updated_at(field: &str) -> ServerField {
    server_field(field, |_ctx| Value::from(now_millis())).refreshed()
}

/// The hook made by [`server_field`], [`created_at`] and [`updated_at`].
#[derive(Clone)]
pub struct ServerField {
    field: String,
    value: Arc<dyn Fn(&HookContext) -> Value + Send + Sync>,
    refreshed: bool,
}

impl fmt::Debug for ServerField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerField")
            .field("field", &self.field)
            .field("refreshed", &self.refreshed)
            .finish_non_exhaustive()
    }
}

impl ServerField {
    /// Sets the field again on every `update` and `patch`, rather than keeping it.
    pub fn refreshed(mut self) -> ServerField {
        self.refreshed = true;
        self
    }

    /// Sets the field on `record`; a trusted caller's own value stays.
    fn set(&self, record: &mut Map<String, Value>, value: &Value, trusted: bool) {
        if !(trusted && record.contains_key(&self.field)) {
            record.insert(self.field.clone(), value.clone());
        }
    }

    /// Copies the field of the stored record into the data of an `update`.
    async fn keep_on_update(&self, ctx: &mut HookContext, trusted: bool) -> Result<()> {
        let already_set = ctx
            .data
            .as_object()
            .is_some_and(|record| record.contains_key(&self.field));
        let Some(id) = ctx.id.clone() else {
            return Ok(());
        };
        if trusted && already_set {
            return Ok(());
        }
        let mut params = Params::with_query(ctx.params.query.clone());
        params.route = ctx.params.route.clone();
        let stored = ctx.app().service(ctx.path())?.get(id, params).await?;
        if let Value::Object(record) = &mut ctx.data {
            match stored.get(&self.field) {
                Some(kept) => record.insert(self.field.clone(), kept.clone()),
                None => record.remove(&self.field),
            };
        }
        Ok(())
    }
}

impl Hook for ServerField {
    async fn run(&self, ctx: &mut HookContext) -> Result<()> {
        let trusted = !ctx.params.is_external();
        match ctx.method() {
            Method::Create => {
                let value = (self.value)(ctx);
                match &mut ctx.data {
                    Value::Array(records) => {
                        for record in records.iter_mut().filter_map(Value::as_object_mut) {
                            self.set(record, &value, trusted);
                        }
                    }
                    Value::Object(record) => self.set(record, &value, trusted),
                    _ => {}
                }
            }
            Method::Update | Method::Patch if self.refreshed => {
                let value = (self.value)(ctx);
                if let Value::Object(record) = &mut ctx.data {
                    self.set(record, &value, trusted);
                }
            }
            Method::Update => self.keep_on_update(ctx, trusted).await?,
            Method::Patch if !trusted => {
                if let Value::Object(changes) = &mut ctx.data {
                    changes.remove(&self.field);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Milliseconds since 1970; 0 on a clock set before it.
fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX)
        })
}

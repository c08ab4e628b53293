//! `owned_by(field)`: records that belong to the user a field names.

use serde_json::Value;

use crate::context::HookContext;
use crate::error::{Error, Result};
use crate::hooks::Hook;
use crate::method::Method;

/// A before hook declaring that each record belongs to the user whose id is in
/// `field` (`"userId"`), for calls from clients (internal calls pass untouched). Put it
/// after the hook that logs the caller in (`authenticate("jwt")`): a client call
/// without a user is a 401.
///
/// - `create`: `field` is set to the caller's id on every record, whatever the client
///   sent, so nobody creates records in another's name.
/// - `update`, `patch` and `remove`: the query is scoped to the caller's records
///   (`field = caller`), so another's record is a **404 NotFound**, and a multi-record
///   `patch` or `remove` touches only the caller's records. `update` keeps `field`
///   (set to the caller, who owns the record), and `patch` cannot change it.
/// - `find` and `get` are left open unless [`OwnedBy::reads_too`] scopes them as well.
///
/// Why 404 rather than 403: the ownership is checked by the adapter in the same
/// statement as the write (`UPDATE .. WHERE id = ? AND userId = ?`), so there is no
/// window between a check and the write, and a client learns nothing about which ids
/// exist among other people's records.
///
/// ```
/// # use feathers_core::common_hooks::owned_by;
/// # use feathers_core::Hooks;
/// let hooks = Hooks::new().before(owned_by("userId"));
/// ```
pub fn owned_by(field: impl Into<String>) -> OwnedBy {
    OwnedBy {
        field: field.into(),
        user_id: "id".to_owned(),
        reads_too: false,
    }
}

/// The hook made by [`owned_by`].
#[derive(Clone, Debug)]
pub struct OwnedBy {
    field: String,
    user_id: String,
    reads_too: bool,
}

impl OwnedBy {
    /// The field of the logged-in user (`params.user`) holding its id. Default `"id"`.
    pub fn user_id(mut self, field: impl Into<String>) -> OwnedBy {
        self.user_id = field.into();
        self
    }

    /// Scopes `find` and `get` to the caller's records as well: each user reads only
    /// their own.
    pub fn reads_too(mut self) -> OwnedBy {
        self.reads_too = true;
        self
    }

    fn scope(&self, ctx: &mut HookContext, owner: &Value) {
        ctx.params.query.insert(self.field.clone(), owner.clone());
    }
}

impl Hook for OwnedBy {
    async fn run(&self, ctx: &mut HookContext) -> Result<()> {
        if !ctx.params.is_external() {
            return Ok(());
        }
        let owner = ctx
            .params
            .user
            .as_ref()
            .and_then(|user| user.get(&self.user_id))
            .filter(|id| !id.is_null())
            .cloned()
            .ok_or_else(|| Error::not_authenticated("Not authenticated"))?;
        match ctx.method().clone() {
            Method::Create => match &mut ctx.data {
                Value::Array(records) => {
                    for record in records.iter_mut().filter_map(Value::as_object_mut) {
                        record.insert(self.field.clone(), owner.clone());
                    }
                }
                Value::Object(record) => {
                    record.insert(self.field.clone(), owner.clone());
                }
                _ => {}
            },
            Method::Update => {
                self.scope(ctx, &owner);
                if let Value::Object(record) = &mut ctx.data {
                    record.insert(self.field.clone(), owner);
                }
            }
            Method::Patch => {
                self.scope(ctx, &owner);
                if let Value::Object(changes) = &mut ctx.data {
                    changes.remove(&self.field);
                }
            }
            Method::Remove => self.scope(ctx, &owner),
            Method::Find | Method::Get if self.reads_too => self.scope(ctx, &owner),
            _ => {}
        }
        Ok(())
    }

    fn record_fields(&self) -> &[String] {
        std::slice::from_ref(&self.field)
    }
}

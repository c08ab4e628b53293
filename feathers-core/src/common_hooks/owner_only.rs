//! `owner_only(field, owner)`: a field shown by context, to the record's owner alone.

use serde_json::Value;

use super::records::{records_mut, remove_path};
use crate::context::HookContext;
use crate::error::Result;
use crate::hooks::Hook;
use crate::id::Id;

/// An after hook that shows `field` only to the record's owner: a client receives it
/// for records whose `owner` field equals its logged-in user's `id`
/// (`owner_only("email", "id")` on `users`: everyone sees people, only you see your
/// email). Everyone else gets the record without it.
///
/// Three ways around such a rule are closed as well: the call's events never carry
/// the field (an event goes to others than the caller), the field is closed to
/// clients' queries as a hidden field is (so `email[$like]=a%` cannot probe anyone's
/// address), and a record populated into another's answer leaves it out. Calls from
/// Rust keep it in `result`.
///
/// ```
/// # use feathers_core::common_hooks::owner_only;
/// # use feathers_core::Hooks;
/// let hooks = Hooks::new().after(owner_only("email", "id"));
/// ```
pub fn owner_only(field: &str, owner: &str) -> OwnerOnly {
    OwnerOnly {
        field: vec![field.to_owned()],
        owner: owner.to_owned(),
        named: vec![field.to_owned(), owner.to_owned()],
    }
}

/// The hook made by [`owner_only`].
#[derive(Clone, Debug)]
pub struct OwnerOnly {
    /// One field, kept in a list to answer [`Hook::hidden_fields`].
    field: Vec<String>,
    owner: String,
    /// The field and the owner, to answer [`Hook::record_fields`].
    named: Vec<String>,
}

impl OwnerOnly {
    fn strip_others(&self, value: &mut Value, caller: Option<&Id>) {
        for record in records_mut(value) {
            let owner = record
                .get(&self.owner)
                .and_then(|owner| Id::from_value(owner).ok().flatten());
            let owned = matches!((caller, owner), (Some(caller), Some(owner)) if caller.same_record(&owner));
            if !owned {
                for field in &self.field {
                    remove_path(record, field);
                }
            }
        }
    }
}

impl Hook for OwnerOnly {
    async fn run(&self, ctx: &mut HookContext) -> Result<()> {
        // Ids compare across JSON types: a user id `7` owns a record whose owner is `"7"`.
        let caller = ctx
            .params
            .user
            .as_ref()
            .and_then(|user| Id::from_value(&user["id"]).ok().flatten());
        let mut shown = ctx.client_result().clone();
        self.strip_others(&mut shown, caller.as_ref());
        if ctx.params.is_external() {
            if let Some(result) = &mut ctx.result {
                self.strip_others(result, caller.as_ref());
            }
        }
        ctx.dispatch = Some(shown);
        for field in &self.field {
            if !ctx.event_omits.contains(field) {
                ctx.event_omits.push(field.clone());
            }
        }
        Ok(())
    }

    fn hidden_fields(&self) -> &[String] {
        &self.field
    }

    fn record_fields(&self) -> &[String] {
        &self.named
    }
}

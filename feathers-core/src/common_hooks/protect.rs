//! `protect(fields)`: fields that never leave the server.

use serde_json::Value;

use super::records::{is_page, remove_path};
use super::Names;
use crate::context::HookContext;
use crate::error::Result;
use crate::hooks::Hook;

/// An after hook that removes `fields` from what clients receive: REST responses,
/// socket acks and events. It works on single records, arrays, and pages
/// (`{total, limit, skip, data}`). For calls from a transport the result loses the
/// fields too, so later hooks cannot leak them; internal calls keep them in `result`.
///
/// The fields are closed to clients' queries as well: a query that filters, sorts or
/// selects on one (`password[$like]=$argon2id%`, which would give a hash away one
/// character at a time) is a 400 naming the field, on every method of the service and
/// whatever the adapter. Feathers' `protect` hides the field from answers only.
///
/// ```
/// # use feathers_core::common_hooks::protect;
/// # use feathers_core::Hooks;
/// let hooks = Hooks::new().after(protect(["password", "token"]));
/// ```
pub fn protect(fields: impl Into<Names>) -> Protect {
    Protect {
        fields: fields.into(),
    }
}

/// The hook made by [`protect`].
#[derive(Clone, Debug)]
pub struct Protect {
    fields: Names,
}

impl Protect {
    fn strip(&self, value: &mut Value) {
        match value {
            Value::Array(items) => items.iter_mut().for_each(|item| self.strip_record(item)),
            Value::Object(map) if is_page(map) => {
                if let Some(Value::Array(items)) = map.get_mut("data") {
                    items.iter_mut().for_each(|item| self.strip_record(item));
                }
            }
            record => self.strip_record(record),
        }
    }

    fn strip_record(&self, record: &mut Value) {
        if let Value::Object(map) = record {
            for field in self.fields.iter() {
                remove_path(map, field);
            }
        }
    }
}

impl Hook for Protect {
    async fn run(&self, ctx: &mut HookContext) -> Result<()> {
        let mut safe = ctx.client_result().clone();
        self.strip(&mut safe);
        if ctx.params.is_external() {
            if let Some(result) = &mut ctx.result {
                self.strip(result);
            }
        }
        ctx.dispatch = Some(safe);
        Ok(())
    }

    fn hidden_fields(&self) -> &[String] {
        &self.fields.0
    }
}

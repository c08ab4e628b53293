//! `populate(field, service, key)`: a relation resolved in one query per call.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Map, Value};

use super::records::{records, records_mut};
use crate::context::HookContext;
use crate::error::Result;
use crate::hooks::Hook;
use crate::params::{PaginationOverride, Params};
use crate::registry::ServiceEntry;

/// The most keys one `find` of the related service asks for; a result with more
/// distinct keys takes one query per this many.
pub const POPULATE_BATCH: usize = 500;

/// An after hook that sets `field` of each record to the record of `service` whose
/// `id` equals the record's `key`: `populate("user", "users", "userId")` gives every
/// message its author. It works on single records, arrays and pages, and the page of
/// 50 messages loads its authors with one `find` (`id: { $in: [..] }`), not 50 `get`s.
/// A record whose key is null, or names no record, gets `null`. A key is matched with
/// the JSON type it has: a text `"7"` does not find the record whose id is the number
/// 7 (and the SQL adapter refuses to compare an integer column with text).
///
/// The related records are read by the server and given the public shape of their
/// service: its hidden fields (those its `protect` keeps) removed, and, when its
/// records have a schema, only the schema's fields kept. So a populated author never
/// carries a password hash, whoever made the call and whether or not the message goes
/// out as an event. Feathers' resolvers leave this to each resolver.
///
/// ```
/// # use feathers_core::common_hooks::populate;
/// # use feathers_core::Hooks;
/// let hooks = Hooks::new().after(populate("user", "users", "userId"));
/// ```
pub fn populate(field: &str, service: &str, key: &str) -> Populate {
    Populate {
        field: field.to_owned(),
        service: service.to_owned(),
        key: key.to_owned(),
        matching: "id".to_owned(),
    }
}

/// The hook made by [`populate`].
#[derive(Clone, Debug)]
pub struct Populate {
    field: String,
    service: String,
    key: String,
    matching: String,
}

impl Populate {
    /// Matches the key with this field of the related records rather than `id`.
    pub fn matching(mut self, field: &str) -> Populate {
        self.matching = field.to_owned();
        self
    }

    /// The related records for `keys`, by the JSON text of their matching field.
    async fn related(&self, ctx: &HookContext, keys: Vec<Value>) -> Result<HashMap<String, Value>> {
        let target = ctx.app().service(&self.service)?;
        let mut found = HashMap::with_capacity(keys.len());
        for batch in keys.chunks(POPULATE_BATCH) {
            let mut query = Map::new();
            query.insert(self.matching.clone(), json!({ "$in": batch }));
            query.insert("$limit".into(), json!(batch.len()));
            let mut params = Params::with_query(query);
            params.paginate = Some(PaginationOverride::Off);
            let answer = target.find(params).await?;
            for mut record in into_records(answer) {
                public_shape(target.entry(), &mut record);
                if let Some(matched) = record.get(&self.matching) {
                    found.insert(matched.to_string(), record);
                }
            }
        }
        Ok(found)
    }

    /// The distinct non-null keys of `value`'s records, once each (`seen` holds their
    /// JSON text, so that an unpaginated result of many records stays linear).
    fn keys(&self, value: &Value, keys: &mut Vec<Value>, seen: &mut HashSet<String>) {
        for record in records(value) {
            if let Some(key) = record.get(&self.key).filter(|key| !key.is_null()) {
                if seen.insert(key.to_string()) {
                    keys.push(key.clone());
                }
            }
        }
    }

    fn fill(&self, value: &mut Value, related: &HashMap<String, Value>) {
        for record in records_mut(value) {
            let found = record
                .get(&self.key)
                .and_then(|key| related.get(&key.to_string()))
                .cloned()
                .unwrap_or(Value::Null);
            record.insert(self.field.clone(), found);
        }
    }
}

impl Hook for Populate {
    async fn run(&self, ctx: &mut HookContext) -> Result<()> {
        let (mut keys, mut seen) = (Vec::new(), HashSet::new());
        if let Some(result) = &ctx.result {
            self.keys(result, &mut keys, &mut seen);
        }
        if let Some(dispatch) = &ctx.dispatch {
            self.keys(dispatch, &mut keys, &mut seen);
        }
        let related = if keys.is_empty() {
            HashMap::new()
        } else {
            self.related(ctx, keys).await?
        };
        if let Some(result) = &mut ctx.result {
            self.fill(result, &related);
        }
        if let Some(dispatch) = &mut ctx.dispatch {
            self.fill(dispatch, &related);
        }
        Ok(())
    }

    fn record_fields(&self) -> &[String] {
        std::slice::from_ref(&self.key)
    }
}

/// A related record as its service shows it to clients.
fn public_shape(entry: &ServiceEntry, record: &mut Value) {
    let Value::Object(map) = record else {
        return;
    };
    map.retain(|name, _| !entry.hidden.contains(name));
    if let Some(public) = entry.schemas().result() {
        map.retain(|name, _| public.properties().contains(name));
    }
}

fn into_records(answer: Value) -> Vec<Value> {
    match answer {
        Value::Array(items) => items,
        Value::Object(mut page) if super::records::is_page(&page) => match page.remove("data") {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        },
        other => vec![other],
    }
}

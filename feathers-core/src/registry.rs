//! Registered services: their paths with `:placeholders`, their methods, events and
//! hook chains, and the lookup from a request path to a service. `ServiceEntry` and
//! `Registry` are defined with the app's other mutually recursive types (the `knot`
//! module); their behaviour is here.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::erased::ErasedService;
use crate::error::{Error, Result};
use crate::events::{AppEvents, EventEmitter};
use crate::hooks::{build_chain, Chain, Hooks};
pub(crate) use crate::knot::Registry;
pub use crate::knot::ServiceEntry;
use crate::method::Method;
use crate::service_path::{decode, parse_path, Segment};

impl std::fmt::Debug for ServiceEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceEntry")
            .field("path", &self.path)
            .field("type_name", &self.type_name)
            .field("methods", &self.methods)
            .finish()
    }
}

impl ServiceEntry {
    pub(crate) fn new(
        path: &str,
        type_name: &'static str,
        service: Arc<dyn ErasedService>,
        extra_hooks: Hooks,
        app_hooks: &Hooks,
        app_events: Arc<AppEvents>,
    ) -> Result<ServiceEntry> {
        let (path, segments) = parse_path(path)?;
        let methods = service.methods();
        for method in &methods {
            if let Method::Custom(name) = method {
                if feathers_rules::is_reserved_method_name(name) {
                    return Err(Error::general(format!(
                        "'{name}' on service '{path}' is a reserved method name"
                    )));
                }
            }
        }
        let exposed = service.exposed();
        if let Some(unknown) = exposed
            .iter()
            .flatten()
            .find(|method| !methods.contains(method))
        {
            return Err(Error::general(format!(
                "service '{path}' exposes '{unknown}', a method it does not have"
            )));
        }
        let hooks = service.hooks().extend(extra_hooks);
        if let Some(unknown) = hooks.unknown_method(&methods) {
            return Err(Error::general(format!(
                "a hook on service '{path}' is for '{unknown}', a method it does not have \
                 (its methods: {})",
                method_names(&methods)
            )));
        }
        let chains = methods
            .iter()
            .filter_map(|method| Some((method.clone(), build_chain(app_hooks, &hooks, method)?)))
            .collect();
        let hidden = crate::hooks::hidden_fields(&[app_hooks, &hooks]);
        let schemas = service.schemas();
        if let Some((method, reason)) = schemas.broken() {
            return Err(Error::general(format!(
                "the schema of '{method}' data on service '{path}' does not compile: {reason}"
            )));
        }
        if let Some(records) = schemas.result() {
            // Only the service's own hooks: app hooks run for services of every shape.
            if let Some(unknown) = crate::hooks::unknown_record_field(&hooks, records.properties())
            {
                return Err(Error::general(format!(
                    "a hook on service '{path}' names the field '{unknown}', which its records \
                     do not have (their fields: {})",
                    records.properties().join(", ")
                )));
            }
        }
        let queryable = schemas.queryable(&hidden);
        let path: Arc<str> = Arc::from(path);
        Ok(ServiceEntry {
            hidden,
            schemas,
            queryable,
            emitter: EventEmitter::new(path.clone(), app_events),
            path,
            type_name,
            segments,
            events: service.events(),
            service,
            methods,
            exposed,
            chains,
            call_keys: crate::metrics::CallKeys::default(),
        })
    }

    /// The registered path, with its placeholders.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The Rust type behind the service.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The methods the service provides.
    pub fn methods(&self) -> &[Method] {
        &self.methods
    }

    /// The schemas of the service's data and records.
    pub fn schemas(&self) -> &feathers_schema::ServiceSchemas {
        &self.schemas
    }

    /// The service's schemas as JSON Schema: the data of each method, the record as
    /// clients see it (without its hidden fields) and the query clients may send.
    pub fn schemas_json(&self) -> Value {
        self.schemas.to_json(&self.hidden)
    }

    /// Custom events declared by the service.
    pub fn custom_events(&self) -> &[String] {
        &self.events
    }

    /// True when the service provides `method`.
    pub fn provides(&self, method: &Method) -> bool {
        self.methods.contains(method)
    }

    /// True when clients (calls with a provider) may call `method`: the service
    /// provides it and, when it lists the methods it exposes, lists it.
    pub fn exposes(&self, method: &Method) -> bool {
        self.provides(method)
            && self
                .exposed
                .as_ref()
                .is_none_or(|exposed| exposed.contains(method))
    }

    /// True for created/updated/patched/removed and the service's custom events.
    pub fn has_event(&self, event: &str) -> bool {
        matches!(event, "created" | "updated" | "patched" | "removed")
            || self.events.iter().any(|e| e == event)
    }

    pub(crate) fn chain(&self, method: &Method) -> Option<Chain> {
        self.chains.get(method).cloned()
    }

    /// Matches request path segments against this service's path.
    fn matches(&self, segments: &[&str]) -> Option<Map<String, Value>> {
        if segments.len() != self.segments.len() {
            return None;
        }
        let mut route = Map::new();
        for (pattern, actual) in self.segments.iter().zip(segments) {
            match pattern {
                Segment::Static(expected) if expected == actual => {}
                Segment::Static(_) => return None,
                Segment::Param(name) => {
                    route.insert(name.clone(), Value::String(decode(actual)));
                }
            }
        }
        Some(route)
    }

    fn is_static(&self) -> bool {
        self.segments
            .iter()
            .all(|s| matches!(s, Segment::Static(_)))
    }
}

/// A service found for a request path.
#[derive(Clone, Debug)]
pub struct Lookup {
    pub(crate) entry: Arc<ServiceEntry>,
    pub(crate) route: Map<String, Value>,
}

impl Lookup {
    /// The service found.
    pub fn entry(&self) -> &Arc<ServiceEntry> {
        &self.entry
    }

    /// Values of the path's placeholders.
    pub fn route(&self) -> &Map<String, Value> {
        &self.route
    }
}

impl Registry {
    /// Adds a service; a second service on the same path is an error naming both.
    pub(crate) fn insert(&mut self, entry: ServiceEntry) -> Result<()> {
        if let Some(existing) = self.by_path.get(&*entry.path) {
            return Err(Error::general(format!(
                "two services are registered on the path '{}': {} and {}",
                entry.path, existing.type_name, entry.type_name
            )));
        }
        let entry = Arc::new(entry);
        self.by_path.insert(entry.path.to_string(), entry.clone());
        self.has_placeholders |= !entry.is_static();
        self.entries.push(entry);
        self.entries.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(())
    }

    pub(crate) fn entries(&self) -> &[Arc<ServiceEntry>] {
        &self.entries
    }

    /// The service registered under exactly this path (placeholders included).
    pub(crate) fn get(&self, path: &str) -> Option<&Arc<ServiceEntry>> {
        self.by_path.get(path.trim_matches('/')).or_else(|| {
            path.trim_matches('/')
                .is_empty()
                .then(|| self.by_path.get("/"))
                .flatten()
        })
    }

    /// The service for a concrete path such as `users/7/messages`: static paths win
    /// over paths with placeholders.
    pub(crate) fn lookup(&self, path: &str) -> Option<Lookup> {
        let trimmed = path.trim_matches('/');
        if let Some(entry) = self.get(trimmed) {
            if entry.is_static() {
                return Some(Lookup {
                    entry: entry.clone(),
                    route: Map::new(),
                });
            }
        }
        let segments: Vec<&str> = if trimmed.is_empty() {
            Vec::new()
        } else {
            trimmed.split('/').collect()
        };
        self.lookup_segments(&segments)
    }

    fn lookup_segments(&self, segments: &[&str]) -> Option<Lookup> {
        let mut best: Option<Lookup> = None;
        for entry in &self.entries {
            if let Some(route) = entry.matches(segments) {
                if entry.is_static() {
                    return Some(Lookup {
                        entry: entry.clone(),
                        route,
                    });
                }
                best.get_or_insert(Lookup {
                    entry: entry.clone(),
                    route,
                });
            }
        }
        best
    }

    /// For REST: the service for `path`, or for `path` minus its last segment with that
    /// segment as the id.
    pub(crate) fn lookup_with_id(&self, path: &str) -> Option<(Lookup, Option<String>)> {
        let trimmed = path.trim_matches('/');
        if !self.has_placeholders && !trimmed.contains("//") {
            // Every path is static: a request's path is a service's, or a service's
            // plus an id. Two map lookups instead of matching every service.
            let found = |entry: &Arc<ServiceEntry>| Lookup {
                entry: entry.clone(),
                route: Map::new(),
            };
            if let Some(entry) = self.get(trimmed) {
                return Some((found(entry), None));
            }
            let (parent, last) = trimmed.rsplit_once('/').unwrap_or(("", trimmed));
            return self
                .get(parent)
                .map(|entry| (found(entry), Some(decode(last))));
        }
        let segments: Vec<&str> = if trimmed.is_empty() {
            Vec::new()
        } else {
            trimmed.split('/').collect()
        };
        if let Some(found) = self.lookup_segments(&segments) {
            return Some((found, None));
        }
        let (last, parent) = segments.split_last()?;
        let found = self.lookup_segments(parent)?;
        Some((found, Some(decode(last))))
    }
}

/// The names of `methods`, for messages: `find, get, create`.
pub(crate) fn method_names(methods: &[Method]) -> String {
    methods
        .iter()
        .map(Method::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

//! The message on the broker: feathers-sync's `{event, path, data, context}`, plus an
//! `origin` that FeathersJS ignores and feathers-rs uses to skip its own messages and
//! to drop duplicates.
//!
//! `context` follows FeathersJS' hook context as feathers-sync serialises it (`path`,
//! `method`, `type`, `event`, `id`, `result`, `dispatch`, `params`, `http`), with
//! `result` and `dispatch` being this event's item, and without the call's input
//! `data`, `arguments`, `params.headers`, `params.authentication`,
//! `params.connection` and every secret field.

use std::sync::Arc;

use feathers_runtime::{EventOrigin, Id, Method, Params, Provider, ServiceEvent};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::secrets::{Filtered, SecretFields};

/// Who published a message, and its place in that publisher's sequence.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub(crate) struct Origin {
    pub(crate) instance: String,
    pub(crate) seq: u64,
}

/// Params fields that never travel (besides the secret fields).
const PARAMS_KEPT_HOME: &[&str] = &["headers", "authentication", "connection", "arguments"];

#[derive(Serialize)]
struct Outgoing<'a> {
    event: &'a str,
    path: &'a str,
    data: Filtered<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<OutgoingContext<'a>>,
    origin: OriginRef<'a>,
}

#[derive(Serialize)]
struct OriginRef<'a> {
    instance: &'a str,
    seq: u64,
}

#[derive(Serialize)]
struct OutgoingContext<'a> {
    path: &'a str,
    method: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    event: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a Id>,
    result: Filtered<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dispatch: Option<Filtered<'a>>,
    params: OutgoingParams<'a>,
    http: Map<String, Value>,
}

struct OutgoingParams<'a> {
    params: &'a Params,
    secrets: &'a SecretFields,
}

impl Serialize for OutgoingParams<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let params = self.params;
        let secrets = self.secrets;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("query", &params.query)?;
        map.serialize_entry("route", &params.route)?;
        if let Some(provider) = &params.provider {
            map.serialize_entry("provider", provider.as_str())?;
        }
        if let Some(user) = &params.user {
            map.serialize_entry("user", &secrets.filtered(user))?;
        }
        for (key, value) in &params.extra {
            let reserved = matches!(key.as_str(), "query" | "route" | "provider" | "user");
            if !reserved && !PARAMS_KEPT_HOME.contains(&key.as_str()) && !secrets.is_secret(key) {
                map.serialize_entry(key, &secrets.filtered(value))?;
            }
        }
        map.end()
    }
}

/// Encodes a local event as a feathers-sync message, number `seq` of `instance`.
pub(crate) fn encode(
    event: &ServiceEvent,
    instance: &str,
    seq: u64,
    secrets: &SecretFields,
) -> serde_json::Result<Vec<u8>> {
    let data = secrets.filtered(&event.data);
    let context = match (&event.method, &event.params) {
        (Some(method), Some(params)) => Some(OutgoingContext {
            path: &event.path,
            method: method.as_str(),
            kind: "around",
            event: &event.event,
            id: event.id.as_ref(),
            result: secrets.filtered(&event.data),
            dispatch: event.dispatch.as_ref().map(|d| secrets.filtered(d)),
            params: OutgoingParams { params, secrets },
            http: Map::new(),
        }),
        _ => None,
    };
    serde_json::to_vec(&Outgoing {
        event: &event.event,
        path: &event.path,
        data,
        context,
        origin: OriginRef { instance, seq },
    })
}

#[derive(Deserialize)]
struct Incoming {
    event: String,
    path: String,
    #[serde(default)]
    data: Value,
    #[serde(default)]
    context: Option<Value>,
    #[serde(default)]
    origin: Option<Origin>,
}

/// A message read from the broker.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub(crate) event: ServiceEvent,
    /// Present on messages from feathers-rs instances.
    pub(crate) origin: Option<Origin>,
}

/// Decodes a message from any feathers-sync publisher (FeathersJS or feathers-rs).
pub(crate) fn decode(bytes: &[u8], secrets: &SecretFields) -> serde_json::Result<Decoded> {
    let Incoming {
        event,
        path,
        mut data,
        context,
        origin,
    } = serde_json::from_slice(bytes)?;
    secrets.strip(&mut data);
    let mut service_event = ServiceEvent {
        path: Arc::from(path.trim_matches('/')),
        event,
        data,
        dispatch: None,
        method: None,
        params: None,
        id: None,
        origin: EventOrigin::Remote,
    };
    if let Some(Value::Object(mut context)) = context {
        let dispatch = item_dispatch(&service_event.data, &mut context);
        service_event.dispatch = dispatch.map(|mut dispatch| {
            secrets.strip(&mut dispatch);
            dispatch
        });
        service_event.method = context
            .get("method")
            .and_then(Value::as_str)
            .map(Method::from_name);
        service_event.id = context
            .get("id")
            .and_then(|id| Id::from_value(id).ok().flatten());
        let params = match context.remove("params") {
            Some(Value::Object(params)) => params_from(params, secrets),
            _ => Params::default(),
        };
        service_event.params = Some(Arc::new(params));
    }
    Ok(Decoded {
        event: service_event,
        origin,
    })
}

/// The client-safe item for `data`: `dispatch` itself, or, when FeathersJS sent the
/// whole array of a multi call, the dispatch entry at the index of `data` in `result`.
fn item_dispatch(data: &Value, context: &mut Map<String, Value>) -> Option<Value> {
    let dispatch = context.remove("dispatch").filter(|d| !d.is_null())?;
    match (context.get("result"), dispatch) {
        (Some(Value::Array(results)), Value::Array(mut dispatched)) if !data.is_array() => {
            let index = results.iter().position(|item| item == data)?;
            (index < dispatched.len()).then(|| dispatched.swap_remove(index))
        }
        (_, dispatch) => Some(dispatch),
    }
}

fn params_from(fields: Map<String, Value>, secrets: &SecretFields) -> Params {
    let mut params = Params::default();
    for (key, mut value) in fields {
        if PARAMS_KEPT_HOME.contains(&key.as_str()) || secrets.is_secret(&key) {
            continue;
        }
        secrets.strip(&mut value);
        let other = match (key.as_str(), value) {
            ("query", Value::Object(query)) => {
                params.query = query;
                None
            }
            ("route", Value::Object(route)) => {
                params.route = route;
                None
            }
            ("provider", Value::String(provider)) => {
                params.provider = Some(provider_from(provider));
                None
            }
            ("user", user) => {
                params.user = Some(user);
                None
            }
            ("query" | "route" | "provider", _) => None,
            (_, value) => Some(value),
        };
        if let Some(value) = other {
            params.extra.insert(key, value);
        }
    }
    params
}

fn provider_from(name: String) -> Provider {
    match name.as_str() {
        "rest" => Provider::Rest,
        "socketio" => Provider::SocketIo,
        "primus" => Provider::Primus,
        _ => Provider::Other(name),
    }
}

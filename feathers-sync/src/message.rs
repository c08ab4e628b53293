//! The message on the broker: feathers-sync's `{event, path, data, context}`, plus an
//! `origin` that FeathersJS ignores and feathers-rs uses to skip its own messages and
//! to drop duplicates.
//!
//! `context` follows FeathersJS' hook context as feathers-sync serialises it (`path`,
//! `method`, `type`, `event`, `id`, `result`, `dispatch`, `params`, `http`), with
//! `result` and `dispatch` being this event's item, and without the call's input
//! `data` and `arguments`. Of the params only what a receiver's publishers use
//! travels: `query`, `route`, `provider`, `authenticated`, and of `user` its id (more
//! fields only when the app shares them). The rest is
//! about the caller's connection (`headers`, `connection`, `remoteAddress`,
//! `authentication`) or private to the producing instance, and stays home; every
//! secret field is removed wherever it appears.

use std::sync::Arc;

use feathers_core::{EventOrigin, Id, Method, Params, Provider, ServiceEvent};
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

/// The params fields that travel, both ways: what FeathersJS' authentication sets and
/// publishers read. Everything else (`headers`, `connection`, `remoteAddress`,
/// `authentication`, fields hooks added) stays on the instance that has it.
const PARAMS_THAT_TRAVEL: &[&str] = &["query", "route", "provider", "user", "authenticated"];

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
            map.serialize_entry("user", &secrets.shared_user(user))?;
        }
        if params.authenticated {
            map.serialize_entry("authenticated", &true)?;
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
        if !PARAMS_THAT_TRAVEL.contains(&key.as_str()) || secrets.is_secret(&key) {
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
                params.user = Some(secrets.shared_user(&user));
                None
            }
            ("authenticated", authenticated) => {
                params.authenticated = authenticated == Value::Bool(true);
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

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use serde_json::json;

    fn local_create() -> ServiceEvent {
        let mut params = Params {
            provider: Some(Provider::Rest),
            user: Some(json!({"id": 7, "email": "a@b.c", "password": "$2a$10$hash"})),
            authentication: Some(json!({"strategy": "jwt", "accessToken": "eyJ.x.y"})),
            ..Params::default()
        };
        params.query.insert("room".into(), json!("lobby"));
        params.authenticated = true;
        params.extra.insert("accessToken".into(), json!("eyJ.x.y"));
        params
            .extra
            .insert("remoteAddress".into(), json!("203.0.113.9"));
        params
            .extra
            .insert("connection".into(), json!({"remoteAddress": "203.0.113.9"}));
        params
            .extra
            .insert("loggedAt".into(), json!("2024-01-01T00:00:00Z"));
        let headers = Arc::make_mut(&mut params.headers);
        headers.insert("authorization", HeaderValue::from_static("Bearer eyJ.x.y"));
        headers.insert("cookie", HeaderValue::from_static("session=s"));
        ServiceEvent {
            path: Arc::from("messages"),
            event: "created".into(),
            data: json!({"id": 1, "text": "hi", "secretNote": "x"}),
            dispatch: Some(json!({"id": 1, "text": "hi"})),
            method: Some(Method::Create),
            params: Some(Arc::new(params)),
            id: None,
            origin: EventOrigin::Local,
        }
    }

    #[test]
    fn a_local_event_travels_as_feathers_sync_json_without_secrets_or_the_callers_connection() {
        let bytes = encode(&local_create(), "me", 4, &SecretFields::default()).expect("encodes");
        let text = String::from_utf8(bytes.clone()).expect("UTF-8");
        for secret in [
            "$2a$10$hash",
            "eyJ.x.y",
            "session=s",
            "authorization",
            "cookie",
            "remoteAddress",
            "203.0.113.9",
            "loggedAt",
        ] {
            assert!(
                !text.to_lowercase().contains(&secret.to_lowercase()),
                "{secret} leaked: {text}"
            );
        }
        let message: Value = serde_json::from_slice(&bytes).expect("JSON");
        assert_eq!(
            message,
            json!({
                "event": "created",
                "path": "messages",
                "data": {"id": 1, "text": "hi", "secretNote": "x"},
                "context": {
                    "path": "messages",
                    "method": "create",
                    "type": "around",
                    "event": "created",
                    "result": {"id": 1, "text": "hi", "secretNote": "x"},
                    "dispatch": {"id": 1, "text": "hi"},
                    "params": {
                        "query": {"room": "lobby"},
                        "route": {},
                        "provider": "rest",
                        "user": {"id": 7},
                        "authenticated": true
                    },
                    "http": {}
                },
                "origin": {"instance": "me", "seq": 4}
            })
        );
    }

    #[test]
    fn a_custom_event_travels_without_a_context_and_added_secret_names_are_left_out() {
        let mut secrets = SecretFields::default();
        secrets.add("secretNote");
        let mut event = local_create();
        event.event = "typing".into();
        event.method = None;
        event.params = None;
        event.dispatch = None;
        let message: Value =
            serde_json::from_slice(&encode(&event, "me", 1, &secrets).expect("encodes"))
                .expect("JSON");
        assert_eq!(
            message,
            json!({"event": "typing", "path": "messages", "data": {"id": 1, "text": "hi"},
                   "origin": {"instance": "me", "seq": 1}})
        );
    }

    /// A message published by FeathersJS 5.0.50 with feathers-sync 3.1.1 for a REST
    /// create with an authenticated user and a dispatch set by an after hook.
    const FROM_FEATHERS: &str = r#"{"event":"created","path":"messages","data":{"text":"hi","id":0},"context":{"http":{},"arguments":[{"text":"hi"},{"query":{"x":"1"},"headers":{"authorization":"Bearer abc"},"route":{},"provider":"rest","user":{"id":1,"password":"hash"},"authentication":{"accessToken":"tok"}}],"event":"created","type":"around","result":{"text":"hi","id":0},"dispatch":{"text":"hi","id":0,"safe":true},"data":{"text":"hi"},"params":{"query":{"x":"1"},"headers":{"host":"127.0.0.1:38911","authorization":"Bearer abc","cookie":"a=b"},"route":{},"provider":"rest","user":{"id":1,"password":"hash"},"authentication":{"accessToken":"tok"}},"path":"messages","method":"create"}}"#;

    #[test]
    fn a_feathers_message_becomes_a_remote_event_with_its_client_data_and_params() {
        let decoded = decode(FROM_FEATHERS.as_bytes(), &SecretFields::default()).expect("decodes");
        assert_eq!(decoded.origin, None);
        let event = decoded.event;
        assert_eq!(
            (&*event.path, event.event.as_str()),
            ("messages", "created")
        );
        assert_eq!(event.origin, EventOrigin::Remote);
        assert_eq!(event.data, json!({"text": "hi", "id": 0}));
        assert_eq!(
            event.client_data(),
            &json!({"text": "hi", "id": 0, "safe": true})
        );
        assert_eq!(event.method, Some(Method::Create));
        let params = event.params.expect("params");
        assert_eq!(params.provider, Some(Provider::Rest));
        assert_eq!(params.query.get("x"), Some(&json!("1")));
        assert_eq!(
            params.user,
            Some(json!({"id": 1})),
            "the password hash is dropped"
        );
        assert!(params.authentication.is_none() && params.headers.is_empty());
        assert!(params.extra.is_empty(), "{:?}", params.extra);
    }

    #[test]
    fn a_multi_result_from_feathers_gives_each_item_its_dispatch_entry() {
        let message = json!({
            "event": "created", "path": "/messages/", "data": {"id": 2, "secret": "b"},
            "context": {"method": "create", "id": null,
                        "result": [{"id": 1, "secret": "a"}, {"id": 2, "secret": "b"}],
                        "dispatch": [{"id": 1}, {"id": 2}]}
        });
        let bytes = serde_json::to_vec(&message).expect("JSON");
        let event = decode(&bytes, &SecretFields::default())
            .expect("decodes")
            .event;
        assert_eq!(&*event.path, "messages");
        assert_eq!(event.dispatch, Some(json!({"id": 2})));
        assert_eq!(event.id, None);
    }

    #[test]
    fn our_message_decodes_to_the_same_event() {
        let mut event = local_create();
        event.method = Some(Method::Patch);
        event.event = "patched".into();
        event.id = Some(Id::Str("abc".into()));
        let secrets = SecretFields::default();
        let decoded = decode(
            &encode(&event, "them", 9, &secrets).expect("encodes"),
            &secrets,
        )
        .expect("decodes");
        assert_eq!(
            decoded.origin,
            Some(Origin {
                instance: "them".into(),
                seq: 9
            })
        );
        let back = decoded.event;
        assert_eq!(
            (back.event.as_str(), &back.data, &back.dispatch),
            ("patched", &event.data, &event.dispatch)
        );
        assert_eq!(
            (back.method, back.id),
            (Some(Method::Patch), Some(Id::Str("abc".into())))
        );
        let params = back.params.expect("params");
        assert_eq!(
            params.user,
            Some(json!({"id": 7})),
            "only the user's id travels"
        );
        assert!(params.authenticated);
        assert_eq!(params.query.get("room"), Some(&json!("lobby")));
    }

    #[test]
    fn connection_fields_from_another_publisher_do_not_reach_this_instance() {
        let message = json!({
            "event": "created", "path": "messages", "data": {"id": 1},
            "context": {"method": "create", "params": {
                "provider": "socketio", "authenticated": true,
                "remoteAddress": "203.0.113.9", "connection": {"remoteAddress": "203.0.113.9"},
                "headers": {"cookie": "a=b"}, "ip": "203.0.113.9"
            }}
        });
        let bytes = serde_json::to_vec(&message).expect("JSON");
        let event = decode(&bytes, &SecretFields::default())
            .expect("decodes")
            .event;
        let params = event.params.expect("params");
        assert_eq!(params.provider, Some(Provider::SocketIo));
        assert!(params.authenticated);
        assert!(params.extra.is_empty(), "{:?}", params.extra);
    }

    #[test]
    fn malformed_messages_are_errors() {
        let secrets = SecretFields::default();
        for bad in [
            &b"not json"[..],
            b"{}",
            b"{\"event\":1,\"path\":\"x\"}",
            b"[]",
        ] {
            assert!(
                decode(bad, &secrets).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}

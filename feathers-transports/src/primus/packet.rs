//! Primus frames: every websocket text frame is JSON. Protocol strings
//! (`"primus::pong::<ts>"`, `"primus::id::"`), and primus-emitter packets
//! `{"type":0,"data":[event, ...args],"id":n}` (events) and `{"type":1,...}` (acks).

use serde_json::Value;

use crate::json_text;
use feathers_core::Error;

/// A frame received from a Primus client.
#[derive(Debug, PartialEq)]
pub(super) enum Inbound {
    Pong,
    IdRequest,
    /// A primus-emitter event: a method call.
    Event {
        ack: Option<u64>,
        event: String,
        args: Vec<Value>,
    },
    /// Acks from the client, unknown protocol strings, wrong shapes: dropped.
    Ignored,
}

/// Event names primus-emitter ignores.
fn reserved(event: &str) -> bool {
    event.starts_with("incoming::")
        || event.starts_with("outgoing::")
        || matches!(
            event,
            "data" | "end" | "error" | "heartbeat" | "readyStateChange"
        )
}

pub(super) fn parse(text: &str) -> Inbound {
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return Inbound::Ignored;
    };
    match value {
        Value::String(protocol) if protocol.starts_with("primus::pong::") => Inbound::Pong,
        Value::String(protocol) if protocol == "primus::id::" => Inbound::IdRequest,
        Value::Object(mut packet) => {
            if packet.get("type").and_then(Value::as_u64) != Some(0) {
                return Inbound::Ignored;
            }
            let ack = match packet.get("id") {
                None => None,
                Some(id) => match id.as_u64() {
                    Some(id) => Some(id),
                    None => return Inbound::Ignored,
                },
            };
            let Some(Value::Array(mut data)) = packet.remove("data") else {
                return Inbound::Ignored;
            };
            if data.is_empty() {
                return Inbound::Ignored;
            }
            let Value::String(event) = data.remove(0) else {
                return Inbound::Ignored;
            };
            if reserved(&event) {
                return Inbound::Ignored;
            }
            Inbound::Event {
                ack,
                event,
                args: data,
            }
        }
        _ => Inbound::Ignored,
    }
}

/// Splits the legacy `"<path>::<method>"` event form into its method and its
/// arguments with the path in front, as the modern form has them.
pub(super) fn method_and_args(event: String, args: Vec<Value>) -> (String, Vec<Value>) {
    match event.rsplit_once("::") {
        Some((path, method)) if !path.is_empty() && !method.is_empty() => {
            let mut with_path = Vec::with_capacity(args.len() + 1);
            with_path.push(Value::String(path.to_owned()));
            with_path.extend(args);
            (method.to_owned(), with_path)
        }
        _ => (event, args),
    }
}

/// `{"id":n,"type":1,"data":[null,result]}` or `{"id":n,"type":1,"data":[error]}`,
/// written straight into one buffer.
pub(super) fn ack(id: u64, outcome: &Result<Value, Error>) -> String {
    let mut digits = itoa::Buffer::new();
    let prefix = [r#"{"id":"#, digits.format(id), r#","type":1,"data":"#];
    json_text::ack(&prefix, outcome, "}")
}

pub(super) fn ping(now_ms: u128) -> String {
    format!("\"primus::ping::{now_ms}\"")
}

pub(super) fn id(spark: &str) -> String {
    Value::String(format!("primus::id::{spark}")).to_string()
}

pub(super) const SERVER_CLOSE: &str = "\"primus::server::close\"";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_emitter_events_and_protocol_strings() {
        assert_eq!(
            parse(r#"{"type":0,"data":["find","todos",{}],"id":1}"#),
            Inbound::Event {
                ack: Some(1),
                event: "find".into(),
                args: vec![json!("todos"), json!({})]
            }
        );
        assert_eq!(
            parse(r#"{"type":0,"data":["create","todos",{"a":1}]}"#),
            Inbound::Event {
                ack: None,
                event: "create".into(),
                args: vec![json!("todos"), json!({"a": 1})]
            }
        );
        assert_eq!(parse(r#""primus::pong::1795877195463""#), Inbound::Pong);
        assert_eq!(parse(r#""primus::id::""#), Inbound::IdRequest);
    }

    #[test]
    fn drops_wrong_shapes_and_reserved_events() {
        for text in [
            "not json",
            "{}",
            "[]",
            "42",
            r#"{"type":1,"data":[null],"id":1}"#,
            r#"{"type":0,"data":"x"}"#,
            r#"{"type":0,"data":[]}"#,
            r#"{"type":0,"data":[1]}"#,
            r#"{"type":0,"data":["find"],"id":"1"}"#,
            r#"{"type":0,"data":["end"]}"#,
            r#"{"type":0,"data":["incoming::data"]}"#,
            r#""primus::other""#,
        ] {
            assert_eq!(parse(text), Inbound::Ignored, "{text}");
        }
    }

    #[test]
    fn legacy_path_method_events_become_modern_calls() {
        assert_eq!(
            method_and_args("todos::get".into(), vec![json!(0), json!({})]),
            ("get".to_owned(), vec![json!("todos"), json!(0), json!({})])
        );
        assert_eq!(
            method_and_args("get".into(), vec![json!("todos")]),
            ("get".to_owned(), vec![json!("todos")])
        );
    }

    #[test]
    fn writes_acks_and_protocol_strings() {
        assert_eq!(
            ack(3, &Ok(json!([1]))),
            r#"{"id":3,"type":1,"data":[null,[1]]}"#
        );
        assert_eq!(
            ack(4, &Err(Error::not_found("x"))),
            r#"{"id":4,"type":1,"data":[{"name":"NotFound","message":"x","code":404,"className":"not-found"}]}"#
        );
        assert_eq!(ping(17), r#""primus::ping::17""#);
        assert_eq!(id("abc"), r#""primus::id::abc""#);
    }
}

//! Socket.IO v5 packets, inside Engine.IO messages:
//! `<type>[<attachments>-][<namespace>,][<ack id>][<JSON>]`.

use serde_json::{json, Value};

/// A Socket.IO packet received from a client.
#[derive(Debug, PartialEq)]
pub enum SocketPacket {
    /// `0[<namespace>,][<auth>]`: the client connects to a namespace.
    Connect {
        /// The namespace, `/` when none is named.
        namespace: String,
    },
    /// `1`: the client leaves the default namespace.
    Disconnect,
    /// `2[<ack id>]["<event>",...args]`: an event; the Feathers clients call methods
    /// with them.
    Event {
        /// The id the answer goes to, when the client waits for one.
        ack: Option<u64>,
        /// The event's name (for a Feathers call, the method).
        event: String,
        /// The rest of the array.
        args: Vec<Value>,
    },
    /// Acks from the client, binary packets and the like: nothing for the server to do.
    Ignored,
    /// A DISCONNECT, EVENT or ACK for a namespace other than `/`, which this server
    /// does not have (so no client is connected to it): ignored, as Socket.IO does.
    OtherNamespace {
        /// The namespace named.
        namespace: String,
    },
}

/// Why a packet could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum PacketError {
    /// Binary attachments are not supported.
    Binary,
    /// Not a Socket.IO packet.
    Malformed(&'static str),
    /// An event whose ack id could be read but whose payload could not: the client
    /// waits on that ack, so it gets an error answer.
    BadEvent {
        /// The ack id the answer goes to.
        ack: u64,
        /// What is wrong with the payload.
        why: &'static str,
    },
}

/// Ack ids are at most this many digits (they fit in a u64 and JS numbers).
const MAX_ACK_DIGITS: usize = 15;

/// Reads one Socket.IO packet (what an Engine.IO message carries).
pub fn parse(text: &str) -> Result<SocketPacket, PacketError> {
    let mut rest = text;
    let kind = rest
        .chars()
        .next()
        .ok_or(PacketError::Malformed("empty packet"))?;
    rest = &rest[kind.len_utf8()..];
    if matches!(kind, '5' | '6') {
        return Err(PacketError::Binary);
    }
    let namespace = if rest.starts_with('/') {
        let end = rest.find(',').unwrap_or(rest.len());
        let namespace = rest[..end].to_owned();
        rest = rest.get(end + 1..).unwrap_or("");
        namespace
    } else {
        "/".to_owned()
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let ack = if digits == 0 {
        None
    } else if digits > MAX_ACK_DIGITS {
        return Err(PacketError::Malformed("ack id too long"));
    } else {
        let id = rest[..digits]
            .parse()
            .map_err(|_| PacketError::Malformed("bad ack id"))?;
        rest = &rest[digits..];
        Some(id)
    };
    if kind != '0' && namespace != "/" && matches!(kind, '1'..='4') {
        return Ok(SocketPacket::OtherNamespace { namespace });
    }
    match kind {
        '0' => Ok(SocketPacket::Connect { namespace }),
        '1' => Ok(SocketPacket::Disconnect),
        '2' => {
            let bad = |why| match ack {
                Some(ack) => PacketError::BadEvent { ack, why },
                None => PacketError::Malformed(why),
            };
            let value: Value =
                serde_json::from_str(rest).map_err(|_| bad("event payload is not JSON"))?;
            let Value::Array(mut items) = value else {
                return Err(bad("event payload is not an array"));
            };
            if items.is_empty() {
                return Err(bad("event without a name"));
            }
            let Value::String(event) = items.remove(0) else {
                return Err(bad("event name is not a string"));
            };
            Ok(SocketPacket::Event {
                ack,
                event,
                args: items,
            })
        }
        '3' | '4' => Ok(SocketPacket::Ignored),
        _ => Err(PacketError::Malformed("unknown packet type")),
    }
}

/// `40{"sid":..}`: the namespace is connected.
pub fn connected(socket_id: &str) -> String {
    format!("40{}", json!({ "sid": socket_id }))
}

/// `44[<namespace>,]{"message":..}`: the namespace refused the connection.
pub fn connect_error(namespace: &str, message: &str) -> String {
    let body = json!({ "message": message });
    if namespace == "/" {
        format!("44{body}")
    } else {
        format!("44{namespace},{body}")
    }
}

/// `41`: the server disconnects the socket; the client will not reconnect.
pub const DISCONNECT: &str = "41";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_events_with_and_without_acks() {
        assert_eq!(
            parse(r#"21["find","todos",{"$limit":1}]"#),
            Ok(SocketPacket::Event {
                ack: Some(1),
                event: "find".into(),
                args: vec![json!("todos"), json!({"$limit": 1})]
            })
        );
        assert_eq!(
            parse(r#"2["create","todos",{}]"#),
            Ok(SocketPacket::Event {
                ack: None,
                event: "create".into(),
                args: vec![json!("todos"), json!({})]
            })
        );
        assert_eq!(
            parse(r#"2/admin,7["x"]"#),
            Ok(SocketPacket::OtherNamespace {
                namespace: "/admin".into()
            })
        );
        for other in ["1/admin,", "3/admin,1[]", "4/admin,{}", "2/a,not json"] {
            assert!(
                matches!(parse(other), Ok(SocketPacket::OtherNamespace { .. })),
                "{other}"
            );
        }
        assert_eq!(
            connect_error("/admin", "Invalid namespace"),
            r#"44/admin,{"message":"Invalid namespace"}"#
        );
    }

    #[test]
    fn reads_connect_and_disconnect() {
        assert_eq!(
            parse("0"),
            Ok(SocketPacket::Connect {
                namespace: "/".into()
            })
        );
        assert_eq!(
            parse(r#"0{"token":"x"}"#),
            Ok(SocketPacket::Connect {
                namespace: "/".into()
            })
        );
        assert_eq!(
            parse("0/admin,"),
            Ok(SocketPacket::Connect {
                namespace: "/admin".into()
            })
        );
        assert_eq!(parse("1"), Ok(SocketPacket::Disconnect));
    }

    #[test]
    fn refuses_garbage_and_binary_without_panicking() {
        for bad in [
            "",
            "2",
            "2{}",
            "2[]",
            "2[1]",
            "2[\"a\"",
            "9",
            "2999999999999999999[\"x\"]",
            "2/,",
            "é",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            parse(r#"51-["x",{"_placeholder":true,"num":0}]"#),
            Err(PacketError::Binary)
        );
    }

    #[test]
    fn writes_the_connect_answer() {
        assert_eq!(connected("abc"), r#"40{"sid":"abc"}"#);
    }
}

//! Engine.IO v4 packets: `0` open, `1` close, `2` ping, `3` pong, `4` message,
//! `5` upgrade, `6` noop; polling payloads separate packets with `\x1e`.

use serde_json::json;

use feathers_core::Config;

/// The separator between packets in a polling payload.
pub(super) const SEPARATOR: char = '\x1e';

/// An Engine.IO packet received from a client.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum EnginePacket<'a> {
    Close,
    Ping(&'a str),
    Pong(&'a str),
    /// A Socket.IO packet.
    Message(&'a str),
    Upgrade,
    Noop,
    /// Binary data (`b` + base64 over polling, or a binary websocket frame): refused.
    Binary,
    /// Anything else.
    Invalid,
}

pub(super) fn parse(text: &str) -> EnginePacket<'_> {
    let mut chars = text.chars();
    let Some(kind) = chars.next() else {
        return EnginePacket::Invalid;
    };
    let rest = chars.as_str();
    match kind {
        '1' => EnginePacket::Close,
        '2' => EnginePacket::Ping(rest),
        '3' => EnginePacket::Pong(rest),
        '4' => EnginePacket::Message(rest),
        '5' => EnginePacket::Upgrade,
        '6' => EnginePacket::Noop,
        'b' => EnginePacket::Binary,
        _ => EnginePacket::Invalid,
    }
}

/// The open packet: session id, upgrades, and the timing the client must follow.
pub(super) fn open_packet(sid: &str, upgrades: bool, config: &Config) -> String {
    let upgrades: &[&str] = if upgrades { &["websocket"] } else { &[] };
    let body = json!({
        "sid": sid,
        "upgrades": upgrades,
        "pingInterval": config.ping_interval.as_millis() as u64,
        "pingTimeout": config.ping_timeout.as_millis() as u64,
        "maxPayload": config.max_message,
    });
    format!("0{body}")
}

pub(super) const PING: &str = "2";
pub(super) const NOOP: &str = "6";
pub(super) const CLOSE: &str = "1";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_packet_type() {
        assert_eq!(parse("40"), EnginePacket::Message("0"));
        assert_eq!(parse("2probe"), EnginePacket::Ping("probe"));
        assert_eq!(parse("3"), EnginePacket::Pong(""));
        assert_eq!(parse("5"), EnginePacket::Upgrade);
        assert_eq!(parse("6"), EnginePacket::Noop);
        assert_eq!(parse("1"), EnginePacket::Close);
        assert_eq!(parse("bAAEC"), EnginePacket::Binary);
        assert_eq!(parse(""), EnginePacket::Invalid);
        assert_eq!(parse("9x"), EnginePacket::Invalid);
        assert_eq!(parse("é"), EnginePacket::Invalid);
    }

    #[test]
    fn the_open_packet_carries_the_timing() {
        let packet = open_packet("abc", true, &Config::default());
        assert_eq!(
            packet,
            r#"0{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#
        );
    }
}

//! Engine.IO v4 packets: `0` open, `1` close, `2` ping, `3` pong, `4` message,
//! `5` upgrade, `6` noop; polling payloads separate packets with `\x1e`.

use std::time::Duration;

use serde_json::json;

/// The separator between packets in a polling payload.
pub const SEPARATOR: char = '\x1e';

/// An Engine.IO packet received from a client.
#[derive(Debug, PartialEq, Eq)]
pub enum EnginePacket<'a> {
    /// `1`: the client closes the session.
    Close,
    /// `2<data>`: a ping (the client's upgrade probe is `2probe`).
    Ping(&'a str),
    /// `3<data>`: the answer to the server's ping.
    Pong(&'a str),
    /// `4<packet>`: a Socket.IO packet.
    Message(&'a str),
    /// `5`: the client moves the session to the websocket it probed.
    Upgrade,
    /// `6`: nothing (ends a long poll during an upgrade).
    Noop,
    /// Binary data (`b` + base64 over polling, or a binary websocket frame): refused.
    Binary,
    /// Anything else.
    Invalid,
}

/// Reads one Engine.IO packet; what is not one is [`EnginePacket::Invalid`].
pub fn parse(text: &str) -> EnginePacket<'_> {
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

/// What the open packet tells the client to follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenTiming {
    /// How often the server pings.
    pub ping_interval: Duration,
    /// How long the client may take to answer a ping.
    pub ping_timeout: Duration,
    /// The largest packet the server accepts, in bytes.
    pub max_payload: usize,
}

/// The open packet: session id, upgrades, and the timing the client must follow.
pub fn open_packet(sid: &str, upgrades: bool, timing: &OpenTiming) -> String {
    let upgrades: &[&str] = if upgrades { &["websocket"] } else { &[] };
    let body = json!({
        "sid": sid,
        "upgrades": upgrades,
        "pingInterval": u64::try_from(timing.ping_interval.as_millis()).unwrap_or(u64::MAX),
        "pingTimeout": u64::try_from(timing.ping_timeout.as_millis()).unwrap_or(u64::MAX),
        "maxPayload": timing.max_payload,
    });
    format!("0{body}")
}

/// The server's ping.
pub const PING: &str = "2";
/// A packet that carries nothing.
pub const NOOP: &str = "6";
/// The server closes the session; the client reconnects.
pub const CLOSE: &str = "1";

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
        let timing = OpenTiming {
            ping_interval: Duration::from_secs(25),
            ping_timeout: Duration::from_secs(20),
            max_payload: 1_000_000,
        };
        let packet = open_packet("abc", true, &timing);
        assert_eq!(
            packet,
            r#"0{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#
        );
    }
}

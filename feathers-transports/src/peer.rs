//! The client's address on a real-time connection, for hooks such as login limits:
//! the `remoteAddress` field, as REST calls carry it in `params.extra`.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use serde_json::Value;

use feathers_core::Connection;

/// The TCP peer's address, when the server records it (`App::listen`, `serve`).
pub(crate) fn peer_address(extensions: &http::Extensions) -> Option<IpAddr> {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
}

/// Keeps the peer's address in the connection's `remoteAddress` field.
pub(crate) fn record_peer(connection: &Connection, peer: Option<IpAddr>) {
    if let Some(address) = peer {
        connection.set("remoteAddress", Value::String(address_text(address)));
    }
}

/// The address as text, as `Display` writes it. IPv4 (nearly every request) is
/// written digit by digit: the formatter's general path costs more than the rest of
/// building a request's params.
pub(crate) fn address_text(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => {
            let mut text = String::with_capacity(15);
            for (index, octet) in v4.octets().into_iter().enumerate() {
                if index > 0 {
                    text.push('.');
                }
                text.push_str(itoa::Buffer::new().format(octet));
            }
            text
        }
        IpAddr::V6(_) => address.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_read_as_display_writes_them() {
        for text in [
            "127.0.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "10.20.3.4",
            "::1",
            "fe80::1",
        ] {
            let address: IpAddr = text.parse().unwrap_or_else(|err| panic!("{text}: {err}"));
            assert_eq!(address_text(address), address.to_string());
        }
    }
}

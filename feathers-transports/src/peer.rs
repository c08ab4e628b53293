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
        connection.set("remoteAddress", Value::String(address.to_string()));
    }
}

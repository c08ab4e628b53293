//! Transports: they decode the wire into calls of the app, and frame the answers.

pub(crate) mod metrics_endpoint;
pub(crate) mod primus;
pub mod rest;
pub(crate) mod socketio;

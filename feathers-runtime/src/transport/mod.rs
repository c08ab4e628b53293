//! Transports: they decode the wire into calls of the app, and frame the answers.

pub mod rest;
pub(crate) mod primus;
pub(crate) mod socketio;

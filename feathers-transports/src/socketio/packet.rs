//! Socket.IO packets, from the protocol crate, and the acks that carry Feathers results
//! and errors.

use serde_json::Value;

use crate::json_text;
use feathers_core::Error;
pub(super) use feathers_socketio_protocol::socket::{
    connect_error, connected, parse, PacketError, SocketPacket, DISCONNECT,
};

/// `43<id>[null,result]` or `43<id>[error]`, written straight into one buffer.
pub(super) fn ack(id: u64, outcome: &Result<Value, Error>) -> String {
    json_text::ack(&["43", itoa::Buffer::new().format(id)], outcome, "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_acks_in_feathers_shape() {
        assert_eq!(ack(3, &Ok(json!({"id": 1}))), r#"433[null,{"id":1}]"#);
        let err = Error::not_found("Service 'nope' not found");
        assert_eq!(
            ack(7, &Err(err)),
            r#"437[{"name":"NotFound","message":"Service 'nope' not found","code":404,"className":"not-found"}]"#
        );
    }
}

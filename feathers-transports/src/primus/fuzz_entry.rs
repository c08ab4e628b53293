//! The Primus parser as the fuzz targets reach it (see `crate::__fuzz`).

use super::packet::{self, Inbound};

/// One Primus frame, and the legacy event form split into method and arguments.
pub fn fuzz_frame(text: &str) {
    if let Inbound::Event { event, args, .. } = packet::parse(text) {
        let count = args.len();
        let (method, args) = packet::method_and_args(event, args);
        assert!(args.len() == count || args.len() == count + 1);
        assert!(!method.is_empty() || args.len() == count);
    }
}

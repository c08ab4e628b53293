//! Method names a custom method may not take.

/// Names a custom method may not take: they are methods of Feathers' service objects
/// (event emitter and hook API), so the JavaScript clients could not call them.
pub const RESERVED_METHOD_NAMES: &[&str] = &[
    "_events",
    "_eventsCount",
    "_maxListeners",
    "setMaxListeners",
    "getMaxListeners",
    "emit",
    "addListener",
    "on",
    "prependListener",
    "once",
    "prependOnceListener",
    "removeListener",
    "off",
    "removeAllListeners",
    "listeners",
    "rawListeners",
    "listenerCount",
    "eventNames",
    "all",
    "around",
    "before",
    "after",
    "error",
    "hooks",
    "setup",
    "teardown",
    "publish",
];

/// True when `name` is one of [`RESERVED_METHOD_NAMES`].
pub fn is_reserved_method_name(name: &str) -> bool {
    RESERVED_METHOD_NAMES.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_emitter_and_hook_names_are_reserved() {
        for name in ["emit", "on", "hooks", "publish", "_events"] {
            assert!(is_reserved_method_name(name), "{name}");
        }
        for name in ["archive", "find_all", "Emit"] {
            assert!(!is_reserved_method_name(name), "{name}");
        }
    }
}

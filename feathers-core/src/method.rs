//! Service method names: the six standard methods and custom ones.

use std::fmt;
use std::sync::Arc;

/// A service method.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// `find(params)`
    Find,
    /// `get(id, params)`
    Get,
    /// `create(data, params)`
    Create,
    /// `update(id, data, params)`
    Update,
    /// `patch(id, data, params)`
    Patch,
    /// `remove(id, params)`
    Remove,
    /// A custom method, called with `(data, params)`.
    Custom(Arc<str>),
}

/// Names a custom method may not take: they are methods of Feathers' service objects
/// (event emitter and hook API), so the JavaScript clients could not call them.
pub use feathers_rules::RESERVED_METHOD_NAMES;

impl Method {
    /// The six standard methods.
    pub const STANDARD: [Method; 6] = [
        Method::Find,
        Method::Get,
        Method::Create,
        Method::Update,
        Method::Patch,
        Method::Remove,
    ];

    /// The method for a name: a standard one when the name is standard, else custom.
    pub fn from_name(name: &str) -> Method {
        match name {
            "find" => Method::Find,
            "get" => Method::Get,
            "create" => Method::Create,
            "update" => Method::Update,
            "patch" => Method::Patch,
            "remove" => Method::Remove,
            other => Method::Custom(Arc::from(other)),
        }
    }

    /// A custom method.
    pub fn custom(name: &str) -> Method {
        Method::Custom(Arc::from(name))
    }

    /// The method's name: `find`, ..., or the custom method's own.
    pub fn as_str(&self) -> &str {
        match self {
            Method::Find => "find",
            Method::Get => "get",
            Method::Create => "create",
            Method::Update => "update",
            Method::Patch => "patch",
            Method::Remove => "remove",
            Method::Custom(name) => name,
        }
    }

    /// True for the six standard methods.
    pub fn is_standard(&self) -> bool {
        !matches!(self, Method::Custom(_))
    }

    /// The event a successful call emits: `created`, `updated`, `patched`, `removed`.
    pub fn default_event(&self) -> Option<&'static str> {
        match self {
            Method::Create => Some("created"),
            Method::Update => Some("updated"),
            Method::Patch => Some("patched"),
            Method::Remove => Some("removed"),
            _ => None,
        }
    }

    /// Whether the method takes an id argument.
    pub fn takes_id(&self) -> bool {
        matches!(
            self,
            Method::Get | Method::Update | Method::Patch | Method::Remove
        )
    }

    /// Whether the method takes a data argument.
    pub fn takes_data(&self) -> bool {
        matches!(
            self,
            Method::Create | Method::Update | Method::Patch | Method::Custom(_)
        )
    }

    /// The position of the params (query) argument in a socket call's arguments.
    pub fn query_position(&self) -> usize {
        match self {
            Method::Find => 0,
            Method::Update | Method::Patch => 2,
            _ => 1,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for method in Method::STANDARD {
            assert_eq!(Method::from_name(method.as_str()), method);
        }
        assert_eq!(Method::from_name("archive"), Method::custom("archive"));
    }

    #[test]
    fn events_and_layout_follow_feathers() {
        assert_eq!(Method::Create.default_event(), Some("created"));
        assert_eq!(Method::Find.default_event(), None);
        assert_eq!(Method::custom("x").default_event(), None);
        assert_eq!(Method::Find.query_position(), 0);
        assert_eq!(Method::Patch.query_position(), 2);
        assert_eq!(Method::custom("x").query_position(), 1);
    }
}

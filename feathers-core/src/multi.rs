//! The `multi` option adapters share: which methods may act on many records at once.

use crate::method::Method;

/// Which methods may act on many records at once: `create` with an array, `patch` and
/// `remove` with a null id. `find` always may; `get` and `update` never do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Multi {
    /// None of them (the default).
    #[default]
    Off,
    /// All three.
    All,
    /// Only these.
    Methods(Vec<Method>),
}

impl Multi {
    /// Ok unless the call acts on many records (`many`) and `method` may not: then
    /// Feathers' 405 (`Can not patch multiple entries`).
    pub fn check(&self, method: &Method, many: bool) -> crate::error::Result<()> {
        if many && !self.allows(method) {
            return Err(crate::error::Error::method_not_allowed(format!(
                "Can not {method} multiple entries"
            )));
        }
        Ok(())
    }

    /// Whether `method` may act on many records.
    pub fn allows(&self, method: &Method) -> bool {
        match method {
            Method::Find => true,
            Method::Get | Method::Update => false,
            _ => match self {
                Multi::Off => false,
                Multi::All => true,
                Multi::Methods(methods) => methods.contains(method),
            },
        }
    }
}

impl From<bool> for Multi {
    fn from(all: bool) -> Multi {
        if all {
            Multi::All
        } else {
            Multi::Off
        }
    }
}

impl From<&[&str]> for Multi {
    fn from(methods: &[&str]) -> Multi {
        Multi::Methods(methods.iter().map(|name| Method::from_name(name)).collect())
    }
}

impl<const N: usize> From<[&str; N]> for Multi {
    fn from(methods: [&str; N]) -> Multi {
        Multi::from(&methods[..])
    }
}

impl From<Vec<&str>> for Multi {
    fn from(methods: Vec<&str>) -> Multi {
        Multi::from(&methods[..])
    }
}

impl From<Vec<Method>> for Multi {
    fn from(methods: Vec<Method>) -> Multi {
        Multi::Methods(methods)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_follows_feathers_allows_multi() {
        let create_only = Multi::from(["create"]);
        assert!(create_only.allows(&Method::Create));
        assert!(!create_only.allows(&Method::Patch));
        assert!(create_only.allows(&Method::Find));
        assert!(!Multi::All.allows(&Method::Update));
        assert!(!Multi::All.allows(&Method::Get));
        assert!(Multi::All.allows(&Method::Remove));
        assert!(!Multi::from(false).allows(&Method::Remove));
    }
}

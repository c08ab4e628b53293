//! The app's named channels. A channel exists from its first use and is dropped once
//! its last connection leaves.

use std::collections::HashMap;
use std::sync::{Arc, RwLock, Weak};

use super::channel::{Channel, Members};
use crate::realtime::Connection;

#[derive(Default)]
pub(crate) struct ChannelRegistry {
    named: RwLock<HashMap<Arc<str>, Arc<Members>>>,
}

impl ChannelRegistry {
    /// The named channel, created when missing.
    pub(crate) fn channel(self: &Arc<Self>, name: &str) -> Channel {
        if let Some(members) = self.read().get(name) {
            return Channel::named(name.into(), members.clone(), Arc::downgrade(self));
        }
        let mut named = self.write();
        let members = named.entry(Arc::from(name)).or_default().clone();
        Channel::named(name.into(), members, Arc::downgrade(self))
    }

    /// The names of the channels that have connections.
    pub(crate) fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .read()
            .iter()
            .filter(|(_, members)| !members.is_empty())
            .map(|(name, _)| name.to_string())
            .collect();
        names.sort();
        names
    }

    /// Every channel with its number of connections.
    pub(crate) fn sizes(&self) -> std::collections::BTreeMap<String, usize> {
        self.read()
            .iter()
            .map(|(name, members)| (name.to_string(), members.len()))
            .collect()
    }

    /// Removes a connection from every channel (on disconnect and logout).
    pub(crate) fn leave_all(&self, connection: &Connection) {
        let mut named = self.write();
        named.retain(|_, members| {
            members.remove(connection.id());
            !members.is_empty()
        });
    }

    /// Drops a channel once it is empty.
    pub(crate) fn drop_if_empty(&self, name: &str) {
        let mut named = self.write();
        if named.get(name).is_some_and(|members| members.is_empty()) {
            named.remove(name);
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<Arc<str>, Arc<Members>>> {
        crate::sync::read(&self.named)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<Arc<str>, Arc<Members>>> {
        crate::sync::write(&self.named)
    }
}

pub(crate) type RegistryRef = Weak<ChannelRegistry>;

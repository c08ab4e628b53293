//! The app's named channels. A channel exists from its first use and is dropped once
//! its last connection leaves.

use std::collections::HashMap;
use std::sync::{Arc, Weak};

use parking_lot::RwLock;

use super::members::Members;
use feathers_core::Connection;

#[derive(Default)]
pub(crate) struct ChannelRegistry {
    named: RwLock<HashMap<Arc<str>, Arc<Members>>>,
}

impl ChannelRegistry {
    /// The members of a channel, while it exists.
    pub(crate) fn members(&self, name: &str) -> Option<Arc<Members>> {
        self.read().get(name).cloned()
    }

    /// Adds a connection to a channel, creating the channel when missing. A closed
    /// connection is not added: the check and the insert happen under the registry's
    /// lock, which `leave_all` (after the connection is closed) waits for, so a
    /// connection that is ending never stays behind in a channel.
    pub(crate) fn join(&self, name: &str, connection: &Connection) {
        {
            let named = self.read();
            if let Some(members) = named.get(name) {
                if !connection.is_closed() {
                    members.insert(connection);
                }
                return;
            }
        }
        let mut named = self.write();
        if connection.is_closed() {
            return;
        }
        named.entry(Arc::from(name)).or_default().insert(connection);
    }

    /// Removes the connections for which `predicate` is true; drops the channel once empty.
    pub(crate) fn leave_where(&self, name: &str, predicate: impl Fn(&Connection) -> bool) {
        let mut named = self.write();
        if let Some(members) = named.get(name) {
            members.retain(|connection| !predicate(connection));
            if members.is_empty() {
                named.remove(name);
            }
        }
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

    fn read(&self) -> parking_lot::RwLockReadGuard<'_, HashMap<Arc<str>, Arc<Members>>> {
        self.named.read()
    }

    fn write(&self) -> parking_lot::RwLockWriteGuard<'_, HashMap<Arc<str>, Arc<Members>>> {
        self.named.write()
    }
}

pub(crate) type RegistryRef = Weak<ChannelRegistry>;

//! A channel: a set of connections, and optionally the data they get instead of the
//! event's own.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, RwLock};

use serde_json::Value;

use super::registry::RegistryRef;
use crate::realtime::{Connection, ConnectionId};

/// The connections of a channel, in join order.
#[derive(Default)]
pub(crate) struct Members {
    connections: RwLock<BTreeMap<ConnectionId, Connection>>,
}

impl Members {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<ConnectionId, Connection>> {
        crate::sync::read(&self.connections)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, BTreeMap<ConnectionId, Connection>> {
        crate::sync::write(&self.connections)
    }

    pub(crate) fn remove(&self, id: ConnectionId) -> bool {
        self.write().remove(&id).is_some()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.read().len()
    }

    fn from_connections(connections: impl IntoIterator<Item = Connection>) -> Members {
        Members {
            connections: RwLock::new(connections.into_iter().map(|c| (c.id(), c)).collect()),
        }
    }
}

/// A channel: named and registered in the app (`app.channel("everybody")`), or
/// detached (what `filter`, `send` and combining return).
#[derive(Clone)]
pub struct Channel {
    name: Option<Arc<str>>,
    members: Arc<Members>,
    registry: Option<RegistryRef>,
    data: Option<Arc<Value>>,
}

impl fmt::Debug for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Channel")
            .field("name", &self.name)
            .field("len", &self.len())
            .field("data", &self.data)
            .finish()
    }
}

impl Channel {
    pub(crate) fn named(name: Arc<str>, members: Arc<Members>, registry: RegistryRef) -> Channel {
        Channel {
            name: Some(name),
            members,
            registry: Some(registry),
            data: None,
        }
    }

    /// A detached channel holding these connections.
    pub fn of(connections: impl IntoIterator<Item = Connection>) -> Channel {
        Channel {
            name: None,
            members: Arc::new(Members::from_connections(connections)),
            registry: None,
            data: None,
        }
    }

    /// Several channels as one: each connection once, the first channel's data winning.
    pub fn combine(channels: impl IntoIterator<Item = Channel>) -> Channel {
        let mut seen = BTreeMap::new();
        for channel in channels {
            for connection in channel.connections() {
                seen.entry(connection.id()).or_insert(connection);
            }
        }
        Channel::of(seen.into_values())
    }

    /// The name, for channels registered in the app.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Adds a connection (once, however often it joins). Closed connections are not added.
    pub fn join(&self, connection: &Connection) -> &Channel {
        if !connection.is_closed() {
            self.members
                .write()
                .entry(connection.id())
                .or_insert_with(|| connection.clone());
        }
        self
    }

    /// Removes a connection; a named channel left empty is dropped from the app.
    pub fn leave(&self, connection: &Connection) -> &Channel {
        self.members.remove(connection.id());
        self.drop_if_empty();
        self
    }

    /// Removes every connection for which `predicate` is true.
    pub fn leave_where(&self, predicate: impl Fn(&Connection) -> bool) -> &Channel {
        self.members
            .write()
            .retain(|_, connection| !predicate(connection));
        self.drop_if_empty();
        self
    }

    fn drop_if_empty(&self) {
        if let (Some(name), Some(registry)) = (&self.name, &self.registry) {
            if self.members.is_empty() {
                if let Some(registry) = registry.upgrade() {
                    registry.drop_if_empty(name);
                }
            }
        }
    }

    /// A detached channel of the connections for which `predicate` is true.
    pub fn filter(&self, predicate: impl Fn(&Connection) -> bool) -> Channel {
        let mut filtered = Channel::of(self.connections().into_iter().filter(|c| predicate(c)));
        filtered.data = self.data.clone();
        filtered
    }

    /// The same connections, receiving `data` instead of the event's own.
    pub fn send(&self, data: Value) -> Channel {
        Channel {
            name: None,
            members: self.members.clone(),
            registry: None,
            data: Some(Arc::new(data)),
        }
    }

    /// The data set with [`Channel::send`].
    pub fn data(&self) -> Option<&Value> {
        self.data.as_deref()
    }

    /// The connections, in join order of their ids.
    pub fn connections(&self) -> Vec<Connection> {
        self.members.read().values().cloned().collect()
    }

    pub fn contains(&self, connection: &Connection) -> bool {
        self.members.read().contains_key(&connection.id())
    }

    pub fn len(&self) -> usize {
        self.members.read().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(crate) fn shared_data(&self) -> Option<&Arc<Value>> {
        self.data.as_ref()
    }

    pub(crate) fn for_each_connection(&self, mut f: impl FnMut(&Connection)) {
        for connection in self.members.read().values() {
            f(connection);
        }
    }
}

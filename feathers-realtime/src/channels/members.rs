//! The connections of one channel.

use std::collections::BTreeMap;

use parking_lot::RwLock;

use feathers_core::{Connection, ConnectionId};

/// The connections of a channel, in join order.
#[derive(Default)]
pub(crate) struct Members {
    connections: RwLock<BTreeMap<ConnectionId, Connection>>,
}

impl Members {
    pub(crate) fn read(
        &self,
    ) -> parking_lot::RwLockReadGuard<'_, BTreeMap<ConnectionId, Connection>> {
        self.connections.read()
    }

    fn write(&self) -> parking_lot::RwLockWriteGuard<'_, BTreeMap<ConnectionId, Connection>> {
        self.connections.write()
    }

    pub(crate) fn remove(&self, id: ConnectionId) -> bool {
        self.write().remove(&id).is_some()
    }

    pub(crate) fn insert(&self, connection: &Connection) {
        self.write()
            .entry(connection.id())
            .or_insert_with(|| connection.clone());
    }

    pub(crate) fn retain(&self, keep: impl Fn(&Connection) -> bool) {
        self.write().retain(|_, connection| keep(connection));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.read().len()
    }

    pub(crate) fn from_connections(connections: impl IntoIterator<Item = Connection>) -> Members {
        Members {
            connections: RwLock::new(connections.into_iter().map(|c| (c.id(), c)).collect()),
        }
    }
}

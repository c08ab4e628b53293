//! A channel: a set of connections, and optionally the data they get instead of the
//! event's own.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use super::members::Members;
use super::registry::{ChannelRegistry, RegistryRef};
use feathers_core::Connection;

/// Where a channel's connections are: the app's registry (looked up on every use, so
/// a handle stays valid after the channel emptied and was dropped), or a set of its own.
#[derive(Clone)]
enum Source {
    Named {
        name: Arc<str>,
        registry: RegistryRef,
    },
    Detached(Arc<Members>),
}

/// A channel: named and registered in the app (`app.channel("everybody")`), or
/// detached (what `filter`, `send` and combining return).
///
/// A named channel's handle refers to the channel by name: joining through a handle
/// kept from before the channel emptied (and was dropped) joins the channel that
/// publishers see, and merely looking at a channel does not create it.
#[derive(Clone)]
pub struct Channel {
    name: Option<Arc<str>>,
    source: Source,
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
    /// A handle on the channel `name` of `registry`. It does not create the channel:
    /// joining does.
    pub(crate) fn in_registry(registry: &Arc<ChannelRegistry>, name: &str) -> Channel {
        Channel::named(name.into(), Arc::downgrade(registry))
    }

    pub(crate) fn named(name: Arc<str>, registry: RegistryRef) -> Channel {
        Channel {
            name: Some(name.clone()),
            source: Source::Named { name, registry },
            data: None,
        }
    }

    /// A detached channel holding these connections.
    pub fn of(connections: impl IntoIterator<Item = Connection>) -> Channel {
        Channel {
            name: None,
            source: Source::Detached(Arc::new(Members::from_connections(connections))),
            data: None,
        }
    }

    /// Several channels as one: each connection once, the first channel's data winning
    /// (the data of the first channel that has any).
    pub fn combine(channels: impl IntoIterator<Item = Channel>) -> Channel {
        let mut seen = BTreeMap::new();
        let mut data = None;
        for channel in channels {
            if data.is_none() {
                data = channel.data.clone();
            }
            channel.for_each_connection(|connection| {
                seen.entry(connection.id())
                    .or_insert_with(|| connection.clone());
            });
        }
        let mut combined = Channel::of(seen.into_values());
        combined.data = data;
        combined
    }

    /// The name, for channels registered in the app.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The current members: the registry's for a named channel (`None` while the
    /// channel does not exist), the channel's own otherwise.
    fn members(&self) -> Option<Arc<Members>> {
        match &self.source {
            Source::Named { name, registry } => match registry.upgrade() {
                Some(registry) => registry.members(name),
                None => None,
            },
            Source::Detached(members) => Some(members.clone()),
        }
    }

    /// Adds a connection (once, however often it joins). Closed connections are not
    /// added. A named channel that does not exist (any more) is created.
    pub fn join(&self, connection: &Connection) -> &Channel {
        match &self.source {
            Source::Named { name, registry } => {
                if let Some(registry) = registry.upgrade() {
                    registry.join(name, connection);
                }
            }
            Source::Detached(members) => {
                if !connection.is_closed() {
                    members.insert(connection);
                }
            }
        }
        self
    }

    /// Removes a connection; a named channel left empty is dropped from the app.
    pub fn leave(&self, connection: &Connection) -> &Channel {
        let id = connection.id();
        self.leave_where(|c| c.id() == id)
    }

    /// Removes every connection for which `predicate` is true; a named channel left
    /// empty is dropped from the app.
    pub fn leave_where(&self, predicate: impl Fn(&Connection) -> bool) -> &Channel {
        match &self.source {
            Source::Named { name, registry } => {
                if let Some(registry) = registry.upgrade() {
                    registry.leave_where(name, predicate);
                }
            }
            Source::Detached(members) => members.retain(|c| !predicate(c)),
        }
        self
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
            source: self.source.clone(),
            data: Some(Arc::new(data)),
        }
    }

    /// The data set with [`Channel::send`].
    pub fn data(&self) -> Option<&Value> {
        self.data.as_deref()
    }

    /// The connections, in join order of their ids.
    pub fn connections(&self) -> Vec<Connection> {
        self.members()
            .map(|members| members.read().values().cloned().collect())
            .unwrap_or_default()
    }

    /// True when `connection` is in the channel.
    pub fn contains(&self, connection: &Connection) -> bool {
        self.members()
            .is_some_and(|members| members.read().contains_key(&connection.id()))
    }

    /// How many connections the channel holds.
    pub fn len(&self) -> usize {
        self.members().map_or(0, |members| members.len())
    }

    /// True when it holds no connection.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(crate) fn shared_data(&self) -> Option<&Arc<Value>> {
        self.data.as_ref()
    }

    pub(crate) fn for_each_connection(&self, mut f: impl FnMut(&Connection)) {
        if let Some(members) = self.members() {
            for connection in members.read().values() {
                f(connection);
            }
        }
    }
}

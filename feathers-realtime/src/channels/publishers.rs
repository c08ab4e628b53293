//! Publishers decide which channels get an event; delivery sends it to each selected
//! connection once, encoded once per distinct payload.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde_json::Value;

use super::channel::Channel;
use feathers_core::App;
use feathers_core::ServiceEvent;
use feathers_core::{ConnectionId, EventFrame};

/// Picks the channels that receive an event.
pub type Publisher = Arc<dyn Fn(&ServiceEvent, &App) -> Vec<Channel> + Send + Sync>;

#[derive(Default)]
struct Level {
    all: Option<Publisher>,
    by_event: HashMap<String, Publisher>,
}

impl Level {
    fn find(&self, event: &str) -> Option<&Publisher> {
        self.by_event.get(event).or(self.all.as_ref())
    }

    fn set(&mut self, event: Option<&str>, publisher: Publisher) {
        match event {
            Some(event) => {
                self.by_event.insert(event.to_owned(), publisher);
            }
            None => self.all = Some(publisher),
        }
    }

    fn is_empty(&self) -> bool {
        self.all.is_none() && self.by_event.is_empty()
    }
}

/// Every publisher of the app, by level.
#[derive(Default)]
pub(crate) struct Publishers {
    app: Level,
    services: HashMap<String, Level>,
}

impl Publishers {
    pub(crate) fn set_app(&mut self, event: Option<&str>, publisher: Publisher) {
        self.app.set(event, publisher);
    }

    pub(crate) fn set_service(&mut self, path: &str, event: Option<&str>, publisher: Publisher) {
        self.services
            .entry(path.to_owned())
            .or_default()
            .set(event, publisher);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.app.is_empty() && self.services.values().all(Level::is_empty)
    }

    /// Feathers' precedence: service[event], service[all], app[event], app[all].
    pub(crate) fn find_publisher(&self, path: &str, event: &str) -> Option<Publisher> {
        self.services
            .get(path)
            .and_then(|level| level.find(event))
            .or_else(|| self.app.find(event))
            .cloned()
    }
}

/// Sends an event to the connections its publisher selects: each connection at most
/// once, with the data of the first selected channel that carries `send(data)`,
/// otherwise the event's client data (dispatch, or the result). Each distinct payload
/// is encoded once, and only when some connection receives it.
pub(crate) fn deliver(app: &App, event: &ServiceEvent, publisher: &Publisher) {
    let channels = publisher(event, app);
    let mut frames = Frames {
        event,
        default: None,
        custom: Vec::new(),
    };
    // A connection in several of the channels gets the event once. One channel (the
    // common case) has each connection once already, so needs no set.
    let mut seen: Option<HashSet<ConnectionId>> = (channels.len() > 1).then(HashSet::new);
    let mut sent = 0u64;
    for channel in &channels {
        let data = channel.shared_data();
        let mut frame: Option<Arc<EventFrame>> = None;
        channel.for_each_connection(|connection| {
            let first_time = seen
                .as_mut()
                .is_none_or(|seen| seen.insert(connection.id()));
            if first_time {
                let frame = frame.get_or_insert_with(|| frames.for_data(data));
                if connection.send_event(frame) {
                    sent += 1;
                }
            }
        });
    }
    feathers_core::metrics::event_published(&event.path, &event.event, sent);
}

/// The encoded frames of one event, by payload.
struct Frames<'a> {
    event: &'a ServiceEvent,
    default: Option<Arc<EventFrame>>,
    custom: Vec<(Arc<Value>, Arc<EventFrame>)>,
}

impl Frames<'_> {
    fn name(&self) -> String {
        format!("{} {}", self.event.path, self.event.event)
    }

    fn for_data(&mut self, data: Option<&Arc<Value>>) -> Arc<EventFrame> {
        match data {
            None => {
                let (name, event) = (self.name(), self.event);
                self.default
                    .get_or_insert_with(|| EventFrame::new(name, event.client_data()))
                    .clone()
            }
            Some(data) => {
                if let Some((_, frame)) = self
                    .custom
                    .iter()
                    .find(|(known, _)| Arc::ptr_eq(known, data))
                {
                    return frame.clone();
                }
                let frame = EventFrame::new(self.name(), data);
                self.custom.push((data.clone(), frame.clone()));
                frame
            }
        }
    }
}

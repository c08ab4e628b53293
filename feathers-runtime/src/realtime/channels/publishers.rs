//! Publishers decide which channels get an event; delivery sends it to each selected
//! connection once, encoded once per distinct payload.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde_json::Value;

use super::Channel;
use crate::app::App;
use crate::events::ServiceEvent;
use crate::realtime::{ConnectionId, EventFrame};

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
/// otherwise the event's client data (dispatch, or the result).
pub(crate) fn deliver(app: &App, event: &ServiceEvent) {
    let Some(publisher) = app.publisher_for(&event.path, &event.event) else {
        return;
    };
    let channels = publisher(event, app);
    if channels.is_empty() {
        return;
    }
    let name = format!("{} {}", event.path, event.event);
    let default_frame = std::cell::OnceCell::new();
    let mut custom_frames: Vec<(Arc<Value>, Arc<EventFrame>)> = Vec::new();
    let mut seen: HashSet<ConnectionId> = HashSet::new();
    for channel in &channels {
        let frame = match channel.shared_data() {
            None => default_frame
                .get_or_init(|| EventFrame::new(name.clone(), event.client_data()))
                .clone(),
            Some(data) => match custom_frames
                .iter()
                .find(|(known, _)| Arc::ptr_eq(known, data))
            {
                Some((_, frame)) => frame.clone(),
                None => {
                    let frame = EventFrame::new(name.clone(), data);
                    custom_frames.push((data.clone(), frame.clone()));
                    frame
                }
            },
        };
        channel.for_each_connection(|connection| {
            if seen.insert(connection.id()) {
                connection.send_event(&frame);
            }
        });
    }
}

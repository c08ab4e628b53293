//! The app each test instance runs: a memory-backed `notes` service (multi) with the
//! custom `typing` event, and a recorder of every event its server-side listeners see.

use std::sync::{Arc, Mutex};

use feathers_runtime::prelude::*;
use feathers_runtime::{EventOrigin, MemoryService};

/// `(event, data, origin)` for each event a server-side listener saw, in order.
pub type Seen = Arc<Mutex<Vec<(String, Value, EventOrigin)>>>;

/// An app with the `notes` service, and what its `notes` listeners see.
pub fn instance() -> (App, Seen) {
    let app = App::builder()
        .service_at("notes", MemoryService::new().multi(true).events(["typing"]))
        .build()
        .expect("the app builds");
    let seen: Seen = Arc::default();
    let log = seen.clone();
    app.service("notes").expect("notes").on_any(move |event| {
        if let Ok(mut log) = log.lock() {
            log.push((event.event.clone(), event.data.clone(), event.origin));
        }
    });
    (app, seen)
}

pub fn seen(seen: &Seen) -> Vec<(String, Value, EventOrigin)> {
    seen.lock().map(|log| log.clone()).unwrap_or_default()
}

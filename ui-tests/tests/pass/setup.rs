//! `#[setup]` functions run once when the app is built from registered services: the
//! place for channels, publishers and connection handlers.

#![deny(warnings)]

use feathers_runtime::prelude::*;

#[derive(Default)]
struct Notes;

#[service("notes")]
impl Notes {
    async fn create(&self, data: Value) -> Result<Value> {
        Ok(data)
    }
}

#[setup]
fn publish_everything(app: &App) {
    app.publish(|_event, app| vec![app.channel("everybody")]);
}

/// A set-up that looks a service up and can report failure with `?`.
#[setup]
fn publish_notes(app: &App) -> Result<()> {
    let notes = app.service("notes")?;
    notes.publish(|_event, app| vec![app.channel("notes")]);
    app.publish_service("notes", |_event, app| vec![app.channel("note-readers")]);
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = App::from_registered().unwrap();
    assert!(app.has_publishers(), "the setup function ran");
    let built = App::builder().service(Notes).build().unwrap();
    assert!(!built.has_publishers(), "explicit builders run only the setups they are given");
    let failing = App::builder()
        .service(Notes)
        .setup(|app: &App| -> Result<()> {
            app.service("missing")?;
            Ok(())
        })
        .build();
    let message = failing.err().map(|err| err.message().to_owned()).unwrap_or_default();
    assert!(message.contains("failed") && message.contains("missing"), "{message}");
}

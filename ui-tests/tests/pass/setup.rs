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

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = App::from_registered().unwrap();
    assert!(app.has_publishers(), "the setup function ran");
    let built = App::builder().service(Notes).build().unwrap();
    assert!(!built.has_publishers(), "explicit builders run only the setups they are given");
}

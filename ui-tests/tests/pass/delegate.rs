//! A service built on an adapter: the block defines only what it adds, the delegate
//! answers the rest, and `methods` limits what clients may call.

#![deny(warnings)]

use feathers_runtime::prelude::*;

#[derive(Default)]
struct Rooms {
    store: MemoryService,
}

#[service("rooms", events = ["opened"], delegate = store, methods = ["find", "create", "open"])]
impl Rooms {
    #[method]
    async fn open(&self, data: Value, this: ServiceRef) -> Result<Value> {
        this.emit("opened", data.clone())?;
        Ok(data)
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = App::builder().service(Rooms::default()).build().unwrap();
    let rooms = app.service("rooms").unwrap();
    rooms.create(json!({"name": "a"}), Params::default()).await.unwrap();
    let found = rooms.find(Params::default()).await.unwrap();
    assert_eq!(found, json!([{"name": "a", "id": 0}]));
    assert!(rooms.entry().has_event("opened"));
}

use feathers_runtime::prelude::*;

#[derive(Deserialize)]
struct NewNote {
    text: String,
}

#[derive(Default)]
struct Notes {
    store: MemoryService,
}

#[service("notes", delegate = store, data = NewNote)]
impl Notes {}

fn main() {}

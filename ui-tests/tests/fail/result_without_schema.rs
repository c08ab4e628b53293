use feathers_runtime::prelude::*;

#[derive(Serialize, Deserialize)]
struct Note {
    id: u64,
    text: String,
}

#[derive(Default)]
struct Notes {
    store: MemoryService,
}

#[service("notes", delegate = store, result = Note)]
impl Notes {}

fn main() {}

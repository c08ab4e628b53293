use feathers_runtime::prelude::*;

#[derive(Serialize, Deserialize, JsonSchema)]
struct Note {
    id: u64,
    text: String,
}

#[derive(Default)]
struct Notes {
    store: MemoryService,
}

fn shout(note: &mut Note, _ctx: &HookContext) {
    note.text = note.text.to_uppercase();
}

#[service("notes", delegate = store)]
#[resolve(shout)]
impl Notes {}

fn main() {}

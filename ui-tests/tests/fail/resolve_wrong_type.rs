use feathers_runtime::prelude::*;

#[derive(Serialize, Deserialize, JsonSchema)]
struct Note {
    id: u64,
    text: String,
}

#[derive(Serialize, Deserialize, JsonSchema)]
struct User {
    id: u64,
    email: String,
}

#[derive(Default)]
struct Notes {
    store: MemoryService,
}

/// A resolver of users, mistakenly put on the notes.
fn lower_case_email(user: &mut User, _ctx: &HookContext) {
    user.email = user.email.to_lowercase();
}

#[service("notes", delegate = store, result = Note)]
#[resolve(lower_case_email)]
impl Notes {}

fn main() {}

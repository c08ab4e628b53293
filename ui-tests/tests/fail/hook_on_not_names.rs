use feathers_runtime::prelude::*;

#[derive(Default)]
struct Notes {
    store: MemoryService,
}

async fn audit(_ctx: &mut HookContext) -> Result<()> {
    Ok(())
}

#[service("notes", delegate = store)]
#[before(on = [find], audit)]
#[before(on = "find", audit)]
#[before(on = ["find"])]
#[before(on = [], audit)]
impl Notes {}

fn main() {}

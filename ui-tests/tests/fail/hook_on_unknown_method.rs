use feathers_runtime::prelude::*;

#[derive(Default)]
struct Notes;

async fn audit(_ctx: &mut HookContext) -> Result<()> {
    Ok(())
}

#[service("notes")]
#[before(on = ["find", "crate"], audit)]
impl Notes {
    async fn find(&self) -> Result<Value> {
        Ok(json!([]))
    }
}

fn main() {}

use feathers_runtime::prelude::*;

#[derive(Default)]
struct Notes;

async fn audit(_ctx: &mut HookContext) -> Result<()> {
    Ok(())
}

#[service("notes")]
impl Notes {
    #[before(on = ["find"], audit)]
    async fn find(&self) -> Result<Value> {
        Ok(json!([]))
    }
}

fn main() {}

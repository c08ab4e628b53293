use feathers_runtime::prelude::*;

async fn log(_ctx: &mut HookContext) -> Result<()> {
    Ok(())
}

#[derive(Default)]
struct Notes;

#[service("notes")]
impl Notes {
    #[befor(log)]
    async fn find(&self) -> Result<Vec<u32>> {
        Ok(Vec::new())
    }
}

fn main() {}

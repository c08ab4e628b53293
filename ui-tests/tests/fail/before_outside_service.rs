use feathers_runtime::prelude::*;

async fn log_call(_ctx: &mut HookContext) -> Result<()> {
    Ok(())
}

struct Messages;

#[before(log_call)]
impl Messages {
    async fn find(&self) -> Result<Vec<u32>> {
        Ok(Vec::new())
    }
}

fn main() {}

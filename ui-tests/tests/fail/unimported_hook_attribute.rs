use feathers_runtime::{service, HookContext, Result};

async fn log_call(_ctx: &mut HookContext) -> Result<()> {
    Ok(())
}

#[derive(Default)]
struct Messages;

#[service("messages")]
impl Messages {
    #[before(log_call)]
    async fn find(&self) -> Result<Vec<u32>> {
        Ok(Vec::new())
    }
}

fn main() {}

use feathers_runtime::prelude::*;

async fn log_call(_ctx: &mut HookContext) -> Result<()> {
    Ok(())
}

#[derive(Default)]
struct Messages;

#[service("messages")]
impl Messages {
    async fn find(&self) -> Result<Vec<u32>> {
        Ok(Vec::new())
    }

    #[before(log_call)]
    fn helper(&self) -> u32 {
        1
    }
}

fn main() {}

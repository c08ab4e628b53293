use feathers_runtime::prelude::*;

async fn timing(ctx: &mut HookContext, next: Next) -> Result<()> {
    next.run(ctx).await
}

#[derive(Default)]
struct Messages;

#[service("messages")]
impl Messages {
    #[before(timing)]
    async fn find(&self) -> Result<Vec<u32>> {
        Ok(Vec::new())
    }
}

fn main() {}

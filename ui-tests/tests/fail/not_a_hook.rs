use feathers_runtime::prelude::*;

// Takes the params, not the hook context.
async fn log_call(params: &mut Params) -> Result<()> {
    let _ = params;
    Ok(())
}

#[derive(Default)]
struct Messages;

#[service("messages")]
#[before(log_call)]
impl Messages {
    async fn find(&self) -> Result<Vec<u32>> {
        Ok(Vec::new())
    }
}

fn main() {}

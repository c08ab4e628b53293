use feathers_runtime::prelude::*;

async fn log_call(_ctx: &mut HookContext) -> Result<()> {
    Ok(())
}

#[app_hooks]
fn hooks() -> Vec<Hooks> {
    vec![Hooks::new().before(log_call)]
}

fn main() {}

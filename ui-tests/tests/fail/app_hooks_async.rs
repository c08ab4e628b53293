use feathers_runtime::prelude::*;

#[app_hooks]
async fn hooks() -> Hooks {
    Hooks::new()
}

fn main() {}

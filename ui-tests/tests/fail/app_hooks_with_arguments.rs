use feathers_runtime::prelude::*;

#[app_hooks]
fn hooks(verbose: bool) -> Hooks {
    let _ = verbose;
    Hooks::new()
}

fn main() {}

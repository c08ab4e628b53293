use feathers_runtime::prelude::*;

#[setup]
fn channels(app: &App) -> u32 {
    app.publish(|_event, app| vec![app.channel("everybody")]);
    7
}

fn main() {}

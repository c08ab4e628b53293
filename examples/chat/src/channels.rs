//! Who receives which events: every connection joins `everybody`, and every event of
//! every service goes there, so one client sees what another did.

use feathers_runtime::prelude::*;

#[setup]
fn channels(app: &App) {
    app.on_connection(|connection, app| {
        app.channel("everybody").join(connection);
    });
    app.publish(|_event, app| vec![app.channel("everybody")]);
}

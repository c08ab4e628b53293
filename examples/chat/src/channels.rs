//! Who receives which events: a connection joins `authenticated` when it logs in (and
//! leaves it on logout, expiry or disconnect), and every event of every service goes
//! there, so logged-in people see what others do and anonymous connections see nothing.

use feathers_runtime::auth::AuthAppExt;
use feathers_runtime::prelude::*;

/// Sets up the chat's channels and its publisher on `app` (which has authentication).
pub(crate) fn channels(app: &App) {
    app.on_login(|_result, connection, app| {
        if let Some(connection) = connection {
            app.channel("authenticated").join(connection);
        }
    });
    app.publish(|_event, app| vec![app.channel("authenticated")]);
}

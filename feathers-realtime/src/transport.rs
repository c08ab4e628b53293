//! What only transports call on an app: a connection is established, a connection
//! ended. Not in the prelude: an app that reported connections itself would break
//! the one place a connection ends.

use feathers_core::connection::TransportConnection;
use feathers_core::{App, Connection};

use crate::state::{guarded, state};

/// The app's side of a transport's connections (see the module documentation).
pub trait RealtimeTransport {
    /// Called by transports once a connection is established: runs the connection
    /// handlers (once per connection).
    fn connected(&self, connection: &Connection);

    /// Ends a connection: it closes, leaves every channel, and the disconnect handlers
    /// run if the connection handlers ran. Only the first call for a connection does
    /// anything, however many transports or paths report its end.
    fn disconnected(&self, connection: &Connection);
}

impl RealtimeTransport for App {
    fn connected(&self, connection: &Connection) {
        if !connection.announce() {
            return;
        }
        let handlers = state(self).on_connection.read().clone();
        for handler in handlers {
            guarded("connection", || handler(connection, self));
        }
    }

    fn disconnected(&self, connection: &Connection) {
        crate::lifecycle::end_connection(self, connection);
    }
}

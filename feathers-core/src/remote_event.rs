//! Events produced elsewhere (another instance, through a broker), delivered here as
//! if this app's service had emitted them.

use crate::error::{Error, Result};
use crate::events::{EventOrigin, ServiceEvent};
use crate::knot::App;

impl App {
    /// Delivers an event that another instance produced, as if this app's service had
    /// emitted it: the service's listeners and streams, [`App::on_any_event`] listeners
    /// and the channels its publishers select all see it, marked
    /// [`EventOrigin::Remote`] so that relays do not send it on again.
    ///
    /// `event.path` names the registered service (`users/:userId/messages`, slashes
    /// trimmed). NotFound when no service is registered there; BadRequest when the
    /// event is neither a standard event nor one the service declares.
    pub fn emit_remote_event(&self, mut event: ServiceEvent) -> Result<()> {
        let service = self.service(&event.path)?;
        let entry = service.entry();
        if !entry.has_event(&event.event) {
            return Err(Error::bad_request(format!(
                "'{}' is not an event of service '{}'",
                event.event,
                entry.path()
            )));
        }
        event.path = entry.path.clone();
        event.origin = EventOrigin::Remote;
        entry.emitter.deliver(event);
        Ok(())
    }
}

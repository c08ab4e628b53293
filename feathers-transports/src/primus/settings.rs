//! The settings of the Primus transport.

use std::path::PathBuf;
use std::time::Duration;

/// How the Primus transport pings, and where its browser library is. Change them with
/// [`AppBuilder::configure`](feathers_core::AppBuilder::configure):
///
/// ```
/// use std::time::Duration;
/// use feathers_transports::PrimusSettings;
///
/// let app = feathers_core::App::builder()
///     .configure(|primus: &mut PrimusSettings| primus.ping_interval = Duration::from_secs(5))
///     .build()
///     .unwrap();
/// assert_eq!(app.settings::<PrimusSettings>().ping_interval, Duration::from_secs(5));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PrimusSettings {
    /// How often the server pings (`"primus::ping::<ms>"`); a client that has not
    /// answered by the next ping is disconnected. Default 30 s (Primus').
    pub ping_interval: Duration,
    /// Where the generated browser library `primus.js` is, to serve it at
    /// `/primus/primus.js` (see `scripts/primus-client.mjs`). Default none.
    pub client: Option<PathBuf>,
}

impl Default for PrimusSettings {
    fn default() -> PrimusSettings {
        PrimusSettings {
            ping_interval: Duration::from_secs(30),
            client: None,
        }
    }
}

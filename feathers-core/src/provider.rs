//! `Provider`: the transport a call came through.

use std::fmt;

/// Which transport a call came through. Internal calls have none.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Provider {
    /// REST over HTTP (`rest`).
    Rest,
    /// Socket.io (`socketio`).
    SocketIo,
    /// Primus (`primus`).
    Primus,
    /// A transport of the application's own.
    Other(String),
}

impl Provider {
    /// The name Feathers uses: `rest`, `socketio`, `primus`.
    pub fn as_str(&self) -> &str {
        match self {
            Provider::Rest => "rest",
            Provider::SocketIo => "socketio",
            Provider::Primus => "primus",
            Provider::Other(name) => name,
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

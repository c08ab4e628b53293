//! The HTTP server under every app: the accept loop and the limits each connection is
//! held to.
//!
//! Every accepted connection gets `TCP_NODELAY` (small answers leave at once instead
//! of waiting on Nagle's algorithm), a header-read timeout (a client that trickles its
//! headers is cut off), a keep-alive idle timeout, and a place under a cap on open
//! connections (a connection over it is answered `503`). A shutdown stops accepting,
//! lets requests in flight finish, and drops what is still open at one deadline.
//! [`HttpLimits`] sets the numbers.

mod accept;
mod activity;
mod connection;
mod limits;
mod open_files;

pub(crate) use accept::run;
pub use accept::{nodelay_listener, serve_router};
pub use limits::HttpLimits;

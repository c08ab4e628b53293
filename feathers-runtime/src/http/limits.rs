//! The limits every HTTP connection the server accepts is held to.

use std::time::Duration;

/// Limits on the HTTP connections a server accepts, with defaults that hold against
/// slow and flooding clients.
///
/// Set them on the app as an extension; `serve`, [`Serve::serve_at`] and
/// [`Serve::listen`] read them from there (the defaults when none is set):
///
/// ```
/// use std::time::Duration;
/// use feathers_runtime::{App, HttpLimits};
///
/// let app = App::builder()
///     .extension(
///         HttpLimits::default()
///             .header_read_timeout(Duration::from_secs(5))
///             .max_connections(20_000),
///     )
///     .build()
///     .unwrap();
/// # drop(app);
/// ```
///
/// They are the app's [`HttpLimits`] settings, so
/// `.configure(|http: &mut HttpLimits| ..)` on the builder sets them as well.
///
/// The shutdown deadline is [`HttpLimits::drain_timeout`]: after SIGINT or SIGTERM the
/// server stops accepting, lets requests in flight finish and tells real-time clients
/// to reconnect elsewhere, and drops whatever is still open when the deadline passes.
///
/// [`Serve::serve_at`]: crate::Serve::serve_at
/// [`Serve::listen`]: crate::Serve::listen
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpLimits {
    /// See [`HttpLimits::header_read_timeout`]. Default 10 s.
    pub header_read_timeout: Duration,
    /// See [`HttpLimits::keep_alive_timeout`]. Default 30 s.
    pub keep_alive_timeout: Duration,
    /// See [`HttpLimits::max_connections`]. Default none: from the open-file limit.
    pub max_connections: Option<usize>,
    /// See [`HttpLimits::drain_timeout`]. Default 10 s.
    pub drain_timeout: Duration,
}

impl Default for HttpLimits {
    fn default() -> HttpLimits {
        HttpLimits {
            header_read_timeout: Duration::from_secs(10),
            keep_alive_timeout: Duration::from_secs(30),
            max_connections: None,
            drain_timeout: Duration::from_secs(10),
        }
    }
}

impl HttpLimits {
    /// How long a client has to send a request's headers, counted from the connection's
    /// opening for its first request and from the request's first byte after that. A
    /// client still sending headers then is disconnected. Default 10 s.
    pub fn header_read_timeout(mut self, timeout: Duration) -> HttpLimits {
        self.header_read_timeout = timeout;
        self
    }

    /// How long a keep-alive connection may sit idle between requests before the server
    /// closes it. Default 30 s. Behind a proxy or load balancer that keeps idle
    /// connections to the server, make this longer than the proxy's own idle timeout.
    pub fn keep_alive_timeout(mut self, timeout: Duration) -> HttpLimits {
        self.keep_alive_timeout = timeout;
        self
    }

    /// The most connections open at once, real-time ones included; a connection over
    /// the cap is answered `503 Unavailable` and closed. Default: three quarters of the
    /// process' open-file limit, which the server first raises to its hard limit.
    pub fn max_connections(mut self, connections: usize) -> HttpLimits {
        self.max_connections = Some(connections.max(1));
        self
    }

    /// The one shutdown deadline: how long a shutdown waits for HTTP requests and
    /// socket calls to finish and real-time clients to be told to reconnect before it
    /// drops every connection still open. Default 10 s.
    pub fn drain_timeout(mut self, timeout: Duration) -> HttpLimits {
        self.drain_timeout = timeout;
        self
    }

    /// The cap in force: the one set, else three quarters of `open_file_limit`.
    pub(crate) fn connection_cap(&self, open_file_limit: u64) -> usize {
        self.max_connections.unwrap_or_else(|| {
            let three_quarters = open_file_limit / 4 * 3;
            usize::try_from(three_quarters.max(16)).unwrap_or(usize::MAX)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_cap_leaves_a_quarter_of_the_files_for_everything_else() {
        let limits = HttpLimits::default();
        assert_eq!(limits.connection_cap(1024), 768);
        assert_eq!(limits.connection_cap(4), 16, "never below a usable floor");
        assert_eq!(limits.max_connections(100).connection_cap(1024), 100);
    }
}

//! The accept loop: every connection gets `TCP_NODELAY` and a place under the cap (or a
//! quick 503 when there is none), and the shutdown has one deadline for all of them.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use axum::Router;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

use feathers_core::Error;

use super::limits::HttpLimits;
use super::open_files;

/// Connections over the cap being answered at once; beyond that they are closed
/// without an answer, so refusing cannot itself use up the process' files.
const REFUSALS_AT_ONCE: usize = 64;
/// How long a refused connection is given to take its answer.
const REFUSAL_TIME: Duration = Duration::from_secs(1);
/// The pause after an accept that failed for want of resources (files, memory).
const ACCEPT_PAUSE: Duration = Duration::from_millis(50);

/// Serves `router` on `listener` as the framework serves an app: `TCP_NODELAY`, the
/// header-read and keep-alive timeouts and the connection cap of `limits`, the peer's
/// address as axum's `ConnectInfo<SocketAddr>`, and websocket upgrades. When `shutdown`
/// completes it stops accepting, lets requests in flight finish, and drops whatever
/// is still open [`HttpLimits::drain_timeout`] later.
///
/// For routers of your own, or an app's [`Serve::router`](crate::Serve::router) with
/// routes merged in:
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// use feathers_runtime::http::serve_router;
/// use feathers_runtime::HttpLimits;
///
/// let router = axum::Router::new().route("/", axum::routing::get(|| async { "hi" }));
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:3030").await?;
/// let stop = async { let _ = tokio::signal::ctrl_c().await; };
/// serve_router(listener, router, HttpLimits::default(), stop).await
/// # }
/// ```
pub async fn serve_router(
    listener: TcpListener,
    router: Router,
    limits: HttpLimits,
    shutdown: impl Future<Output = ()> + Send,
) -> io::Result<()> {
    run(listener, router, limits, shutdown, |_| {
        std::future::ready(())
    })
    .await
}

/// [`serve_router`], with `drain(deadline)` run once `shutdown` completes (an app drains
/// its real-time connections there). The server keeps accepting while it drains, so
/// long-polling clients can fetch their last answers and the close; then it stops
/// accepting and ends the HTTP connections, all by the one deadline.
pub(crate) async fn run<D: Future<Output = ()> + Send>(
    listener: TcpListener,
    router: Router,
    limits: HttpLimits,
    shutdown: impl Future<Output = ()> + Send,
    drain: impl FnOnce(Duration) -> D + Send,
) -> io::Result<()> {
    let deadline = limits.drain_timeout;
    let cap = limits.connection_cap(open_files::raise_to_hard_limit());
    let (stop, stopping) = watch::channel(false);
    let mut acceptor = Acceptor {
        listener,
        router,
        limits: Arc::new(limits),
        cap,
        places: Arc::new(Semaphore::new(cap)),
        refusals: Arc::new(Semaphore::new(REFUSALS_AT_ONCE)),
        stopping,
        connections: JoinSet::new(),
        warned_full: false,
    };
    acceptor.accept_until(shutdown).await;
    let until = tokio::time::Instant::now() + deadline;
    acceptor
        .accept_until(async {
            let _ = tokio::time::timeout_at(until, drain(deadline)).await;
        })
        .await;
    let Acceptor {
        listener,
        mut connections,
        ..
    } = acceptor;
    drop(listener);
    let _ = stop.send(true);
    let finished = tokio::time::timeout_at(until, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if finished.is_err() {
        tracing::warn!(
            open = connections.len(),
            "the shutdown deadline passed; dropping the connections still open"
        );
        connections.shutdown().await;
    }
    Ok(())
}

/// The listener and the connections it accepted.
struct Acceptor {
    listener: TcpListener,
    router: Router,
    limits: Arc<HttpLimits>,
    cap: usize,
    places: Arc<Semaphore>,
    refusals: Arc<Semaphore>,
    stopping: watch::Receiver<bool>,
    connections: JoinSet<()>,
    warned_full: bool,
}

impl Acceptor {
    /// Accepts connections until `until` completes.
    async fn accept_until(&mut self, until: impl Future<Output = ()>) {
        tokio::pin!(until);
        loop {
            tokio::select! {
                () = &mut until => return,
                accepted = self.listener.accept() => match accepted {
                    Ok((stream, peer)) => self.admit(stream, peer),
                    Err(err) => accept_failed(&err).await,
                },
                Some(_) = self.connections.join_next(), if !self.connections.is_empty() => {}
            }
        }
    }

    /// Serves a new connection in its place under the cap, or refuses it.
    fn admit(&mut self, stream: TcpStream, peer: SocketAddr) {
        if let Err(err) = stream.set_nodelay(true) {
            tracing::debug!(%peer, %err, "could not set TCP_NODELAY");
        }
        match self.places.clone().try_acquire_owned() {
            Ok(place) => {
                self.warned_full = false;
                self.connections.spawn(super::connection::serve(
                    stream,
                    peer,
                    self.router.clone(),
                    self.limits.clone(),
                    place,
                    self.stopping.clone(),
                ));
            }
            Err(_) => {
                if !self.warned_full {
                    tracing::warn!(
                        cap = self.cap,
                        "the server holds as many connections as it may; refusing new ones with 503 until some close"
                    );
                    self.warned_full = true;
                }
                refuse(stream, peer, &self.refusals);
            }
        }
    }
}

/// Waits after an accept that failed: briefly when the process is out of files or
/// memory (connections close and free them), not at all when only that connection
/// failed.
async fn accept_failed(err: &io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        err.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::warn!(%err, "accepting a connection failed; pausing before the next");
    tokio::time::sleep(ACCEPT_PAUSE).await;
}

/// The answer to a connection over the cap.
static REFUSAL: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let error = Error::unavailable("The server has too many open connections; try again shortly");
    let body = serde_json::to_string(&error).unwrap_or_default();
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json; charset=utf-8\r\n\
         content-length: {}\r\nretry-after: 1\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
});

/// Answers 503 and closes, reading what the client sent meanwhile so that closing
/// does not reset the connection before the answer is read.
fn refuse(mut stream: TcpStream, peer: SocketAddr, refusals: &Arc<Semaphore>) {
    let Ok(turn) = refusals.clone().try_acquire_owned() else {
        return; // dropped: closed without an answer
    };
    tokio::spawn(async move {
        let _turn = turn;
        let answered = tokio::time::timeout(REFUSAL_TIME, async {
            stream.write_all(&REFUSAL).await?;
            stream.shutdown().await?;
            let mut sink = [0u8; 1024];
            while stream.read(&mut sink).await? > 0 {}
            Ok::<_, io::Error>(())
        })
        .await;
        if let Ok(Err(err)) = answered {
            tracing::debug!(%peer, %err, "a refused connection failed");
        }
    });
}

/// A listener for `axum::serve` that sets `TCP_NODELAY` on every connection it
/// accepts, for routers served by axum directly. (Without it, a client with two calls
/// in flight on one socket waits up to 40 ms for each answer, on Nagle's algorithm and
/// its delayed ACK.) [`serve_router`] does this and also applies [`HttpLimits`].
pub fn nodelay_listener(
    listener: TcpListener,
) -> axum::serve::TapIo<TcpListener, fn(&mut TcpStream)> {
    use axum::serve::ListenerExt;
    listener.tap_io(set_nodelay as fn(&mut TcpStream))
}

fn set_nodelay(stream: &mut TcpStream) {
    if let Err(err) = stream.set_nodelay(true) {
        tracing::debug!(%err, "could not set TCP_NODELAY");
    }
}

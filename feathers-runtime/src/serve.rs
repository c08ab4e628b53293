//! Starting the server: `serve()` for the registered services on HOST/PORT, and
//! `App::listen` for tests and embedding.

use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use feathers_core::{App, Error, Result};
use feathers_realtime::RealtimeApp;

use crate::http::HttpLimits;

/// Starts every `#[service]` of this binary on `HOST`:`PORT` (default 127.0.0.1:3030),
/// logs through `tracing` (filter with `RUST_LOG`), and shuts down gracefully on
/// SIGINT or SIGTERM: in-flight requests finish first, within [`HttpLimits::drain_timeout`].
/// Connections are held to the app's [`HttpLimits`].
pub async fn serve() -> Result<()> {
    init_tracing();
    let app = App::from_registered()?;
    let addr = address_from_env()?;
    app.serve_at(&addr).await
}

/// Serves an app built by hand (`App::builder()...build()?`) on `HOST`:`PORT` (default
/// 127.0.0.1:3030), as [`serve`] does for the registered services: graceful shutdown
/// on SIGINT or SIGTERM. Call [`init_tracing`] first for logs on stderr.
pub async fn serve_app(app: &App) -> Result<()> {
    let addr = address_from_env()?;
    app.serve_at(&addr).await
}

/// Installs a tracing subscriber writing to stderr unless one is installed already.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn address_from_env() -> Result<String> {
    let host = std::env::var("HOST").unwrap_or_else(|_| "127.0.0.1".to_owned());
    let port = std::env::var("PORT").unwrap_or_else(|_| "3030".to_owned());
    port.parse::<u16>()
        .map_err(|_| Error::general(format!("PORT must be a port number, found '{port}'")))?;
    Ok(if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    })
}

/// Serving an [`App`] over HTTP (`use feathers_runtime::prelude::*` brings this trait in).
pub trait Serve {
    /// The axum router serving this app: Socket.io at `/socket.io/`, Primus at
    /// `/primus`, the Prometheus metrics when [`WebSettings::metrics_endpoint`] is
    /// set, and REST for every other path. Merge routes of your own into it.
    ///
    /// [`WebSettings::metrics_endpoint`]: crate::WebSettings::metrics_endpoint
    fn router(&self) -> axum::Router;

    /// Serves on `addr` until SIGINT or SIGTERM, then finishes in-flight requests.
    fn serve_at(&self, addr: &str) -> impl std::future::Future<Output = Result<()>> + Send;

    /// Starts serving on `addr` in the background (use port 0 for a free port).
    fn listen(&self, addr: &str) -> impl std::future::Future<Output = Result<Server>> + Send;
}

impl Serve for App {
    fn router(&self) -> axum::Router {
        feathers_transports::router(self)
    }

    async fn serve_at(&self, addr: &str) -> Result<()> {
        warn_if_empty(self);
        feathers_transports::check_config(self)?;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|err| Error::general(format!("cannot listen on {addr}: {err}")))?;
        let local = listener.local_addr()?;
        tracing::info!(
            "feathers-rs listening on http://{local} with {} service(s): {}",
            self.services().len(),
            self.paths().collect::<Vec<_>>().join(", ")
        );
        run(self, listener, shutdown_signal()).await?;
        tracing::info!("server stopped");
        Ok(())
    }

    async fn listen(&self, addr: &str) -> Result<Server> {
        warn_if_empty(self);
        feathers_transports::check_config(self)?;
        let listener = TcpListener::bind(addr).await?;
        let local_addr = listener.local_addr()?;
        let (tx, rx) = oneshot::channel::<()>();
        let app = self.clone();
        let task = tokio::spawn(async move {
            run(&app, listener, async {
                let _ = rx.await;
            })
            .await
        });
        Ok(Server {
            local_addr,
            shutdown: Some(tx),
            task,
        })
    }
}

/// Serves `app` on `listener` with its [`HttpLimits`] until `shutdown`, then ends its
/// HTTP and real-time connections by one deadline, [`HttpLimits::drain_timeout`].
async fn run(
    app: &App,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let limits = (*app.settings::<HttpLimits>()).clone();
    let draining = app.clone();
    crate::http::run(
        listener,
        app.router(),
        limits,
        shutdown,
        move |deadline| async move {
            draining.drain_realtime(deadline).await;
        },
    )
    .await
}

fn warn_if_empty(app: &App) {
    if !app.has_publishers() {
        tracing::warn!(
            "no event publishers are registered, so real-time clients receive no events. \
                 Publish with `app.publish(..)` in a `#[setup]` function, e.g. to a channel \
                 every connection joins in `app.on_connection(..)`"
        );
    }
    if app.services().is_empty() {
        tracing::warn!(
            "no services are registered. If your services live in another crate, the binary \
                 must name that crate so the linker keeps it: add `use my_services as _;`"
        );
    }
}

/// A server started with [`App::listen`].
#[derive(Debug)]
pub struct Server {
    local_addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `http://host:port`.
    pub fn url(&self) -> String {
        format!("http://{}", self.local_addr)
    }

    /// Shuts down gracefully: stops accepting, lets requests in flight finish, drains
    /// the real-time connections (see [`App::drain_realtime`]), and drops whatever is
    /// still open when [`HttpLimits::drain_timeout`] has passed.
    pub async fn shutdown(mut self) -> Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match (&mut self.task).await {
            Ok(outcome) => outcome.map_err(Error::from),
            Err(err) => Err(Error::general(format!("the server task failed: {err}"))),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing in-flight calls and requests");
}

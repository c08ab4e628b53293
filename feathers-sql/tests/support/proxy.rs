//! A TCP proxy in front of the test database that a test can cut and restore, to
//! play a database outage without stopping the server other tests share.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// What the proxy does with connections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Forwards every byte both ways.
    Forward,
    /// A network that went silent: open connections are cut, new ones are accepted
    /// and then never answered.
    Blackhole,
    /// A server that is down: open connections are cut and nothing listens on the
    /// port, so connecting is refused.
    Refuse,
}

/// The proxy; it stops when dropped.
pub struct Proxy {
    /// Where clients connect.
    pub addr: SocketAddr,
    mode: watch::Sender<Mode>,
    forwarding: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl Proxy {
    /// A proxy on 127.0.0.1 (a free port) forwarding to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port for the proxy");
        let addr = listener.local_addr().expect("the proxy's address");
        let (mode, watching) = watch::channel(Mode::Forward);
        let forwarding = Arc::new(AtomicUsize::new(0));
        let task = tokio::spawn(serve(
            Some(listener),
            addr,
            upstream,
            watching,
            forwarding.clone(),
        ));
        Proxy {
            addr,
            mode,
            forwarding,
            task,
        }
    }

    /// Forwards again.
    pub fn restore(&self) {
        self.mode.send_replace(Mode::Forward);
    }

    /// Switches to `mode` and waits (at most 5 s) until every forwarded connection is
    /// closed, so that the next statement meets the outage.
    pub async fn cut(&self, mode: Mode) {
        assert_ne!(mode, Mode::Forward, "cut to a mode that does not forward");
        self.mode.send_replace(mode);
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.forwarding.load(Ordering::SeqCst) > 0 {
            assert!(
                Instant::now() < deadline,
                "the proxy did not close its connections"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut listener: Option<TcpListener>,
    addr: SocketAddr,
    upstream: SocketAddr,
    mut mode: watch::Receiver<Mode>,
    forwarding: Arc<AtomicUsize>,
) {
    loop {
        let current = *mode.borrow_and_update();
        match (current, listener.is_some()) {
            (Mode::Refuse, true) => listener = None,
            // The port was this proxy's a moment ago; tokio binds with SO_REUSEADDR.
            (Mode::Forward | Mode::Blackhole, false) => {
                listener = TcpListener::bind(addr).await.ok();
            }
            _ => {}
        }
        let Some(open) = &listener else {
            if mode.changed().await.is_err() {
                return;
            }
            continue;
        };
        tokio::select! {
            changed = mode.changed() => if changed.is_err() { return },
            accepted = open.accept() => if let Ok((client, _)) = accepted {
                if current == Mode::Forward {
                    // Counted here, before the next mode change can be seen.
                    forwarding.fetch_add(1, Ordering::SeqCst);
                }
                tokio::spawn(connection(client, upstream, current, mode.clone(), forwarding.clone()));
            },
        }
    }
}

/// One client connection, accepted in mode `accepted_in`: forwarded until the mode
/// changes, or held unanswered until it does.
async fn connection(
    mut client: TcpStream,
    upstream: SocketAddr,
    accepted_in: Mode,
    mut mode: watch::Receiver<Mode>,
    forwarding: Arc<AtomicUsize>,
) {
    if accepted_in != Mode::Forward {
        let _ = mode.changed().await;
        return;
    }
    let _counted = Forwarding(forwarding);
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        return;
    };
    let cut = async {
        while mode.changed().await.is_ok() {
            if *mode.borrow() != Mode::Forward {
                return;
            }
        }
    };
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
        () = cut => {}
    }
}

/// One forwarded connection in the proxy's count, until dropped.
struct Forwarding(Arc<AtomicUsize>);

impl Drop for Forwarding {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

//! Serving one accepted connection: HTTP/1.1 through hyper, with the upgrade to a
//! websocket, held to the header-read and keep-alive timeouts, and ended gracefully
//! when the server shuts down.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::ConnectInfo;
use axum::Router;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::{watch, OwnedSemaphorePermit};
use tower::ServiceExt;

use super::activity::{Activity, Phase, TrackedStream};
use super::limits::HttpLimits;

/// Serves `stream` until the client closes it, a timeout ends it, or `stopping` turns
/// true (then requests in flight finish first).
pub(crate) async fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    limits: Arc<HttpLimits>,
    place: OwnedSemaphorePermit,
    mut stopping: watch::Receiver<bool>,
) {
    let activity = Activity::new();
    let io = TokioIo::new(TrackedStream::new(stream, activity.clone(), place));
    let requests = activity.clone();
    let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        let guard = requests.request_started();
        let router = router.clone();
        async move {
            let response = match router.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            // The guard lives in the body, so the request counts until its response
            // has been written out, not only until its headers were.
            Ok::<_, Infallible>(response.map(move |body| {
                body.map_frame(move |frame| {
                    let _held = &guard;
                    frame
                })
            }))
        }
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .serve_connection(io, service)
        .with_upgrades();
    tokio::pin!(connection);
    let mut ending = *stopping.borrow_and_update();
    if ending {
        connection.as_mut().graceful_shutdown();
    }
    loop {
        let deadline = deadline(&activity, &limits);
        tokio::select! {
            outcome = connection.as_mut() => {
                if let Err(err) = outcome {
                    tracing::debug!(%peer, %err, "HTTP connection ended with an error");
                }
                return;
            }
            changed = stopping.changed(), if !ending => {
                if changed.is_err() || *stopping.borrow() {
                    ending = true;
                    connection.as_mut().graceful_shutdown();
                }
            }
            () = tokio::time::sleep_until(deadline), if !ending => {
                match activity.phase() {
                    Phase::ReadingHead(since) if since + limits.header_read_timeout <= tokio::time::Instant::now() => {
                        tracing::debug!(%peer, "closed a connection that did not send its request headers in time");
                        return;
                    }
                    Phase::Idle(since) if since + limits.keep_alive_timeout <= tokio::time::Instant::now() => {
                        ending = true;
                        connection.as_mut().graceful_shutdown();
                    }
                    _ => {}
                }
            }
        }
    }
}

/// When the connection's current phase runs out; a busy connection is looked at again
/// after a header-read timeout, to see what it does then.
fn deadline(activity: &Activity, limits: &HttpLimits) -> tokio::time::Instant {
    match activity.phase() {
        Phase::ReadingHead(since) => since + limits.header_read_timeout,
        Phase::Idle(since) => since + limits.keep_alive_timeout,
        Phase::Busy => tokio::time::Instant::now() + limits.header_read_timeout,
    }
}

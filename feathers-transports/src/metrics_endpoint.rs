//! The Prometheus scrape endpoint, on when [`WebSettings::metrics_endpoint`] names a path.
//!
//! The first app that turns it on installs a Prometheus recorder as the process's
//! [`metrics`] recorder. When the process already has another recorder, the endpoint
//! answers 500 and the log says why.
//!
//! [`WebSettings::metrics_endpoint`]: crate::WebSettings::metrics_endpoint

use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::{header, StatusCode};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use metrics_util::MetricKindMask;

use feathers_core::{App, Error};

/// How long a gauge stays in the scrape text after it was last set.
const GAUGE_IDLE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The process's Prometheus recorder, installed on first use; `None` when another
/// recorder was installed first.
fn handle() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            match PrometheusBuilder::new()
                // Gauges not set for a while go (the sizes of channels since dropped).
                .idle_timeout(MetricKindMask::GAUGE, Some(GAUGE_IDLE_TIMEOUT))
                .install_recorder()
            {
                Ok(handle) => Some(handle),
                Err(err) => {
                    tracing::error!(
                        "the metrics endpoint cannot install its Prometheus recorder: {err}"
                    );
                    None
                }
            }
        })
        .as_ref()
}

struct Endpoint {
    app: App,
    /// The channels whose sizes the last scrape reported.
    reported_channels: Mutex<Vec<String>>,
}

/// The route serving the scrape text at `path`.
pub(crate) fn router(app: App, path: &str) -> Router {
    // Installed now, so that counters count from the start, not from the first scrape.
    let _ = handle();
    let state = Arc::new(Endpoint {
        app,
        reported_channels: Mutex::new(Vec::new()),
    });
    Router::new().route(path, get(scrape)).with_state(state)
}

async fn scrape(State(state): State<Arc<Endpoint>>) -> Response {
    let Some(handle) = handle() else {
        let err = Error::general("Metrics are not available");
        return (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(err)).into_response();
    };
    {
        let mut reported = state.reported_channels.lock();
        feathers_realtime::metrics::record_realtime_gauges(&state.app, &mut reported);
    }
    handle.run_upkeep();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}

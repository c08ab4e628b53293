//! Serving a folder of static files beside the API: a GET or HEAD request for a path
//! no service, Socket.io, Primus or the metrics endpoint claims is answered from the
//! folder when the file exists (a folder's `index.html` for `/`), and by the API (a
//! 404 JSON error for an unknown path) otherwise. Files get `Last-Modified` (and
//! answer `If-Modified-Since` with 304), `Cache-Control: no-cache`, compression
//! (gzip or brotli, as the browser accepts) and the page security headers.

use std::convert::Infallible;
use std::path::Path;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use feathers_core::App;
use http::{Method, StatusCode};
use tower::util::BoxCloneSyncService;
use tower::{ServiceBuilder, ServiceExt};

use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

type Files = BoxCloneSyncService<Request, Response, Infallible>;

#[derive(Clone)]
struct StaticState {
    files: Files,
    api: axum::Router,
    claimed: Vec<String>,
}

/// `api` with the files of `dir` served where no route of the app claims the path.
pub(crate) fn with_static_files(app: &App, api: axum::Router, dir: &Path) -> axum::Router {
    let compressed = ServiceBuilder::new()
        .layer(CompressionLayer::new())
        .service(ServeDir::new(dir));
    let compressed = tower::util::MapResponse::new(compressed, |response: http::Response<_>| {
        response.into_response()
    });
    let mut files: Files = BoxCloneSyncService::new(compressed);
    for header in super::security_headers::layers() {
        files = BoxCloneSyncService::new(ServiceBuilder::new().layer(header).service(files));
    }
    let mut claimed: Vec<String> = app
        .paths()
        .filter_map(|path| first_segment(path).map(str::to_owned))
        .collect();
    claimed.extend(["socket.io".to_owned(), "primus".to_owned()]);
    if let Some(metrics) = &app.settings::<super::WebSettings>().metrics_endpoint {
        claimed.extend(first_segment(metrics).map(str::to_owned));
    }
    axum::Router::new()
        .fallback(static_or_api)
        .with_state(StaticState {
            files,
            api,
            claimed,
        })
}

fn first_segment(path: &str) -> Option<&str> {
    path.trim_start_matches('/')
        .split('/')
        .next()
        .filter(|segment| !segment.is_empty())
}

async fn static_or_api(State(state): State<StaticState>, request: Request) -> Response {
    let for_files = matches!(*request.method(), Method::GET | Method::HEAD)
        && first_segment(request.uri().path()).is_none_or(|segment| {
            let segment = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
            // A service path may have a placeholder (`:id`) as its first segment only
            // in theory; claim every path then.
            !state
                .claimed
                .iter()
                .any(|claimed| claimed == segment.as_ref() || claimed.starts_with(':'))
        });
    if !for_files {
        return into_response(state.api.oneshot(request).await);
    }
    let (parts, body) = request.into_parts();
    let probe = Request::from_parts(parts.clone(), Body::empty());
    let Ok(answer) = state.files.oneshot(probe).await;
    if answer.status() == StatusCode::NOT_FOUND {
        return into_response(state.api.oneshot(Request::from_parts(parts, body)).await);
    }
    answer
}

fn into_response(outcome: std::result::Result<Response, Infallible>) -> Response {
    match outcome {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

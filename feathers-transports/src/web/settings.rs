//! The settings of the web layer: static files, CORS and the metrics endpoint.

use std::path::PathBuf;

use feathers_core::AppBuilder;

/// What the app serves besides its services, and to which other sites. Set it with
/// [`WebBuilderExt`] on the builder, or [`AppBuilder::configure`]:
///
/// ```
/// use feathers_transports::{WebBuilderExt, WebSettings};
///
/// let app = feathers_core::App::builder()
///     .static_files("public")
///     .cors_origins(["http://localhost:5173"])
///     .build()
///     .unwrap();
/// let web = app.settings::<WebSettings>();
/// assert_eq!(web.cors_origins, ["http://localhost:5173"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WebSettings {
    /// A folder of static files (a web page) served for GET and HEAD requests that no
    /// service, Socket.io or Primus claims and whose file exists, with caching headers,
    /// compression and the page security headers. Default none.
    pub static_dir: Option<PathBuf>,
    /// The origins (`http://localhost:5173`) whose pages may call REST and Socket.io
    /// long-polling from a browser (CORS). Default none: same-origin pages only, so no
    /// other site can make a visitor's browser call the API. See
    /// [`WebSettings::cors_origins_from_env`].
    pub cors_origins: Vec<String>,
    /// The path of a Prometheus scrape endpoint (`Some("/metrics".into())`) serving the
    /// metrics of this process (`feathers_core::metrics`). Default none: no endpoint.
    pub metrics_endpoint: Option<String>,
}

impl WebSettings {
    /// The comma-separated origins in `CORS_ORIGINS`
    /// (`CORS_ORIGINS=http://localhost:5173,https://app.example.com`), none when unset.
    pub fn cors_origins_from_env() -> Vec<String> {
        std::env::var("CORS_ORIGINS")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|origin| !origin.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// The web settings, on the app builder.
pub trait WebBuilderExt {
    /// Serves the static files in `dir` (see [`WebSettings::static_dir`]).
    fn static_files(self, dir: impl Into<PathBuf>) -> Self;

    /// Lets pages from these origins call the app from a browser (see
    /// [`WebSettings::cors_origins`]).
    fn cors_origins<S: Into<String>>(self, origins: impl IntoIterator<Item = S>) -> Self;

    /// Serves a Prometheus scrape endpoint at `path` (see
    /// [`WebSettings::metrics_endpoint`]).
    fn metrics_endpoint(self, path: impl Into<String>) -> Self;
}

impl WebBuilderExt for AppBuilder {
    fn static_files(self, dir: impl Into<PathBuf>) -> AppBuilder {
        let dir = dir.into();
        self.configure(|web: &mut WebSettings| web.static_dir = Some(dir))
    }

    fn cors_origins<S: Into<String>>(self, origins: impl IntoIterator<Item = S>) -> AppBuilder {
        let origins = origins.into_iter().map(Into::into).collect();
        self.configure(|web: &mut WebSettings| web.cors_origins = origins)
    }

    fn metrics_endpoint(self, path: impl Into<String>) -> AppBuilder {
        let path = path.into();
        self.configure(|web: &mut WebSettings| web.metrics_endpoint = Some(path))
    }
}

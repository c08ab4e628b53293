//! The security headers of the page responses.

use http::header::{HeaderName, HeaderValue};
use tower_http::set_header::SetResponseHeaderLayer;

/// The `Content-Security-Policy` of served pages: scripts, styles, images, fonts and
/// connections (fetch, XHR, WebSocket) from the page's own origin only; no plugins, no
/// framing by other sites, forms and `<base>` to the same origin.
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
     object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// The headers every served file gets (set unless the response has them already).
pub(crate) fn headers() -> Vec<(HeaderName, HeaderValue)> {
    vec![
        (
            http::header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            http::header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ),
        (
            http::header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ),
        (
            http::header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
        // Revalidate with Last-Modified on every use: the page changes with the app.
        (
            http::header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ),
    ]
}

/// The layers setting [`headers`].
pub(crate) fn layers() -> Vec<SetResponseHeaderLayer<HeaderValue>> {
    headers()
        .into_iter()
        .map(|(name, value)| SetResponseHeaderLayer::if_not_present(name, value))
        .collect()
}

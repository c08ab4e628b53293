//! CORS: pages from the configured origins may call REST and Socket.io long-polling
//! from a browser, including the preflight for `Authorization` and
//! `X-Service-Method`. With no origins configured (the default) no CORS header is
//! sent, so browsers keep every other site's pages from reading the API's answers
//! or sending it non-simple requests (JSON bodies, `Authorization`) on a visitor's
//! behalf; a page served by the app itself needs no CORS.

use std::time::Duration;

use feathers_core::{Error, Result};
use http::{HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The CORS layer for these origins, or none when the list is empty. An origin that
/// is not a valid header value (or `*` mixed with others) is an error at startup.
pub(crate) fn layer(origins: &[String]) -> Result<Option<CorsLayer>> {
    if origins.is_empty() {
        return Ok(None);
    }
    let allow = if origins.iter().any(|origin| origin == "*") {
        if origins.len() > 1 {
            return Err(Error::general(
                "cors_origins: '*' allows every origin and cannot be mixed with others",
            ));
        }
        AllowOrigin::any()
    } else {
        let values = origins
            .iter()
            .map(|origin| {
                HeaderValue::from_str(origin.trim_end_matches('/')).map_err(|_| {
                    Error::general(format!("cors_origins: '{origin}' is not a valid origin"))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        AllowOrigin::list(values)
    };
    Ok(Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([
                Method::GET,
                Method::POST,
                Method::PUT,
                Method::PATCH,
                Method::DELETE,
                Method::OPTIONS,
            ])
            .allow_headers([
                http::header::CONTENT_TYPE,
                http::header::AUTHORIZATION,
                HeaderName::from_static("x-service-method"),
            ])
            .max_age(Duration::from_secs(600)),
    ))
}

//! `HttpContext`: what a hook may set for a REST response.

use http::HeaderMap;

/// HTTP details a hook may set for REST responses (`context.http`).
#[derive(Clone, Debug, Default)]
pub struct HttpContext {
    /// The response status; when unset, Feathers' rules choose (201 for create, 204
    /// for an empty body, 200 otherwise).
    pub status: Option<u16>,
    /// Headers added to the response.
    pub headers: HeaderMap,
    /// A `Location` header; makes the status 303 unless `status` is set.
    pub location: Option<String>,
}

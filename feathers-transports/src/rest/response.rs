//! Answers (docs/protocol.md, "REST"): the status in Feathers 5.0.50's order, the
//! headers a service set in `ctx.http`, and JSON bodies for results and errors.

use std::borrow::Cow;
use std::fmt::Write as _;

use axum::body::Body;
use axum::response::Response;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, LOCATION, TRANSFER_ENCODING};
use http::{HeaderMap, HeaderValue, StatusCode};
use serde::Serialize;

use feathers_core::Error;
use feathers_core::HookContext;
use feathers_core::Method;

const JSON: HeaderValue = HeaderValue::from_static("application/json; charset=utf-8");

/// The answer to a successful call. The body is `ctx.dispatch`, or `ctx.result`.
pub(super) fn success(ctx: &mut HookContext, head: bool) -> Response {
    let http = std::mem::take(&mut ctx.http);
    let mut headers = http.headers;
    // The body's framing is ours to set.
    headers.remove(CONTENT_LENGTH);
    headers.remove(TRANSFER_ENCODING);
    if let Some(location) = &http.location {
        match HeaderValue::from_str(&encode_url(location)) {
            Ok(value) => {
                headers.insert(LOCATION, value);
            }
            Err(_) => tracing::warn!("ctx.http.location is not a valid header value; not sent"),
        }
    }
    let body = ctx.client_result();
    let status = status(
        http.status,
        headers.contains_key(LOCATION),
        body.is_null(),
        ctx.method(),
    );
    if !may_have_body(status) {
        return respond(status, headers, None, head);
    }
    match to_json(body) {
        Some(bytes) => respond(status, headers, Some(bytes), head),
        None => failure(&Error::general("Internal server error"), head),
    }
}

/// The answer to a failed call: the error's code as the status, its JSON as the body.
pub(super) fn failure(err: &Error, head: bool) -> Response {
    let status = StatusCode::from_u16(err.code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if status.is_server_error() {
        tracing::warn!(error = %err, "REST call failed");
    } else {
        tracing::debug!(error = %err, "REST call failed");
    }
    let bytes = to_json(err).unwrap_or_else(|| {
        br#"{"name":"GeneralError","message":"Internal server error","code":500,"className":"general-error"}"#
            .to_vec()
    });
    respond(status, HeaderMap::new(), Some(bytes), head)
}

/// Feathers 5.0.50's order: `ctx.http.status`, then 303 for a `Location`, 204 for an
/// empty (null) body, 201 for create, 200.
fn status(explicit: Option<u16>, has_location: bool, empty: bool, method: &Method) -> StatusCode {
    if let Some(code) = explicit {
        match StatusCode::from_u16(code) {
            Ok(status) => return status,
            Err(_) => tracing::warn!(code, "ctx.http.status is not an HTTP status; ignored"),
        }
    }
    if has_location {
        StatusCode::SEE_OTHER
    } else if empty {
        StatusCode::NO_CONTENT
    } else if *method == Method::Create {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    }
}

/// HTTP forbids a body with 1xx, 204 and 304.
fn may_have_body(status: StatusCode) -> bool {
    !(status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED)
}

fn to_json(value: &impl Serialize) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(128);
    match serde_json::to_writer(&mut bytes, value) {
        Ok(()) => Some(bytes),
        Err(err) => {
            tracing::error!(error = %err, "a response body could not be serialised");
            None
        }
    }
}

/// Builds the response. A `HEAD` answer carries the headers, `Content-Length`
/// included, and no body.
fn respond(
    status: StatusCode,
    mut headers: HeaderMap,
    body: Option<Vec<u8>>,
    head: bool,
) -> Response {
    let body = match body {
        None => Body::empty(),
        Some(bytes) => {
            // Express's `res.json` keeps a Content-Type the service set.
            headers.entry(CONTENT_TYPE).or_insert(JSON);
            if head {
                headers.insert(CONTENT_LENGTH, HeaderValue::from(bytes.len()));
                Body::empty()
            } else {
                Body::from(bytes)
            }
        }
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response
}

/// Percent-encodes a URL as the `encodeurl` package does for `Location`: characters
/// not allowed in a URL are encoded as UTF-8, escapes already present are kept, and a
/// `%` that starts no escape becomes `%25`.
fn encode_url(url: &str) -> Cow<'_, str> {
    let bytes = url.as_bytes();
    let is_escape = |index: usize| {
        bytes.get(index) == Some(&b'%')
            && bytes.get(index + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(index + 2).is_some_and(u8::is_ascii_hexdigit)
    };
    let keeps = |index: usize, byte: u8| {
        if byte == b'%' {
            is_escape(index)
        } else {
            matches!(byte, 0x21 | 0x23..=0x3B | 0x3D | 0x3F..=0x5F | 0x61..=0x7A | 0x7C | 0x7E)
        }
    };
    if bytes
        .iter()
        .enumerate()
        .all(|(index, &byte)| keeps(index, byte))
    {
        return Cow::Borrowed(url);
    }
    let mut encoded = String::with_capacity(url.len() + 16);
    for (index, &byte) in bytes.iter().enumerate() {
        if keeps(index, byte) {
            encoded.push(char::from(byte));
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    Cow::Owned(encoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_encoded_like_encodeurl() {
        assert_eq!(encode_url("/todos/1?x=y#z"), "/todos/1?x=y#z");
        assert_eq!(encode_url("/a b/ü"), "/a%20b/%C3%BC");
        assert_eq!(encode_url("/x%41%zz%"), "/x%41%25zz%25");
        assert_eq!(encode_url("/\"<>`{}"), "/%22%3C%3E%60%7B%7D");
        assert_eq!(encode_url("https://h/p?q=[1]|~!"), "https://h/p?q=[1]|~!");
    }

    #[test]
    fn status_follows_feathers_5_0_50() {
        let s =
            |explicit, location, empty, method: Method| status(explicit, location, empty, &method);
        assert_eq!(
            s(Some(418), true, true, Method::Create),
            StatusCode::IM_A_TEAPOT
        );
        assert_eq!(s(None, true, false, Method::Create), StatusCode::SEE_OTHER);
        assert_eq!(s(None, false, true, Method::Create), StatusCode::NO_CONTENT);
        assert_eq!(s(None, false, false, Method::Create), StatusCode::CREATED);
        assert_eq!(s(None, false, false, Method::Find), StatusCode::OK);
        assert_eq!(s(Some(5), false, false, Method::Find), StatusCode::OK);
    }
}

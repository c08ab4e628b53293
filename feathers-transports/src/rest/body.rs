//! Request bodies (docs/protocol.md, "REST"): read within `RestSettings::body_limit`, then decoded by
//! their content type into the call's data.
//!
//! - No body: `{}`, as Feathers' body parsers leave `req.body`.
//! - `application/json`, `application/*+json` or no content type: JSON, an object or an
//!   array (body-parser's `strict` mode). Malformed JSON is a 400 naming the parse
//!   error, where Feathers answers 500.
//! - `application/x-www-form-urlencoded`: the query-string syntax (`a[b]=1`).
//! - Any other type with a body: 400. (415 is not a Feathers error class.)
//! - Over the limit: 413, from `Content-Length` before reading, or while reading
//!   without ever holding more than the limit. The rest of the body is read and thrown
//!   away first (up to [`DISCARD_AT_MOST`] bytes for [`DISCARD_TIME`]), as Express'
//!   body parser does: a client still sending its body reads the 413 instead of a
//!   connection reset under its upload.

use std::time::Duration;

use axum::body::Body;
use bytes::{Bytes, BytesMut};
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::HeaderMap;
use http_body_util::BodyExt;
use serde_json::{Map, Value};

use super::settings::RestSettings;
use feathers_core::query::qs;
use feathers_core::{Error, Result};

/// The most of a body over the limit that is read and thrown away before the 413.
const DISCARD_AT_MOST: u64 = 8 * 1024 * 1024;
/// The longest time spent throwing a body away.
const DISCARD_TIME: Duration = Duration::from_secs(5);

/// How a body is decoded.
enum Format {
    Json,
    Form,
}

/// Reads and decodes the body into the call's data.
pub(super) async fn read(body: Body, headers: &HeaderMap, config: &RestSettings) -> Result<Value> {
    let limit = config.body_limit;
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    if let Some(length) = declared {
        let limit = u64::try_from(limit).unwrap_or(u64::MAX);
        if length > limit {
            if length <= limit.saturating_add(DISCARD_AT_MOST) {
                discard(body, length).await;
            }
            return Err(too_large(config.body_limit));
        }
    }
    let bytes = collect(body, limit).await?;
    if bytes.is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    match format(headers)? {
        Format::Json => json(&bytes),
        Format::Form => {
            let text = String::from_utf8_lossy(&bytes);
            qs::parse(&text, &config.query_limits())
                .map(Value::Object)
                .map_err(Error::from)
        }
    }
}

fn too_large(limit: usize) -> Error {
    Error::payload_too_large(format!(
        "The request body is larger than the limit of {limit} bytes"
    ))
}

/// Reads and drops up to `at_most` bytes of `body`, for at most [`DISCARD_TIME`]; read
/// errors end it quietly (the answer is the 413 anyway).
async fn discard(mut body: Body, at_most: u64) {
    let mut left = at_most;
    let _ = tokio::time::timeout(DISCARD_TIME, async {
        while let Some(Ok(frame)) = body.frame().await {
            if let Ok(data) = frame.into_data() {
                left = left.saturating_sub(data.len() as u64);
                if left == 0 {
                    return;
                }
            }
        }
    })
    .await;
}

/// Collects the body, failing as soon as it grows past `limit` (after throwing the
/// rest away, see [`discard`]). A body of one chunk is kept without copying.
async fn collect(mut body: Body, limit: usize) -> Result<Bytes> {
    let mut first: Option<Bytes> = None;
    let mut joined = BytesMut::new();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|err| {
            tracing::debug!(error = %err, "reading a request body failed");
            Error::bad_request("The request body could not be read")
        })?;
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        if data.is_empty() {
            continue;
        }
        total = total.saturating_add(data.len());
        if total > limit {
            discard(body, DISCARD_AT_MOST).await;
            return Err(too_large(limit));
        }
        match first.take() {
            None if joined.is_empty() => first = Some(data),
            None => joined.extend_from_slice(&data),
            Some(earlier) => {
                joined.reserve(total);
                joined.extend_from_slice(&earlier);
                joined.extend_from_slice(&data);
            }
        }
    }
    Ok(first.unwrap_or_else(|| joined.freeze()))
}

/// The body's format from its `Content-Type` (parameters such as `charset` ignored).
fn format(headers: &HeaderMap) -> Result<Format> {
    let Some(value) = headers.get(CONTENT_TYPE) else {
        return Ok(Format::Json);
    };
    let text = String::from_utf8_lossy(value.as_bytes());
    let essence = text.split(';').next().unwrap_or_default().trim();
    let is = |expected: &str| essence.eq_ignore_ascii_case(expected);
    let structured_json = essence
        .get(..12)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("application/"))
        && essence
            .get(essence.len().saturating_sub(5)..)
            .is_some_and(|suffix| suffix.eq_ignore_ascii_case("+json"));
    if is("application/json") || structured_json {
        Ok(Format::Json)
    } else if is("application/x-www-form-urlencoded") {
        Ok(Format::Form)
    } else {
        Err(Error::bad_request(format!(
            "Unsupported Content-Type '{text}': send application/json or application/x-www-form-urlencoded"
        )))
    }
}

/// A JSON body: an object or an array, as body-parser's `strict` mode accepts.
fn json(bytes: &[u8]) -> Result<Value> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|err| Error::bad_request(format!("Invalid JSON in the request body: {err}")))?;
    match value {
        Value::Object(_) | Value::Array(_) => Ok(value),
        _ => Err(Error::bad_request(
            "The JSON request body must be an object or an array",
        )),
    }
}

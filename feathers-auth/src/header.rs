//! Reading an access token from the `Authorization` header, as Feathers' JWT strategy
//! does: `Bearer <token>`, `JWT <token>` (any case, a trailing colon allowed), or the
//! bare token. Another scheme (`Basic ...`) is not ours: the request stays anonymous.

use http::HeaderMap;
use serde_json::{json, Value};

/// The token in an `Authorization` header value, if the value carries one for us.
pub fn parse_authorization(value: &str) -> Option<String> {
    let mut parts = value.split_whitespace();
    let first = parts.next()?;
    match parts.next() {
        None => Some(first.to_owned()),
        Some(token) => {
            let scheme = first.to_ascii_lowercase();
            (scheme.contains("bearer") || scheme.contains("jwt")).then(|| token.to_owned())
        }
    }
}

/// `{"strategy": "jwt", "accessToken": <token>}` from the request's or handshake's
/// `Authorization` header, when it has one we read.
pub fn authentication_from_headers(headers: &HeaderMap) -> Option<Value> {
    let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let token = parse_authorization(value)?;
    Some(json!({ "strategy": "jwt", "accessToken": token }))
}

#[cfg(test)]
mod tests {
    use super::parse_authorization;

    #[test]
    fn schemes_as_feathers_reads_them() {
        assert_eq!(parse_authorization("Bearer abc").as_deref(), Some("abc"));
        assert_eq!(parse_authorization("bearer abc").as_deref(), Some("abc"));
        assert_eq!(parse_authorization("JWT abc").as_deref(), Some("abc"));
        assert_eq!(parse_authorization(" Bearer: abc").as_deref(), Some("abc"));
        assert_eq!(parse_authorization("abc").as_deref(), Some("abc"));
        assert_eq!(parse_authorization("Basic dXNlcjpwdw=="), None);
        assert_eq!(parse_authorization(""), None);
        assert_eq!(parse_authorization("   "), None);
    }
}

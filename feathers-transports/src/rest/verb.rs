//! The service method for a request: transport-commons' `getServiceMethod` and the
//! check that the service provides it (docs/protocol.md, "REST").

use std::borrow::Cow;

use http::{HeaderMap, HeaderName};

use feathers_core::Method;
use feathers_core::ServiceEntry;
use feathers_core::{Error, Result};

/// The header naming a custom method on `POST` (a constant name: looking it up parses
/// nothing).
const METHOD_HEADER: HeaderName = HeaderName::from_static("x-service-method");

/// Maps the verb (and for `POST` the `X-Service-Method` header) to a method of `entry`.
///
/// - `GET`/`HEAD` give find or get, `POST` create (or the custom method named in the
///   header), `PUT` update, `PATCH` patch, `DELETE` remove; any other verb is 405
///   `Method X not allowed`.
/// - 405 `Method `name` is not supported by this endpoint.` when the service lacks the
///   method, or when the header names a standard method, whatever the verb.
pub(super) fn service_method(
    verb: &http::Method,
    headers: &HeaderMap,
    has_id: bool,
    entry: &ServiceEntry,
) -> Result<Method> {
    let named: Option<Cow<'_, str>> = headers
        .get(&METHOD_HEADER)
        .map(|value| String::from_utf8_lossy(value.as_bytes()))
        .filter(|name| !name.is_empty());
    let method = match *verb {
        http::Method::GET | http::Method::HEAD if has_id => Method::Get,
        http::Method::GET | http::Method::HEAD => Method::Find,
        http::Method::POST => match &named {
            Some(name) => Method::from_name(name),
            None => Method::Create,
        },
        http::Method::PUT => Method::Update,
        http::Method::PATCH => Method::Patch,
        http::Method::DELETE => Method::Remove,
        _ => {
            return Err(Error::method_not_allowed(format!(
                "Method {verb} not allowed"
            )))
        }
    };
    let names_standard = named.as_deref().is_some_and(|name| {
        Method::STANDARD
            .iter()
            .any(|standard| standard.as_str() == name)
    });
    if names_standard || !entry.provides(&method) {
        return Err(Error::method_not_allowed(format!(
            "Method `{method}` is not supported by this endpoint."
        )));
    }
    Ok(method)
}

//! Feathers errors: every error class with its name, code and className, and the JSON
//! shape `{name, message, code, className[, data][, errors]}` the clients understand.

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;

/// The result type of services, hooks and the runtime.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The class of a Feathers error. Each has a fixed HTTP code, name and className.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// 400: the request is malformed.
    BadRequest,
    /// 401: the caller is not authenticated.
    NotAuthenticated,
    /// 402: payment is required.
    PaymentError,
    /// 403: the caller may not do this.
    Forbidden,
    /// 404: there is no such record or service.
    NotFound,
    /// 405: the service does not provide this method.
    MethodNotAllowed,
    /// 406: no acceptable representation.
    NotAcceptable,
    /// 408: the call took too long.
    Timeout,
    /// 409: the change conflicts with the stored state.
    Conflict,
    /// 410: the record is gone for good.
    Gone,
    /// 411: a length is required.
    LengthRequired,
    /// The 413 status: not one of Feathers' own classes, so its clients turn it into a
    /// plain `Error` that keeps `code: 413`, as they do for `Gone`.
    PayloadTooLarge,
    /// 422: the data cannot be processed.
    Unprocessable,
    /// 429: too many requests; try again later.
    TooManyRequests,
    /// 500: the server failed (the message says nothing of the cause).
    GeneralError,
    /// 501: not implemented.
    NotImplemented,
    /// 502: an upstream service failed.
    BadGateway,
    /// 503: the service is unavailable for now.
    Unavailable,
}

impl ErrorKind {
    /// Every kind, in code order.
    pub const ALL: [ErrorKind; 18] = [
        ErrorKind::BadRequest,
        ErrorKind::NotAuthenticated,
        ErrorKind::PaymentError,
        ErrorKind::Forbidden,
        ErrorKind::NotFound,
        ErrorKind::MethodNotAllowed,
        ErrorKind::NotAcceptable,
        ErrorKind::Timeout,
        ErrorKind::Conflict,
        ErrorKind::Gone,
        ErrorKind::LengthRequired,
        ErrorKind::PayloadTooLarge,
        ErrorKind::Unprocessable,
        ErrorKind::TooManyRequests,
        ErrorKind::GeneralError,
        ErrorKind::NotImplemented,
        ErrorKind::BadGateway,
        ErrorKind::Unavailable,
    ];

    /// The HTTP status code, also the error's `code` field.
    pub const fn code(self) -> u16 {
        match self {
            ErrorKind::BadRequest => 400,
            ErrorKind::NotAuthenticated => 401,
            ErrorKind::PaymentError => 402,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::MethodNotAllowed => 405,
            ErrorKind::NotAcceptable => 406,
            ErrorKind::Timeout => 408,
            ErrorKind::Conflict => 409,
            ErrorKind::Gone => 410,
            ErrorKind::LengthRequired => 411,
            ErrorKind::PayloadTooLarge => 413,
            ErrorKind::Unprocessable => 422,
            ErrorKind::TooManyRequests => 429,
            ErrorKind::GeneralError => 500,
            ErrorKind::NotImplemented => 501,
            ErrorKind::BadGateway => 502,
            ErrorKind::Unavailable => 503,
        }
    }

    /// The `name` field, which is also the class name in `@feathersjs/errors`.
    pub const fn name(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "BadRequest",
            ErrorKind::NotAuthenticated => "NotAuthenticated",
            ErrorKind::PaymentError => "PaymentError",
            ErrorKind::Forbidden => "Forbidden",
            ErrorKind::NotFound => "NotFound",
            ErrorKind::MethodNotAllowed => "MethodNotAllowed",
            ErrorKind::NotAcceptable => "NotAcceptable",
            ErrorKind::Timeout => "Timeout",
            ErrorKind::Conflict => "Conflict",
            ErrorKind::Gone => "Gone",
            ErrorKind::LengthRequired => "LengthRequired",
            ErrorKind::PayloadTooLarge => "PayloadTooLarge",
            ErrorKind::Unprocessable => "Unprocessable",
            ErrorKind::TooManyRequests => "TooManyRequests",
            ErrorKind::GeneralError => "GeneralError",
            ErrorKind::NotImplemented => "NotImplemented",
            ErrorKind::BadGateway => "BadGateway",
            ErrorKind::Unavailable => "Unavailable",
        }
    }

    /// The `className` field.
    pub const fn class_name(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "bad-request",
            ErrorKind::NotAuthenticated => "not-authenticated",
            ErrorKind::PaymentError => "payment-error",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::NotFound => "not-found",
            ErrorKind::MethodNotAllowed => "method-not-allowed",
            ErrorKind::NotAcceptable => "not-acceptable",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Gone => "gone",
            ErrorKind::LengthRequired => "length-required",
            ErrorKind::PayloadTooLarge => "payload-too-large",
            ErrorKind::Unprocessable => "unprocessable",
            ErrorKind::TooManyRequests => "too-many-requests",
            ErrorKind::GeneralError => "general-error",
            ErrorKind::NotImplemented => "not-implemented",
            ErrorKind::BadGateway => "bad-gateway",
            ErrorKind::Unavailable => "unavailable",
        }
    }

    /// The kind for a `name` as sent on the wire.
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The kind for an HTTP status code; unknown codes give `None`.
    pub fn from_code(code: u16) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// A Feathers error: a kind, a message, and optional `data` and `errors` payloads.
///
/// ```
/// use feathers_core::Error;
/// let err = Error::bad_request("Invalid email").with_errors(serde_json::json!({"email": "taken"}));
/// assert_eq!(err.code(), 400);
/// ```
#[derive(Clone, PartialEq)]
pub struct Error {
    // Boxed so that `Result<T, Error>` stays small on the hot path.
    inner: Box<Inner>,
}

#[derive(Clone, Debug, PartialEq)]
struct Inner {
    kind: ErrorKind,
    message: String,
    data: Option<Value>,
    errors: Option<Value>,
}

macro_rules! constructors {
    ($($fn_name:ident => $kind:ident),* $(,)?) => {
        $(
            #[doc = concat!("A `", stringify!($kind), "` error with this message.")]
            pub fn $fn_name(message: impl Into<String>) -> Error {
                Error::new(ErrorKind::$kind, message)
            }
        )*
    };
}

impl Error {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                data: None,
                errors: None,
            }),
        }
    }

    constructors! {
        bad_request => BadRequest,
        not_authenticated => NotAuthenticated,
        payment_error => PaymentError,
        forbidden => Forbidden,
        not_found => NotFound,
        method_not_allowed => MethodNotAllowed,
        not_acceptable => NotAcceptable,
        timeout => Timeout,
        conflict => Conflict,
        gone => Gone,
        length_required => LengthRequired,
        payload_too_large => PayloadTooLarge,
        unprocessable => Unprocessable,
        too_many_requests => TooManyRequests,
        general => GeneralError,
        not_implemented => NotImplemented,
        bad_gateway => BadGateway,
        unavailable => Unavailable,
    }

    /// Feathers 5's answer to data that fails its schema: a 400 `BadRequest`
    /// "validation failed" whose `data` lists each problem as Ajv reports it.
    pub fn validation(problems: Vec<feathers_schema::Problem>) -> Error {
        let problems = serde_json::to_value(problems).unwrap_or(Value::Array(Vec::new()));
        Error::bad_request("validation failed").with_data(problems)
    }

    /// Attaches the `data` field.
    pub fn with_data(mut self, data: Value) -> Error {
        self.inner.data = Some(data);
        self
    }

    /// Attaches the `errors` field (per-field validation errors, by convention).
    pub fn with_errors(mut self, errors: Value) -> Error {
        self.inner.errors = Some(errors);
        self
    }

    /// The error's class.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The HTTP status (`code` in the JSON).
    pub fn code(&self) -> u16 {
        self.inner.kind.code()
    }

    /// Feathers' class name (`name` in the JSON): `NotFound`.
    pub fn name(&self) -> &'static str {
        self.inner.kind.name()
    }

    /// The kebab-case class name (`className` in the JSON): `not-found`.
    pub fn class_name(&self) -> &'static str {
        self.inner.kind.class_name()
    }

    /// The message for the client.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// Extra data for the client (`data` in the JSON), if any.
    pub fn data(&self) -> Option<&Value> {
        self.inner.data.as_ref()
    }

    /// Per-field errors (`errors` in the JSON), if any.
    pub fn errors(&self) -> Option<&Value> {
        self.inner.errors.as_ref()
    }

    /// The JSON the clients receive.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Reads an error in Feathers' JSON shape, as a client would (`errors.convert`).
    /// The kind comes from `name`, or from `code` when the name is unknown.
    pub fn from_json(value: &Value) -> Option<Error> {
        let object = value.as_object()?;
        let kind = object
            .get("name")
            .and_then(Value::as_str)
            .and_then(ErrorKind::from_name)
            .or_else(|| {
                let code = object.get("code").and_then(Value::as_u64)?;
                ErrorKind::from_code(u16::try_from(code).ok()?)
            })?;
        let message = object
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("Error");
        let mut error = Error::new(kind, message);
        error.inner.data = object.get("data").cloned();
        error.inner.errors = object.get("errors").cloned();
        Some(error)
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let inner = &self.inner;
        let len = 4 + usize::from(inner.data.is_some()) + usize::from(inner.errors.is_some());
        let mut map = serializer.serialize_map(Some(len))?;
        map.serialize_entry("name", self.name())?;
        map.serialize_entry("message", &inner.message)?;
        map.serialize_entry("code", &self.code())?;
        map.serialize_entry("className", self.class_name())?;
        if let Some(data) = &inner.data {
            map.serialize_entry("data", data)?;
        }
        if let Some(errors) = &inner.errors {
            map.serialize_entry("errors", errors)?;
        }
        map.end()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name(), self.inner.message)
    }
}

/// The error as a person reads it (`GeneralError (500): ...`, then its `data` and
/// `errors`), since `main` returning an `Err` prints the `Debug` form.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.name(),
            self.code(),
            self.inner.message
        )?;
        if let Some(data) = &self.inner.data {
            write!(f, "; data: {data}")?;
        }
        if let Some(errors) = &self.inner.errors {
            write!(f, "; errors: {errors}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Text that is not JSON is the caller's mistake: a 400 saying where it breaks. Any
/// other serde_json error (a value that does not fit the type asked for, a result that
/// cannot be serialised, an I/O error underneath) is the server's: a 500 with a
/// generic message, the details going to the log only. Map client data errors to a
/// 400 yourself (`Error::bad_request`), or take the data as a typed argument, which
/// does.
impl From<serde_json::Error> for Error {
    fn from(err: serde_json::Error) -> Error {
        use serde_json::error::Category;
        // Serialising reports its errors as syntax errors too, but at line 0: only an
        // error with a position in some input text is about that text.
        let in_text = err.line() > 0;
        match err.classify() {
            Category::Syntax | Category::Eof if in_text => {
                Error::bad_request(format!("Invalid JSON: {err}"))
            }
            _ => {
                tracing::error!(error = %err, "a JSON (de)serialisation failed");
                Error::general(INTERNAL_ERROR)
            }
        }
    }
}

impl From<feathers_query::QueryError> for Error {
    fn from(err: feathers_query::QueryError) -> Error {
        let data = err.data().cloned();
        let error = Error::bad_request(err.message());
        match data {
            Some(data) => error.with_data(data),
            None => error,
        }
    }
}

/// I/O errors are logged with their text (paths, addresses) and reach clients as a
/// 500 with a generic message.
impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Error {
        tracing::error!(error = %err, "an I/O error");
        Error::general(INTERNAL_ERROR)
    }
}

/// The message of errors whose details stay in the log.
pub(crate) const INTERNAL_ERROR: &str = "Internal server error";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn debug_reads_as_a_message_so_main_prints_one() {
        let err = Error::general("The secret must be at least 32 bytes long");
        assert_eq!(
            format!("{err:?}"),
            "GeneralError (500): The secret must be at least 32 bytes long"
        );
        let err = Error::bad_request("Invalid").with_errors(json!({"email": "taken"}));
        assert_eq!(
            format!("{err:?}"),
            r#"BadRequest (400): Invalid; errors: {"email":"taken"}"#
        );
    }

    #[test]
    fn serialises_in_feathers_shape_without_empty_fields() {
        let err = Error::not_found("No record found for id '99'");
        assert_eq!(
            err.to_json(),
            json!({"name":"NotFound","message":"No record found for id '99'","code":404,"className":"not-found"})
        );
    }

    #[test]
    fn data_and_errors_appear_when_set() {
        let err = Error::bad_request("Invalid")
            .with_data(json!({"foo": 1}))
            .with_errors(json!({"email": "taken"}));
        assert_eq!(
            err.to_json(),
            json!({"name":"BadRequest","message":"Invalid","code":400,"className":"bad-request","data":{"foo":1},"errors":{"email":"taken"}})
        );
    }

    #[test]
    fn every_kind_round_trips_through_json() {
        for kind in ErrorKind::ALL {
            let err = Error::new(kind, "m");
            assert_eq!(Error::from_json(&err.to_json()), Some(err));
            assert_eq!(ErrorKind::from_code(kind.code()), Some(kind));
        }
    }

    #[test]
    fn json_syntax_errors_are_400_and_other_serde_errors_500_without_details() {
        let syntax: Error = serde_json::from_str::<Value>("{oops")
            .err()
            .map(Error::from)
            .expect("an error");
        assert_eq!(syntax.kind(), ErrorKind::BadRequest);
        let mut map = std::collections::HashMap::new();
        map.insert((1, 2), "tuple keys are not JSON");
        let unserialisable: Error = serde_json::to_value(&map)
            .err()
            .map(Error::from)
            .expect("an error");
        assert_eq!(unserialisable.kind(), ErrorKind::GeneralError);
        assert_eq!(unserialisable.message(), INTERNAL_ERROR);
        let io = Error::from(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "/srv/secret/config.toml: not found",
        ));
        assert_eq!(io.kind(), ErrorKind::GeneralError);
        assert!(!io.message().contains("secret"));
    }

    #[test]
    fn class_names_match_feathers() {
        assert_eq!(
            ErrorKind::MethodNotAllowed.class_name(),
            "method-not-allowed"
        );
        assert_eq!(ErrorKind::GeneralError.code(), 500);
        assert_eq!(ErrorKind::Unprocessable.code(), 422);
    }
}

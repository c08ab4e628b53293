//! The one error a query can raise: it is malformed, or asks for something the query
//! syntax does not have. Services answer it as a 400 BadRequest with this message.

use std::fmt;

use serde_json::Value;

/// A query that cannot be parsed or run, with a message for the client.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryError {
    message: String,
    data: Option<Value>,
}

impl QueryError {
    /// An error with a message that says what is wrong with the query.
    pub fn new(message: impl Into<String>) -> QueryError {
        QueryError {
            message: message.into(),
            data: None,
        }
    }

    /// The error with the offending part of the query attached, for the client.
    pub fn with_data(mut self, data: Value) -> QueryError {
        self.data = Some(data);
        self
    }

    /// The offending part of the query, when the error carries it.
    pub fn data(&self) -> Option<&Value> {
        self.data.as_ref()
    }

    /// The status a service answers with: always 400 BadRequest.
    pub fn code(&self) -> u16 {
        400
    }

    /// What is wrong with the query.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for QueryError {}

/// A result whose error is a [`QueryError`].
pub type Result<T> = std::result::Result<T, QueryError>;

//! The settings of the REST transport.

use feathers_core::query::QueryLimits;
use feathers_core::AppBuilder;

/// The limits REST requests are held to, with safe defaults. Change them with
/// [`AppBuilder::configure`], or the body limit alone with
/// [`RestBuilderExt::body_limit`]:
///
/// ```
/// use feathers_transports::{RestBuilderExt, RestSettings};
///
/// let app = feathers_core::App::builder()
///     .body_limit(64 * 1024)
///     .configure(|rest: &mut RestSettings| rest.query_depth = 3)
///     .build()
///     .unwrap();
/// let rest = app.settings::<RestSettings>();
/// assert_eq!((rest.body_limit, rest.query_depth), (64 * 1024, 3));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RestSettings {
    /// The largest request body accepted, in bytes (413 above it). Default 1 MiB.
    pub body_limit: usize,
    /// The most parameters a query string may have. Default 1000.
    pub query_parameter_limit: usize,
    /// How deep query string brackets may nest. Default 5.
    pub query_depth: usize,
    /// The largest array index honoured in a query string (`a[20]=x`). Default 100.
    pub query_array_limit: usize,
}

impl Default for RestSettings {
    fn default() -> RestSettings {
        RestSettings {
            body_limit: 1024 * 1024,
            query_parameter_limit: 1000,
            query_depth: 5,
            query_array_limit: 100,
        }
    }
}

impl RestSettings {
    /// The limits for parsing URL query strings.
    pub fn query_limits(&self) -> QueryLimits {
        QueryLimits {
            depth: self.query_depth,
            parameter_limit: self.query_parameter_limit,
            array_limit: self.query_array_limit,
        }
    }
}

/// The REST settings most often changed, on the app builder.
pub trait RestBuilderExt {
    /// The largest request body accepted, in bytes (see [`RestSettings::body_limit`]).
    fn body_limit(self, bytes: usize) -> Self;
}

impl RestBuilderExt for AppBuilder {
    fn body_limit(self, bytes: usize) -> AppBuilder {
        self.configure(|rest: &mut RestSettings| rest.body_limit = bytes)
    }
}

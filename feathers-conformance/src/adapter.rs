//! What the suite asks of an adapter: the options of the service under test and the
//! factory that builds it.

use feathers_core::query::Paginate;
use feathers_core::{App, Multi, Result};

/// The options a case asks of the service under test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdapterOptions {
    /// The id field (`id` unless a case says otherwise).
    pub id_field: String,
    /// Pagination, if the case wants it.
    pub paginate: Option<Paginate>,
    /// Which methods may act on many records.
    pub multi: Multi,
    /// Custom events the service declares.
    pub events: Vec<String>,
}

/// Builds an app with a fresh, empty service of the adapter under test at `path`.
pub trait AdapterFactory: Sync {
    /// The app, with the service at `path` built with `options`.
    fn app(&self, path: &str, options: &AdapterOptions) -> Result<App>;
}

impl<F> AdapterFactory for F
where
    F: Fn(&str, &AdapterOptions) -> Result<App> + Sync,
{
    fn app(&self, path: &str, options: &AdapterOptions) -> Result<App> {
        self(path, options)
    }
}

/// The service path the suite uses.
pub const PATH: &str = "people";

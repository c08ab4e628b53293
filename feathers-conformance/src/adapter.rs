//! What the suite asks of an adapter: the factory that builds the service under test
//! with the options a case asks for (the core's [`AdapterOptions`], which every adapter
//! takes).

use feathers_core::adapter::AdapterOptions;
use feathers_core::{App, Result};

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

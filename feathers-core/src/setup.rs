//! Set-up functions: code run once the app is built, to register publishers, channels
//! and connection handlers. They may fail; the app then does not start, and says why.

use std::sync::Arc;

use crate::app::App;
use crate::error::{Error, Result};

/// What a set-up function may return: nothing, or a [`Result`] whose error stops the
/// app from starting.
#[diagnostic::on_unimplemented(
    message = "a set-up function returns `()` or `Result<()>`, not `{Self}`",
    label = "returns `{Self}`"
)]
pub trait SetupResult {
    /// The outcome as a `Result`.
    fn into_setup_result(self) -> Result<()>;
}

impl SetupResult for () {
    fn into_setup_result(self) -> Result<()> {
        Ok(())
    }
}

impl SetupResult for Result<()> {
    fn into_setup_result(self) -> Result<()> {
        self
    }
}

/// A set-up function, type-erased.
type SetupFn = Arc<dyn Fn(&App) -> Result<()> + Send + Sync>;

/// A set-up function, type-erased, with a name for error messages.
#[derive(Clone)]
pub(crate) struct Setup {
    pub(crate) name: String,
    pub(crate) run: SetupFn,
}

impl Setup {
    pub(crate) fn new<R: SetupResult>(
        name: impl Into<String>,
        run: impl Fn(&App) -> R + Send + Sync + 'static,
    ) -> Setup {
        Setup {
            name: name.into(),
            run: Arc::new(move |app| run(app).into_setup_result()),
        }
    }

    /// Runs it; a failure names the function.
    pub(crate) fn run(&self, app: &App) -> Result<()> {
        (self.run)(app).map_err(|err| {
            Error::general(format!(
                "the app cannot start: set-up `{}` failed: {} ({})",
                self.name,
                err.message(),
                err.name()
            ))
        })
    }
}

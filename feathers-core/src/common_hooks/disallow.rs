//! `disallow(providers)`: methods that some transports, or all, may not call.

use super::Names;
use crate::context::HookContext;
use crate::error::{Error, Result};
use crate::hooks::Hook;

/// A before hook refusing calls from the named providers with MethodNotAllowed.
/// `"external"` names every transport (internal calls still pass); `"rest"`,
/// `"socketio"`, `"primus"` name one; an empty list refuses every call, internal ones
/// included.
///
/// ```
/// # use feathers_core::common_hooks::disallow;
/// # use feathers_core::Hooks;
/// let hooks = Hooks::new().before_on("remove", disallow("external"));
/// ```
pub fn disallow(providers: impl Into<Names>) -> Disallow {
    Disallow {
        providers: providers.into(),
    }
}

/// The hook made by [`disallow`].
#[derive(Clone, Debug)]
pub struct Disallow {
    providers: Names,
}

impl Disallow {
    fn refuses(&self, ctx: &HookContext) -> bool {
        if self.providers.is_empty() {
            return true;
        }
        match &ctx.params.provider {
            None => self.providers.contains("server"),
            Some(provider) => {
                self.providers.contains("external") || self.providers.contains(provider.as_str())
            }
        }
    }
}

impl Hook for Disallow {
    async fn run(&self, ctx: &mut HookContext) -> Result<()> {
        if self.refuses(ctx) {
            let provider = ctx
                .params
                .provider
                .as_ref()
                .map_or("server", |provider| provider.as_str());
            return Err(Error::method_not_allowed(format!(
                "Provider '{provider}' can not call '{}'",
                ctx.method
            )));
        }
        Ok(())
    }
}

//! Installing authentication on an app, and the app-level login and logout handlers.

use std::sync::Arc;

use feathers_core::Connection;
use feathers_core::{App, AppBuilder, Hooks, Result};
use serde_json::Value;

use crate::config::AuthConfig;
use crate::hooks::UsersServiceGuard;
use crate::service::AuthenticationService;
use crate::state::{push, AuthState};

/// Adds authentication to an [`AppBuilder`].
pub trait AuthBuilderExt: Sized {
    /// Validates `config` (a secret under 32 bytes is refused, saying how to set one),
    /// registers the authentication service at `config.path`, keeps the settings in
    /// the app, and sets up socket logins, logouts and token expiry. On the users
    /// service (`config.service`) it adds an app-wide before hook that limits
    /// sign-ups per client address and normalises the username field of every write
    /// as logins normalise it; and a removed user's connections lose their
    /// authentication and leave every channel.
    ///
    /// ```
    /// # use feathers_runtime::prelude::*;
    /// # use feathers_auth::{AuthBuilderExt, AuthConfig};
    /// # fn demo() -> Result<()> {
    /// let app = App::builder()
    ///     .service_at("users", MemoryService::new())
    ///     .authentication(AuthConfig::new("a secret of at least thirty-two bytes!!"))?
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    fn authentication(self, config: AuthConfig) -> Result<AppBuilder>;
}

impl AuthBuilderExt for AppBuilder {
    fn authentication(self, config: AuthConfig) -> Result<AppBuilder> {
        config.validate()?;
        let path = config.path.clone();
        Ok(self
            .extension(AuthState::new(config))
            .service_at(&path, AuthenticationService)
            .hooks(Hooks::new().before(UsersServiceGuard))
            .setup(crate::realtime::setup))
    }
}

/// Login and logout handlers on an [`App`] with authentication.
pub trait AuthAppExt {
    /// Runs `handler` after every login from a client (REST or socket) with the
    /// authentication result and, for sockets, the connection: where apps move the
    /// connection into channels (`authenticated`, `user/<id>`).
    fn on_login(&self, handler: impl Fn(&Value, Option<&Connection>, &App) + Send + Sync + 'static);

    /// Runs `handler` after every logout from a client, and when a connection's token
    /// expires (the result then has `"reason": "expired"`). The connection has already
    /// left every channel.
    fn on_logout(
        &self,
        handler: impl Fn(&Value, Option<&Connection>, &App) + Send + Sync + 'static,
    );

    /// The authentication state: settings and the token signer.
    fn authentication(&self) -> Result<Arc<AuthState>>;
}

impl AuthAppExt for App {
    fn on_login(
        &self,
        handler: impl Fn(&Value, Option<&Connection>, &App) + Send + Sync + 'static,
    ) {
        match AuthState::of(self) {
            Ok(state) => push(&state.on_login, Arc::new(handler)),
            Err(_) => tracing::error!("on_login on an app without authentication"),
        }
    }

    fn on_logout(
        &self,
        handler: impl Fn(&Value, Option<&Connection>, &App) + Send + Sync + 'static,
    ) {
        match AuthState::of(self) {
            Ok(state) => push(&state.on_logout, Arc::new(handler)),
            Err(_) => tracing::error!("on_logout on an app without authentication"),
        }
    }

    fn authentication(&self) -> Result<Arc<AuthState>> {
        AuthState::of(self)
    }
}

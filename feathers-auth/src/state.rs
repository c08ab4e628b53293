//! The per-app authentication state, kept as an app extension.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use feathers_core::{App, Error, Result};
use feathers_core::{Connection, ConnectionId};
use serde_json::Value;

use crate::config::AuthConfig;
use crate::jwt::Tokens;
use crate::rate_limit::LoginLimits;

/// A login or logout handler: the authentication result, the connection it happened
/// on (none for REST and internal calls), and the app.
pub type AuthHandler = Arc<dyn Fn(&Value, Option<&Connection>, &App) + Send + Sync>;

/// An expiry timer of a connection: the token it is for, and its task.
pub(crate) struct ExpiryTimer {
    pub(crate) token: String,
    pub(crate) task: tokio::task::AbortHandle,
}

/// What an app with authentication keeps: settings, token keys, login limits,
/// handlers and the connections' expiry timers.
pub struct AuthState {
    pub(crate) config: AuthConfig,
    pub(crate) tokens: Tokens,
    pub(crate) limits: LoginLimits,
    pub(crate) on_login: RwLock<Vec<AuthHandler>>,
    pub(crate) on_logout: RwLock<Vec<AuthHandler>>,
    pub(crate) timers: Mutex<HashMap<ConnectionId, ExpiryTimer>>,
}

impl std::fmt::Debug for AuthState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthState")
            .field("config", &self.config)
            .finish()
    }
}

impl AuthState {
    /// The state for `config` (already validated).
    pub(crate) fn new(config: AuthConfig) -> AuthState {
        AuthState {
            tokens: Tokens::new(config.secret.as_bytes(), &config.jwt),
            limits: LoginLimits::new(&config.rate_limit),
            config,
            on_login: RwLock::new(Vec::new()),
            on_logout: RwLock::new(Vec::new()),
            timers: Mutex::new(HashMap::new()),
        }
    }

    /// The settings.
    pub fn config(&self) -> &AuthConfig {
        &self.config
    }

    /// The token signer and verifier.
    pub fn tokens(&self) -> &Tokens {
        &self.tokens
    }

    /// The authentication state of `app`: a 500 when authentication is not installed.
    pub fn of(app: &App) -> Result<Arc<AuthState>> {
        app.extension::<AuthState>().ok_or_else(|| {
            tracing::error!(
                "an authentication hook ran in an app without authentication: \
                 install it with `App::builder().authentication(config)`"
            );
            Error::general("Authentication is not configured")
        })
    }

    pub(crate) fn login_handlers(&self) -> Vec<AuthHandler> {
        read(&self.on_login).clone()
    }

    pub(crate) fn logout_handlers(&self) -> Vec<AuthHandler> {
        read(&self.on_logout).clone()
    }

    pub(crate) fn timers(&self) -> std::sync::MutexGuard<'_, HashMap<ConnectionId, ExpiryTimer>> {
        self.timers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn read<T: Clone>(lock: &RwLock<Vec<T>>) -> Vec<T> {
    lock.read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone()
}

pub(crate) fn push<T>(lock: &RwLock<Vec<T>>, value: T) {
    lock.write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .push(value);
}

/// Runs each handler, a panic in one logged and contained.
pub(crate) fn run_handlers(
    handlers: &[AuthHandler],
    what: &str,
    result: &Value,
    connection: Option<&Connection>,
    app: &App,
) {
    for handler in handlers {
        let run = std::panic::AssertUnwindSafe(|| handler(result, connection, app));
        if std::panic::catch_unwind(run).is_err() {
            tracing::error!("a {what} handler panicked");
        }
    }
}

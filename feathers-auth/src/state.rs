//! The per-app authentication state, kept as an app extension.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use feathers_core::{App, Error, Id, Result};
use feathers_core::{Connection, ConnectionId};
use serde_json::Value;

use crate::config::AuthConfig;
use crate::jwt::Tokens;
use crate::password::PasswordWorkers;
use crate::rate_limit::{LoginLimits, SignUpLimit};

/// A login or logout handler: the authentication result, the connection it happened
/// on (none for REST and internal calls), and the app.
pub type AuthHandler = Arc<dyn Fn(&Value, Option<&Connection>, &App) + Send + Sync>;

/// An authenticated connection's expiry timer: the connection, the token it is for,
/// the entity it is logged in as, what its login verified, and the timer's task.
pub(crate) struct ExpiryTimer {
    pub(crate) connection: Connection,
    pub(crate) token: String,
    pub(crate) entity_id: Option<Id>,
    /// The login's outcome, reused by every call on the connection until the token
    /// expires or the user changes (then `None`, and the next call verifies again).
    pub(crate) verified: Option<Verified>,
    /// How many times the user changed since the login: a verification that began
    /// before a change does not store its outcome after it.
    pub(crate) changes: u64,
    pub(crate) task: tokio::task::AbortHandle,
}

/// What verifying a connection's token gave: the user as clients see it and the
/// call's `authentication` (`{strategy, accessToken, payload}`).
#[derive(Clone, Debug)]
pub(crate) struct Verified {
    pub(crate) user: Option<Value>,
    pub(crate) authentication: Value,
}

/// What an app with authentication keeps: settings, token keys, login and sign-up
/// limits, the password hashing threads, handlers and the connections' expiry timers.
pub struct AuthState {
    pub(crate) config: AuthConfig,
    pub(crate) tokens: Tokens,
    pub(crate) limits: LoginLimits,
    pub(crate) sign_ups: SignUpLimit,
    pub(crate) workers: PasswordWorkers,
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
            sign_ups: SignUpLimit::new(&config.rate_limit),
            workers: PasswordWorkers::new(config.hashing.clone()),
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

    /// The threads this app hashes and checks passwords on (their
    /// [`stats`](PasswordWorkers::stats) say how busy they are).
    pub fn password_workers(&self) -> &PasswordWorkers {
        &self.workers
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

//! Authentication for feathers-rs, on the wire as Feathers 5's: the `authentication`
//! service (`POST /authentication` logs in with the `local` or `jwt` strategy and
//! answers with an access token), the [`authenticate`] hook for services that need a
//! login, socket connections that stay logged in until logout or expiry, and the
//! [`hash_password`] hook storing argon2id hashes. The real
//! `@feathersjs/authentication-client` works against it unchanged.
//!
//! ```no_run
//! use feathers_runtime::prelude::*;
//! use feathers_auth::{authenticate, hash_password, AuthAppExt, AuthBuilderExt, AuthConfig};
//!
//! # async fn demo() -> Result<()> {
//! let users = Hooks::new()
//!     .before_on("create", hash_password("password"))
//!     .before_on("patch", hash_password("password"))
//!     .after(protect("password"));
//! let app = App::builder()
//!     .service_at("users", MemoryService::new())
//!     .service_hooks("users", users)
//!     .authentication(AuthConfig::from_env()?)?
//!     .build()?;
//! app.on_login(|_result, connection, app| {
//!     if let Some(connection) = connection {
//!         app.channel("authenticated").join(connection);
//!     }
//! });
//! app.serve_at("127.0.0.1:3030").await
//! # }
//! ```
#![warn(missing_docs, unreachable_pub)]

mod config;
mod header;
mod hooks;
mod install;
mod jwt;
pub mod metrics;
pub mod password;
mod rate_limit;
mod realtime;
mod secret;
mod service;
mod state;
pub(crate) mod strategy;

pub use config::{
    parse_duration, AuthConfig, JwtOptions, LocalOptions, RateLimitOptions, UsernameNormalization,
    MIN_SECRET_BYTES,
};
pub use header::{authentication_from_headers, parse_authorization};
pub use hooks::{authenticate, hash_password, Authenticate, HashPassword};
pub use install::{AuthAppExt, AuthBuilderExt};
pub use jsonwebtoken::Algorithm;
pub use jwt::Tokens;
pub use password::{HashingOptions, HashingStats, PasswordWorkers};
pub use secret::{generate_secret, secret_from_file};
pub use service::AuthenticationService;
pub use state::{AuthHandler, AuthState};
pub use strategy::PASSWORD_ALREADY_HASHED;

/// The number of socket connections whose token expiry is being watched.
pub fn expiry_timers(app: &feathers_core::App) -> usize {
    AuthState::of(app).map_or(0, |state| realtime::timer_count(&state))
}

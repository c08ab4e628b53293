//! Authentication strategies: `jwt` (an access token) and `local` (username and
//! password). Each turns the authentication data into an authentication result
//! `{[accessToken], authentication: {strategy, ...}, user}`.

mod entity;
mod jwt;
mod local;

use feathers_core::{App, Error, Params, Result};
use serde_json::Value;

use crate::state::AuthState;

/// Authenticates `authentication` with its strategy, which must be one of `allowed`.
pub(crate) async fn authenticate(
    app: &App,
    state: &AuthState,
    authentication: &Value,
    params: &Params,
    allowed: &[String],
) -> Result<Value> {
    let Some(strategy) = authentication.get("strategy").and_then(Value::as_str) else {
        return Err(Error::not_authenticated(
            "Invalid authentication information (no `strategy` set)",
        ));
    };
    if !allowed.iter().any(|name| name == strategy) {
        return Err(Error::not_authenticated(
            "Invalid authentication information (strategy not allowed in authStrategies)",
        ));
    }
    match strategy {
        "jwt" => jwt::authenticate(app, state, authentication, params).await,
        "local" => local::authenticate(app, state, authentication, params).await,
        _ => Err(Error::not_authenticated(
            "Invalid authentication information (strategy not allowed in authStrategies)",
        )),
    }
}

pub(crate) use entity::id_of as entity_id;
pub use local::PASSWORD_ALREADY_HASHED;

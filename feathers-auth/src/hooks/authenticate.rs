//! `authenticate("jwt")`: calls from clients must carry a valid login.

use feathers_core::common_hooks::Names;
use feathers_core::{Error, Hook, HookContext, Result};
use serde_json::Value;

use crate::header::authentication_from_headers;
use crate::realtime;
use crate::state::{AuthState, Verified};
use crate::strategy;

/// A before hook: a call from a client (REST, Socket.io, Primus) must be authenticated
/// with one of `strategies`, or it fails with 401 NotAuthenticated. It reads the
/// call's authentication (a socket connection's login) or, failing that, the
/// `Authorization: Bearer <token>` header; verifies it; loads the user through the
/// users service; and sets `params.user`, `params.authentication` (`{strategy,
/// accessToken, payload}`) and `params.authenticated`.
///
/// Internal calls (no provider) pass untouched, as do calls already authenticated
/// and calls to the authentication service itself (which authenticates on its own),
/// so the hook may be put on the whole app.
///
/// ```
/// # use feathers_runtime::prelude::*;
/// # use feathers_auth::authenticate;
/// let hooks = Hooks::new().before(authenticate("jwt"));
/// let both = Hooks::new().before(authenticate(["jwt", "local"]));
/// ```
pub fn authenticate(strategies: impl Into<Names>) -> Authenticate {
    Authenticate {
        strategies: strategies.into().0,
    }
}

/// The hook made by [`authenticate`].
#[derive(Clone, Debug)]
pub struct Authenticate {
    strategies: Vec<String>,
}

impl Hook for Authenticate {
    async fn run(&self, ctx: &mut HookContext) -> Result<()> {
        if !ctx.params.is_external() || ctx.params.authenticated {
            return Ok(());
        }
        let state = AuthState::of(ctx.app())?;
        if ctx.path().trim_matches('/') == state.config.path {
            return Ok(());
        }
        let authentication = ctx
            .params
            .authentication
            .clone()
            .or_else(|| authentication_from_headers(&ctx.params.headers));
        let Some(authentication) = authentication else {
            return Err(Error::not_authenticated("Not authenticated"));
        };
        // A socket logged in with this token: its login's outcome stands, unless the
        // token expired or the user changed since.
        let socket_token = ctx
            .params
            .connection
            .clone()
            .filter(|_| self.strategies.iter().any(|name| name == "jwt"))
            .zip(jwt_token(&authentication));
        let mut changes = 0;
        if let Some((connection, token)) = &socket_token {
            match realtime::verified(&state, connection, token) {
                Ok(verified) => {
                    set_entity(ctx, &state.config.entity, verified.user);
                    ctx.params.authentication = Some(verified.authentication);
                    ctx.params.authenticated = true;
                    return Ok(());
                }
                Err(seen) => changes = seen,
            }
        }
        let mut result = strategy::authenticate(
            ctx.app(),
            &state,
            &authentication,
            &ctx.params,
            &self.strategies,
        )
        .await?;
        let entity = &state.config.entity;
        if let Value::Object(fields) = &mut result {
            let user = fields.remove(entity);
            let verified = fields.remove("authentication");
            if let (Some((connection, token)), Some(authentication)) = (&socket_token, &verified) {
                let again = Verified {
                    user: user.clone(),
                    authentication: authentication.clone(),
                };
                realtime::reverified(&state, connection, token, changes, again);
            }
            set_entity(ctx, entity, user);
            ctx.params.authentication = verified;
        }
        ctx.params.authenticated = true;
        Ok(())
    }
}

/// The access token of a `jwt` authentication.
fn jwt_token(authentication: &Value) -> Option<String> {
    let strategy = authentication.get("strategy").and_then(Value::as_str);
    if strategy.is_some_and(|strategy| strategy != "jwt") {
        return None;
    }
    authentication
        .get("accessToken")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Sets the authenticated entity: `params.user`, and `params.extra[entity]` when the
/// entity has another name.
fn set_entity(ctx: &mut HookContext, entity: &str, user: Option<Value>) {
    if entity != "user" {
        if let Some(user) = &user {
            ctx.params.extra.insert(entity.to_owned(), user.clone());
        }
    }
    ctx.params.user = user;
}

//! The `authentication` service: `create` logs in (any allowed strategy) and answers
//! with an access token; `remove` logs out.

use std::sync::Arc;

use feathers_core::{Error, HookContext, Id, Method, Result, Service};
use serde_json::{Map, Value};

use crate::header::authentication_from_headers;
use crate::realtime;
use crate::state::{run_handlers, AuthState};
use crate::strategy;

/// The authentication service, registered at the configured path by
/// [`crate::AuthBuilderExt::authentication`].
#[derive(Debug, Default)]
pub struct AuthenticationService;

impl Service for AuthenticationService {
    fn methods(&self) -> Vec<Method> {
        vec![Method::Create, Method::Remove]
    }

    async fn call(&self, ctx: &mut HookContext) -> Result<Value> {
        let state = AuthState::of(ctx.app())?;
        match ctx.method() {
            Method::Create => create(&state, ctx).await,
            Method::Remove => remove(&state, ctx).await,
            _ => Err(Error::method_not_allowed(format!(
                "Method '{}' not allowed on service '{}'",
                ctx.method(),
                ctx.path()
            ))),
        }
    }
}

/// Logs in: authenticates `data` and, unless the strategy answered with a token (jwt
/// answers with the token it was given), signs a new one for the entity.
async fn create(state: &Arc<AuthState>, ctx: &mut HookContext) -> Result<Value> {
    if !ctx.data.is_object() {
        return Err(Error::not_authenticated(
            "Invalid authentication information (no `strategy` set)",
        ));
    }
    let config = &state.config;
    let result = strategy::authenticate(
        ctx.app(),
        state,
        &ctx.data,
        &ctx.params,
        &config.auth_strategies,
    )
    .await?;
    let result = if result.get("accessToken").is_some() {
        result
    } else {
        with_new_token(state, ctx, result)?
    };
    if ctx.params.is_external() {
        if let Some(connection) = &ctx.params.connection {
            realtime::login(state, ctx.app(), connection, &result);
        }
        let handlers = state.login_handlers();
        run_handlers(
            &handlers,
            "login",
            &result,
            ctx.params.connection.as_ref(),
            ctx.app(),
        );
    }
    Ok(result)
}

/// `{accessToken, ...result, authentication: {...result.authentication, payload}}`.
fn with_new_token(state: &AuthState, ctx: &HookContext, result: Value) -> Result<Value> {
    let entity = result
        .get(&state.config.entity)
        .ok_or_else(|| Error::not_authenticated("Could not get local entity"))?;
    let subject = crate::strategy::entity_id(state, entity)?.to_string();
    let base = match ctx.params.extra.get("payload") {
        Some(Value::Object(payload)) => payload.clone(),
        _ => Map::new(),
    };
    let (token, payload) = state.tokens.sign(&subject, base)?;
    let Value::Object(fields) = result else {
        return Err(Error::general("Invalid authentication result"));
    };
    // `{accessToken, ...result, authentication: {...}}`: the authentication keeps its
    // place among the result's fields, as in Feathers.
    let mut answer = Map::new();
    answer.insert("accessToken".into(), Value::String(token));
    answer.extend(fields);
    match answer.get_mut("authentication") {
        Some(Value::Object(authentication)) => {
            authentication.insert("payload".into(), payload);
        }
        _ => {
            answer.insert(
                "authentication".into(),
                serde_json::json!({ "payload": payload }),
            );
        }
    }
    Ok(Value::Object(answer))
}

/// Logs out: the id is null or the token itself; the call's own authentication (the
/// connection's, or the `Authorization` header) is verified and returned.
async fn remove(state: &Arc<AuthState>, ctx: &mut HookContext) -> Result<Value> {
    let authentication = ctx
        .params
        .authentication
        .clone()
        .or_else(|| authentication_from_headers(&ctx.params.headers));
    let token = authentication
        .as_ref()
        .and_then(|auth| auth.get("accessToken"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let authentication = match (&ctx.id, authentication, &token) {
        (None, Some(auth), _) => auth,
        (Some(Id::Str(id)), Some(auth), Some(token)) if id == token => auth,
        // `DELETE /authentication/<token>` with no header: the token in the path.
        (Some(Id::Str(id)), None, _) => serde_json::json!({ "strategy": "jwt", "accessToken": id }),
        (None, None, _) => return Err(Error::not_authenticated("Not authenticated")),
        _ => return Err(Error::not_authenticated("Invalid access token")),
    };
    let jwt_only = ["jwt".to_owned()];
    let result =
        strategy::authenticate(ctx.app(), state, &authentication, &ctx.params, &jwt_only).await?;
    if ctx.params.is_external() {
        if let Some(connection) = &ctx.params.connection {
            realtime::logout(state, ctx.app(), connection);
        }
        let handlers = state.logout_handlers();
        run_handlers(
            &handlers,
            "logout",
            &result,
            ctx.params.connection.as_ref(),
            ctx.app(),
        );
    }
    Ok(result)
}

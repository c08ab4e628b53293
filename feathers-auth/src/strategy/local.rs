//! The `local` strategy: `{"strategy": "local", "email": "..", "password": ".."}`.
//!
//! Unknown users and wrong passwords fail alike: the same 401 message, and the same
//! work, because an unknown user's password is checked against a dummy hash. Login
//! data that is not a string (`{"$ne": null}`, arrays) is refused before any query.
//! The username is normalised as the users service's writes normalise it
//! ([`UsernameNormalization`](crate::UsernameNormalization)), so a login finds the
//! account whatever the case it is typed in.

use feathers_core::{App, Error, Id, Method, Params, Result};
use serde_json::Map;
use serde_json::{json, Value};

use super::entity;
use crate::password::Verified;
use crate::state::AuthState;

/// Set to `true` in `params.extra` of an internal create, update or patch of a user,
/// the `hash_password` hook keeps the password field as it is: for the login's own
/// upgrade of old hashes, and for importing users with their hashes (bcrypt hashes
/// from Feathers verify, and become argon2id at the next login).
pub const PASSWORD_ALREADY_HASHED: &str = "passwordAlreadyHashed";

/// Checks the username and password: `{authentication: {strategy: "local"}, user}`.
pub(super) async fn authenticate(
    app: &App,
    state: &AuthState,
    data: &Value,
    params: &Params,
) -> Result<Value> {
    let local = &state.config.local;
    let username = string_field(data, &local.username_field)?;
    let password = string_field(data, &local.password_field)?;
    let (Some(username), Some(password)) = (username, password) else {
        return Err(Error::not_authenticated(local.error_message.clone()));
    };
    let username = local.username_normalization.apply(&username);
    let attempt = state.limits.check(params, &username)?;
    let user = find_user(app, state, &username).await?;
    let stored_hash = user
        .as_ref()
        .and_then(|user| user.get(&local.password_field))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let verified = state.workers.verify(password.clone(), stored_hash).await?;
    let user = match (verified, user) {
        (Verified::No, _) | (_, None) => {
            return Err(Error::not_authenticated(local.error_message.clone()))
        }
        (_, Some(user)) => user,
    };
    state.limits.succeeded(attempt);
    let id = entity::id_of(state, &user)?;
    if verified == Verified::YesRehash {
        rehash(app, state, id.clone(), password).await;
    }
    let user = if params.is_external() {
        entity::load(app, state, id, params).await?
    } else {
        user
    };
    let mut result = json!({ "authentication": { "strategy": "local" } });
    if let Value::Object(map) = &mut result {
        map.insert(state.config.entity.clone(), user);
    }
    Ok(result)
}

/// The field as a string; `None` when absent or null; 400 for any other type.
fn string_field(data: &Value, field: &str) -> Result<Option<String>> {
    match data.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(Error::bad_request(format!("'{field}' must be a string"))),
    }
}

/// The user with this username (an internal `find` with `$limit: 1`).
async fn find_user(app: &App, state: &AuthState, username: &str) -> Result<Option<Value>> {
    let users = app.service(&state.config.service)?;
    let mut query = Map::new();
    query.insert(state.config.local.username_field.clone(), json!(username));
    query.insert("$limit".into(), json!(1));
    let found = users.find(Params::with_query(query)).await?;
    let first = match found {
        Value::Array(mut items) => (!items.is_empty()).then(|| items.swap_remove(0)),
        Value::Object(mut page) => match page.remove("data") {
            Some(Value::Array(mut items)) => (!items.is_empty()).then(|| items.swap_remove(0)),
            _ => None,
        },
        _ => None,
    };
    Ok(first)
}

/// Replaces an old (bcrypt, or weaker argon2) hash by a fresh argon2id one. A failure
/// is logged; the login still succeeds.
async fn rehash(app: &App, state: &AuthState, id: Id, password: String) {
    let outcome = async {
        let hash = state.workers.hash(password).await?;
        let mut data = Map::new();
        data.insert(
            state.config.local.password_field.clone(),
            Value::String(hash),
        );
        let mut params = Params::default();
        params
            .extra
            .insert(PASSWORD_ALREADY_HASHED.into(), Value::Bool(true));
        app.service(&state.config.service)?
            .call(Method::Patch, Some(id.clone()), Value::Object(data), params)
            .await
    }
    .await;
    match outcome {
        Ok(_) => tracing::info!(user = %id, "upgraded a password hash to argon2id"),
        Err(err) => tracing::warn!(user = %id, "could not upgrade a password hash: {err}"),
    }
}

//! The `jwt` strategy: `{"strategy": "jwt", "accessToken": "<token>"}`.

use feathers_core::{App, Error, Id, Params, Result};
use serde_json::{json, Value};

use super::entity;
use crate::state::AuthState;

/// Verifies the token and loads its subject: `{accessToken, authentication: {strategy,
/// accessToken, payload}, user}`.
pub(super) async fn authenticate(
    app: &App,
    state: &AuthState,
    authentication: &Value,
    params: &Params,
) -> Result<Value> {
    let Some(token) = authentication.get("accessToken").and_then(Value::as_str) else {
        return Err(Error::not_authenticated("No access token"));
    };
    let payload = state.tokens.verify(token)?;
    let subject = payload
        .get("sub")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::not_authenticated("jwt claims invalid"))?;
    let user = entity::load(app, state, Id::Str(subject.to_owned()), params).await?;
    let mut result = json!({
        "accessToken": token,
        "authentication": { "strategy": "jwt", "accessToken": token, "payload": payload },
    });
    if let Value::Object(map) = &mut result {
        map.insert(state.config.entity.clone(), user);
    }
    Ok(result)
}

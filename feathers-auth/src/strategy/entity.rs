//! Loading the authenticated entity (the user) from the users service.

use feathers_core::{App, Error, ErrorKind, Id, Params, Result};
use serde_json::Value;

use crate::state::AuthState;

/// The users service's record `id`: loaded by an internal `get`, then, for calls from
/// a client, passed through the hooks of `get` with the client's provider so that the
/// service's hooks for clients (`protect("password")`) shape what the caller sees.
/// That second pass carries the record as `params.user`, is marked authenticated, and
/// does not read the record again (Feathers reads it twice).
pub(crate) async fn load(app: &App, state: &AuthState, id: Id, params: &Params) -> Result<Value> {
    let users = app.service(&state.config.service)?;
    let user = users
        .get(id.clone(), Params::default())
        .await
        .map_err(missing_entity)?;
    if !params.is_external() {
        return Ok(user);
    }
    let external = Params {
        provider: params.provider.clone(),
        headers: params.headers.clone(),
        connection: params.connection.clone(),
        user: Some(user.clone()),
        authenticated: true,
        ..Params::default()
    };
    let ctx = users
        .get_loaded(id, user, external)
        .await
        .map_err(missing_entity)?;
    Ok(ctx.into_client_result())
}

/// A token or login naming a user that no longer exists is not a 404 to the client.
fn missing_entity(err: Error) -> Error {
    if err.kind() == ErrorKind::NotFound {
        Error::not_authenticated("Could not find the authenticated user")
    } else {
        err
    }
}

/// The id of an entity record, for the token's subject.
pub(crate) fn id_of(state: &AuthState, entity: &Value) -> Result<Id> {
    match entity.get(&state.config.entity_id) {
        Some(Value::String(id)) => Ok(Id::Str(id.clone())),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Id::Int)
            .ok_or_else(|| Error::not_authenticated("Could not get local entity")),
        _ => Err(Error::not_authenticated("Could not get local entity")),
    }
}

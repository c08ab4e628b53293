//! What authentication adds to every call of the users service, as an app-wide before
//! hook installed with the authentication: the sign-up limit, and usernames stored in
//! the form local logins look them up in.

use feathers_core::{Hook, HookContext, Method, Result};
use serde_json::Value;

use crate::state::AuthState;

/// The app-wide before hook for the users service (see the module documentation).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct UsersServiceGuard;

impl Hook for UsersServiceGuard {
    async fn run(&self, ctx: &mut HookContext) -> Result<()> {
        if !matches!(
            ctx.method(),
            Method::Create | Method::Update | Method::Patch
        ) {
            return Ok(());
        }
        let Some(state) = ctx.app().extension::<AuthState>() else {
            return Ok(());
        };
        if ctx.path().trim_matches('/') != state.config.service {
            return Ok(());
        }
        if *ctx.method() == Method::Create && ctx.params.is_external() {
            state.sign_ups.check(&ctx.params)?;
        }
        normalise_usernames(&state, &mut ctx.data);
        Ok(())
    }
}

/// The username field of each record, normalised as local logins normalise it.
fn normalise_usernames(state: &AuthState, data: &mut Value) {
    let local = &state.config.local;
    let normalise = |record: &mut Value| {
        if let Some(Value::String(username)) = record.get_mut(&local.username_field) {
            let normal = local.username_normalization.apply(username);
            if normal != *username {
                *username = normal;
            }
        }
    };
    match data {
        Value::Array(records) => records.iter_mut().for_each(normalise),
        record => normalise(record),
    }
}

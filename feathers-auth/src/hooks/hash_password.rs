//! `hash_password("password")`: passwords are stored as argon2id hashes.

use feathers_core::{Error, Hook, HookContext, Method, Result};
use serde_json::Value;

use crate::password::PasswordWorkers;
use crate::state::AuthState;
use crate::PASSWORD_ALREADY_HASHED;

/// A before hook for the users service's `create`, `update` and `patch`: replaces
/// `field` in the data (each record of an array) with its argon2id hash. A field
/// that is absent is left alone; one that is not a string is a 400. Put it on the
/// service (it does nothing for other methods), next to `protect(field)`. Internal
/// calls with `params.extra[PASSWORD_ALREADY_HASHED] = true` keep the value as given.
///
/// Hashes run on the app's [`PasswordWorkers`] (bounded: a full queue answers 503),
/// or on the process's shared ones in an app without authentication.
///
/// ```
/// # use feathers_runtime::prelude::*;
/// # use feathers_auth::hash_password;
/// let hooks = Hooks::new().before(hash_password("password")).after(protect("password"));
/// ```
pub fn hash_password(field: &str) -> HashPassword {
    HashPassword {
        field: field.to_owned(),
    }
}

/// The hook made by [`hash_password`].
#[derive(Clone, Debug)]
pub struct HashPassword {
    field: String,
}

impl HashPassword {
    async fn hash_record(&self, workers: &PasswordWorkers, record: &mut Value) -> Result<()> {
        let Value::Object(fields) = record else {
            return Ok(());
        };
        match fields.get(&self.field) {
            None | Some(Value::Null) => Ok(()),
            Some(Value::String(password)) => {
                if password.is_empty() {
                    return Err(Error::bad_request(format!(
                        "'{}' must not be empty",
                        self.field
                    )));
                }
                let hash = workers.hash(password.clone()).await?;
                fields.insert(self.field.clone(), Value::String(hash));
                Ok(())
            }
            Some(_) => Err(Error::bad_request(format!(
                "'{}' must be a string",
                self.field
            ))),
        }
    }
}

impl Hook for HashPassword {
    async fn run(&self, ctx: &mut HookContext) -> Result<()> {
        if !matches!(
            ctx.method(),
            Method::Create | Method::Update | Method::Patch
        ) {
            return Ok(());
        }
        // Internal calls that bring a hash already (the login's upgrade of an old
        // hash, imports).
        if !ctx.params.is_external()
            && ctx.params.extra.get(PASSWORD_ALREADY_HASHED) == Some(&Value::Bool(true))
        {
            return Ok(());
        }
        let state = ctx.app().extension::<AuthState>();
        let workers = match &state {
            Some(state) => &state.workers,
            None => PasswordWorkers::shared(),
        };
        match &mut ctx.data {
            Value::Array(records) => {
                for record in records {
                    self.hash_record(workers, record).await?;
                }
                Ok(())
            }
            record => self.hash_record(workers, record).await,
        }
    }
}

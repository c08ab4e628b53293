//! The `users` service: anyone may sign up (`create` with an email and a password,
//! stored as an argon2id hash); everything else needs a login, and a user may change
//! or remove only their own account. The password never leaves the server, and no
//! query can reach it: the records' schema ([`User`]) has no such field. The adapter
//! (the service's delegate) answers every method, behind the hooks declared with it.

use feathers_runtime::adapter::Adapter;
use feathers_runtime::auth::{authenticate, hash_password};
use feathers_runtime::prelude::*;

/// The shortest password accepted at sign-up.
pub const MIN_PASSWORD: usize = 8;

/// A user as clients see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct User {
    pub id: i64,
    pub email: String,
}

/// The data of a sign-up, and of a change to an account ([`Partial`]).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SignUp {
    #[schemars(email, length(max = 254))]
    pub email: String,
    #[schemars(length(min = MIN_PASSWORD, max = 1024))]
    pub password: String,
}

/// The users service on an adapter (`Users::default()` keeps them in memory), which
/// answers every method: sign-up is open, everything else needs a login, and an
/// account is changed or removed only by its owner. Emails are kept in lower case and
/// passwords as argon2id hashes, whichever method writes them.
pub struct Users {
    store: DynAdapter,
}

impl Default for Users {
    fn default() -> Users {
        Users::new(MemoryService::new())
    }
}

impl Users {
    /// The service on this adapter (the `users` table, or memory).
    pub fn new(store: impl Adapter) -> Users {
        Users {
            store: DynAdapter::new(store),
        }
    }
}

#[service(
    "users",
    register = false,
    delegate = store,
    data = SignUp,
    result = User
)]
#[before(on = ["find", "get", "update", "patch", "remove"], authenticate("jwt"))]
#[before(on = ["update", "patch", "remove"], only_themselves)]
#[before(on = ["create", "update", "patch"], lower_case_email, hash_password("password"))]
#[after(protect("password"))]
impl Users {}

/// Emails are kept in lower case, so that one address is one account.
async fn lower_case_email(ctx: &mut HookContext) -> Result<()> {
    if let Some(email) = ctx.data.get_mut("email") {
        if let Some(lower) = email.as_str().map(str::to_lowercase) {
            *email = Value::String(lower);
        }
    }
    Ok(())
}

/// A client may change or remove only the account it is logged in as.
async fn only_themselves(ctx: &mut HookContext) -> Result<()> {
    if !ctx.params.is_external() {
        return Ok(());
    }
    let me = ctx
        .params
        .user
        .as_ref()
        .and_then(|user| Id::from_value(&user["id"]).ok().flatten());
    let allowed = match (&me, &ctx.id) {
        (Some(me), Some(id)) => me.same_record(id),
        _ => false,
    };
    if !allowed {
        return Err(Error::forbidden("You can only change your own account"));
    }
    Ok(())
}

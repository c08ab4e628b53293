//! The `users` service: anyone may sign up (`create` with an email and a password,
//! stored as an argon2id hash); everything else needs a login, and a user may change
//! or remove only their own account. The password never leaves the server, and no
//! query can reach it: the records' schema ([`User`]) has no such field. `find`,
//! `get` and `remove` are the adapter's (the service's delegate), behind the hooks of
//! [`Users::hooks_of_delegated`].

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

/// The users service on an adapter (`Users::default()` keeps them in memory).
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

    /// The hooks of the methods the adapter answers: `find` and `get` need a login;
    /// `remove` also needs the account to be the caller's own. Add them with
    /// `service_hooks("users", Users::hooks_of_delegated())`.
    pub fn hooks_of_delegated() -> Hooks {
        Hooks::new()
            .before_on("find", authenticate("jwt"))
            .before_on("get", authenticate("jwt"))
            .before_on("remove", authenticate("jwt"))
            .before_on("remove", only_themselves)
    }
}

#[service("users", register = false, delegate = store, result = User)]
#[after(protect("password"))]
impl Users {
    #[before(lower_case_email, hash_password("password"))]
    async fn create(&self, data: SignUp, params: &Params) -> Result<Value> {
        let record = json!({ "email": data.email, "password": data.password });
        self.store.create(record, params).await
    }

    #[before(
        authenticate("jwt"),
        only_themselves,
        lower_case_email,
        hash_password("password")
    )]
    async fn patch(&self, id: Id, data: Partial<SignUp>, params: &Params) -> Result<Value> {
        self.store.patch(Some(id), data.into_value(), params).await
    }
}

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

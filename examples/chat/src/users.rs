//! The `users` service: anyone may sign up (`create` with an email and a password,
//! stored as an argon2id hash); everything else needs a login, and a user may change
//! or remove only their own account. The password never leaves the server. `find`,
//! `get` and `remove` are the adapter's (the service's delegate), behind the hooks of
//! [`Users::hooks_of_delegated`].

use feathers_runtime::adapter::Adapter;
use feathers_runtime::auth::{authenticate, hash_password};
use feathers_runtime::prelude::*;

/// The shortest password accepted at sign-up.
pub const MIN_PASSWORD: usize = 8;

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

#[service("users", register = false, delegate = store)]
#[after(protect("password"))]
impl Users {
    #[before(check_sign_up, hash_password("password"))]
    async fn create(&self, data: Value, params: &Params) -> Result<Value> {
        let record = json!({ "email": data["email"], "password": data["password"] });
        self.store.create(record, params).await
    }

    #[before(
        authenticate("jwt"),
        only_themselves,
        check_changes,
        hash_password("password")
    )]
    async fn patch(&self, id: Id, data: Value, params: &Params) -> Result<Value> {
        let mut changes = serde_json::Map::new();
        for field in ["email", "password"] {
            if let Some(value) = data.get(field) {
                changes.insert(field.to_owned(), value.clone());
            }
        }
        self.store
            .patch(Some(id), Value::Object(changes), params)
            .await
    }
}

/// An email as it is stored: trimmed and in lower case, with an `@` inside.
fn normalised_email(value: &Value) -> Result<String> {
    let email = value
        .as_str()
        .map(|email| email.trim().to_lowercase())
        .unwrap_or_default();
    let valid = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(name, host)| !name.is_empty() && !host.is_empty());
    if !valid {
        return Err(Error::bad_request("A valid email address is needed")
            .with_errors(json!({"email": "must be an email address"})));
    }
    Ok(email)
}

fn checked_password(value: &Value) -> Result<()> {
    match value.as_str() {
        Some(password) if password.chars().count() >= MIN_PASSWORD && password.len() <= 1024 => {
            Ok(())
        }
        _ => Err(Error::bad_request(format!(
            "The password needs at least {MIN_PASSWORD} characters"
        ))
        .with_errors(json!({"password": format!("at least {MIN_PASSWORD} characters")}))),
    }
}

/// Sign-up data: a valid email (normalised) and a long enough password.
async fn check_sign_up(ctx: &mut HookContext) -> Result<()> {
    if !ctx.data.is_object() {
        return Err(Error::bad_request("Sign up with one user at a time"));
    }
    let email = normalised_email(&ctx.data["email"])?;
    checked_password(&ctx.data["password"])?;
    ctx.data["email"] = json!(email);
    Ok(())
}

/// Changes to an account: the email and password follow the sign-up rules.
async fn check_changes(ctx: &mut HookContext) -> Result<()> {
    if !ctx.data.is_object() {
        return Err(Error::bad_request("The changes must be an object"));
    }
    if ctx.data.get("email").is_some() {
        let email = normalised_email(&ctx.data["email"])?;
        ctx.data["email"] = json!(email);
    }
    if ctx.data.get("password").is_some() {
        checked_password(&ctx.data["password"])?;
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

//! The common hooks: protect, disallow, require_fields, validate, hook_fn.

use feathers_runtime::prelude::*;
use feathers_runtime::{hook_fn, Method, Provider, Service};
use futures_util::StreamExt;

/// Users with a password; `find` answers a page, `create` echoes its data.
struct Users;

impl Service for Users {
    fn methods(&self) -> Vec<Method> {
        vec![
            Method::Find,
            Method::Get,
            Method::Create,
            Method::Patch,
            Method::Remove,
        ]
    }

    async fn call(&self, ctx: &mut HookContext) -> Result<Value> {
        Ok(match ctx.method() {
            Method::Find => json!({"total": 1, "limit": 10, "skip": 0,
                "data": [{"id": 1, "email": "a@b.c", "password": "hash", "auth": {"token": "t", "kind": "k"}}]}),
            Method::Get => json!({"id": 1, "email": "a@b.c", "password": "hash"}),
            Method::Remove => json!([{"id": 1, "password": "x"}, {"id": 2, "password": "y"}]),
            _ => ctx.data.clone(),
        })
    }
}

fn rest_params() -> Params {
    Params {
        provider: Some(Provider::Rest),
        ..Params::default()
    }
}

#[tokio::test]
async fn protect_keeps_fields_out_of_responses_events_and_pages() {
    let app = App::builder()
        .service_at("users", Users)
        .service_hooks(
            "users",
            Hooks::new().after(protect(["password", "auth.token"])),
        )
        .build()
        .expect("app builds");
    let users = app.service("users").expect("registered");
    let mut events = users.subscribe("removed");

    let ctx = users
        .call(Method::Get, Some(Id::Int(1)), Value::Null, rest_params())
        .await
        .expect("get");
    assert_eq!(ctx.client_result(), &json!({"id": 1, "email": "a@b.c"}));
    assert_eq!(
        ctx.result,
        Some(json!({"id": 1, "email": "a@b.c"})),
        "external calls lose it in result too"
    );

    let internal = users.get(1, Params::default()).await.expect("internal get");
    assert_eq!(
        internal["password"], "hash",
        "internal calls keep the result whole"
    );

    let page = users
        .call(Method::Find, None, Value::Null, rest_params())
        .await
        .expect("find");
    assert_eq!(
        page.client_result()["data"][0],
        json!({"id": 1, "email": "a@b.c", "auth": {"kind": "k"}})
    );

    users.remove(None, Params::default()).await.expect("remove");
    let first = events.next().await.expect("event");
    assert_eq!(first.client_data(), &json!({"id": 1}));
}

#[tokio::test]
async fn disallow_refuses_the_named_providers_only() {
    let app = App::builder()
        .service_at("users", Users)
        .service_hooks(
            "users",
            Hooks::new()
                .before_on("remove", disallow("external"))
                .before_on("patch", disallow("rest")),
        )
        .build()
        .expect("app builds");
    let users = app.service("users").expect("registered");

    let err = users
        .call(Method::Remove, None, Value::Null, rest_params())
        .await
        .expect_err("refused");
    assert_eq!(
        (err.code(), err.message()),
        (405, "Provider 'rest' can not call 'remove'")
    );
    assert!(
        users.remove(None, Params::default()).await.is_ok(),
        "internal calls pass"
    );

    let socket = Params {
        provider: Some(Provider::SocketIo),
        ..Params::default()
    };
    assert!(users
        .call(Method::Patch, Some(Id::Int(1)), json!({}), socket)
        .await
        .is_ok());
    assert!(users
        .call(Method::Patch, Some(Id::Int(1)), json!({}), rest_params())
        .await
        .is_err());
}

#[tokio::test]
async fn require_fields_answers_400_with_field_errors() {
    let app = App::builder()
        .service_at("users", Users)
        .service_hooks(
            "users",
            Hooks::new().before(require_fields(["email", "name"])),
        )
        .build()
        .expect("app builds");
    let users = app.service("users").expect("registered");

    let err = users
        .create(json!({"email": " "}), Params::default())
        .await
        .expect_err("invalid");
    assert_eq!(err.code(), 400);
    assert_eq!(
        err.errors(),
        Some(&json!({"email": "is required", "name": "is required"}))
    );

    let err = users
        .create(
            json!([{"email": "a", "name": "b"}, {"email": "c"}]),
            Params::default(),
        )
        .await
        .expect_err("second record invalid");
    assert_eq!(err.errors(), Some(&json!({"1": {"name": "is required"}})));

    assert!(users
        .patch(Some(Id::Int(1)), json!({"email": "new"}), Params::default())
        .await
        .is_ok());
    assert!(users
        .patch(Some(Id::Int(1)), json!({"email": ""}), Params::default())
        .await
        .is_err());
    assert!(users
        .create(json!({"email": "a", "name": "b"}), Params::default())
        .await
        .is_ok());
}

#[tokio::test]
async fn validate_and_hook_fn_run_user_code() {
    let adult = validate(|data: &Value| {
        let mut errors = serde_json::Map::new();
        if data["age"].as_u64().is_none_or(|age| age < 18) {
            errors.insert("age".into(), json!("must be 18 or more"));
        }
        errors
    });
    let stamp = hook_fn(async |ctx: &mut HookContext| {
        if let Value::Object(map) = &mut ctx.data {
            map.insert("stamped".into(), json!(true));
        }
        Ok(())
    });
    let app = App::builder()
        .service_at("users", Users)
        .service_hooks(
            "users",
            Hooks::new()
                .before_on("create", adult)
                .before_on("create", stamp),
        )
        .build()
        .expect("app builds");
    let users = app.service("users").expect("registered");

    let err = users
        .create(json!({"age": 12}), Params::default())
        .await
        .expect_err("too young");
    assert_eq!(err.errors(), Some(&json!({"age": "must be 18 or more"})));
    let created = users
        .create(json!({"age": 30}), Params::default())
        .await
        .expect("valid");
    assert_eq!(created, json!({"age": 30, "stamped": true}));
}

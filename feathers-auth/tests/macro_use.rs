//! `#[before(authenticate("jwt"))]` on a method and on an impl block.

mod support;

use feathers_auth::{authenticate, AuthBuilderExt};
use feathers_runtime::prelude::*;
use support::*;

#[derive(Default)]
struct Notes;

#[service("notes", register = false)]
impl Notes {
    async fn find(&self) -> Result<Value> {
        Ok(json!([]))
    }

    #[before(authenticate("jwt"))]
    async fn create(&self, data: Value, params: Params) -> Result<Value> {
        Ok(json!({ "data": data, "author": params.user.and_then(|u| u.get("email").cloned()) }))
    }
}

#[derive(Default)]
struct Secrets;

#[service("secrets", register = false)]
#[before(authenticate(["jwt", "local"]))]
impl Secrets {
    async fn find(&self, params: Params) -> Result<Value> {
        Ok(
            json!({ "authenticated": params.authenticated, "strategy": params.authentication.and_then(|a| a.get("strategy").cloned()) }),
        )
    }
}

#[tokio::test]
async fn the_hook_in_attributes_on_a_method_and_a_service() {
    let users = Hooks::new()
        .before_on("create", feathers_auth::hash_password("password"))
        .after(protect("password"));
    let app = App::builder()
        .service_at("users", MemoryService::new())
        .service_hooks("users", users)
        .service(Notes)
        .service(Secrets)
        .authentication(config())
        .expect("this must succeed")
        .build()
        .expect("this must succeed");
    create_user(&app, "m@example.com", "pw").await;
    let bearer = format!(
        "Bearer {}",
        token_of(&login(&app, "m@example.com", "pw").await)
    );

    assert_eq!(
        rest(&app, "GET", "/notes", &[], None).await.0,
        200,
        "find is open"
    );
    assert_eq!(
        rest(&app, "POST", "/notes", &[], Some(json!({}))).await.0,
        401
    );
    let (status, note) = rest(
        &app,
        "POST",
        "/notes",
        &[("authorization", &bearer)],
        Some(json!({"t": 1})),
    )
    .await;
    assert_eq!(
        (status, note["author"].as_str()),
        (201, Some("m@example.com"))
    );

    assert_eq!(rest(&app, "GET", "/secrets", &[], None).await.0, 401);
    let (status, body) = rest(&app, "GET", "/secrets", &[("authorization", &bearer)], None).await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({ "authenticated": true, "strategy": "jwt" }));
}

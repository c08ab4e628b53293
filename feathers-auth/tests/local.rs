//! The local strategy's passwords: argon2id through the hook, bcrypt hashes from
//! Feathers upgraded at login, and limits on login attempts.

mod support;

use feathers_auth::{RateLimitOptions, PASSWORD_ALREADY_HASHED};
use feathers_runtime::prelude::*;
use support::*;

async fn stored_hash(app: &App, id: &Value) -> String {
    let id = Id::from_value(id)
        .expect("this must succeed")
        .expect("this must succeed");
    let user = app
        .service("users")
        .expect("this must succeed")
        .get(id, Params::default())
        .await
        .expect("this must succeed");
    user["password"]
        .as_str()
        .expect("this must succeed")
        .to_owned()
}

#[tokio::test]
async fn hash_password_stores_argon2id_on_create_update_and_patch() {
    let app = app();
    let user = create_user(&app, "h@example.com", "first").await;
    let first = stored_hash(&app, &user["id"]).await;
    assert!(
        first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{first}"
    );

    let users = app.service("users").expect("this must succeed");
    let id = Id::from_value(&user["id"]).expect("this must succeed");
    users
        .patch(
            id.clone(),
            json!({ "password": "second" }),
            Params::default(),
        )
        .await
        .expect("this must succeed");
    let second = stored_hash(&app, &user["id"]).await;
    assert!(second.starts_with("$argon2id$") && second != first);
    login(&app, "h@example.com", "second").await;

    users
        .update(
            id.clone().expect("this must succeed"),
            json!({ "email": "h@example.com", "password": "third" }),
            Params::default(),
        )
        .await
        .expect("this must succeed");
    login(&app, "h@example.com", "third").await;

    // A patch without the password leaves the hash alone.
    users
        .patch(id.clone(), json!({ "name": "H" }), Params::default())
        .await
        .expect("this must succeed");
    assert!(stored_hash(&app, &user["id"])
        .await
        .starts_with("$argon2id$"));
    login(&app, "h@example.com", "third").await;

    let err = users
        .create(
            json!({ "email": "x@example.com", "password": 12345 }),
            Params::default(),
        )
        .await
        .expect_err("this must fail");
    assert_eq!(err.code(), 400);
}

#[tokio::test]
async fn a_bcrypt_hash_from_feathers_logs_in_and_becomes_argon2id() {
    let app = app();
    let bcrypt_hash = bcrypt::hash("from-feathers", 4).expect("this must succeed");
    assert!(bcrypt_hash.starts_with("$2b$"));
    let mut params = Params::default();
    params
        .extra
        .insert(PASSWORD_ALREADY_HASHED.into(), json!(true));
    let user = app
        .service("users")
        .expect("this must succeed")
        .create(
            json!({ "email": "old@example.com", "password": bcrypt_hash }),
            params,
        )
        .await
        .expect("this must succeed");
    assert_eq!(
        stored_hash(&app, &user["id"]).await,
        bcrypt_hash,
        "imported as it is"
    );

    login(&app, "old@example.com", "from-feathers").await;
    let upgraded = stored_hash(&app, &user["id"]).await;
    assert!(upgraded.starts_with("$argon2id$"), "{upgraded}");
    login(&app, "old@example.com", "from-feathers").await;
    assert_eq!(
        stored_hash(&app, &user["id"]).await,
        upgraded,
        "no second upgrade"
    );

    // `$2a$` (bcryptjs) works as well.
    let two_a = bcrypt::hash_with_result("js", 4)
        .expect("this must succeed")
        .format_for_version(bcrypt::Version::TwoA);
    let mut params = Params::default();
    params
        .extra
        .insert(PASSWORD_ALREADY_HASHED.into(), json!(true));
    app.service("users")
        .expect("this must succeed")
        .create(
            json!({ "email": "js@example.com", "password": two_a }),
            params,
        )
        .await
        .expect("this must succeed");
    login(&app, "js@example.com", "js").await;
}

#[tokio::test]
async fn a_client_cannot_skip_the_hashing() {
    let app = app();
    // Clients set only the query; the marker in a query changes nothing.
    let (status, user) = rest(
        &app,
        "POST",
        "/users?passwordAlreadyHashed=true",
        &[],
        Some(json!({ "email": "c@example.com", "password": "plain" })),
    )
    .await;
    assert_eq!(status, 201, "{user}");
    assert!(stored_hash(&app, &user["id"])
        .await
        .starts_with("$argon2id$"));
}

#[tokio::test]
async fn login_attempts_are_limited_per_username() {
    let app = app_with(config().rate_limit(RateLimitOptions {
        per_username_per_minute: 3,
        ..RateLimitOptions::default()
    }))
    .0;
    create_user(&app, "rl@example.com", "pw").await;
    let attempt = |peer: &'static str, email: &'static str| {
        let app = app.clone();
        async move {
            rest_from(
                &app,
                peer,
                "POST",
                "/authentication",
                &[],
                Some(json!({ "strategy": "local", "email": email, "password": "wrong" })),
            )
            .await
        }
    };
    for _ in 0..3 {
        assert_eq!(attempt("10.0.0.1:1", "rl@example.com").await.0, 401);
    }
    let (status, error) = attempt("10.0.0.2:1", "RL@example.com").await;
    assert_eq!(
        (status, error["name"].as_str()),
        (429, Some("TooManyRequests"))
    );
    assert_eq!(attempt("10.0.0.2:1", "other@example.com").await.0, 401);
}

#[tokio::test]
async fn login_attempts_are_limited_per_client_address() {
    let app = app_with(config().rate_limit(RateLimitOptions {
        per_address_per_minute: 4,
        ..RateLimitOptions::default()
    }))
    .0;
    for n in 0..4 {
        let body =
            json!({ "strategy": "local", "email": format!("u{n}@example.com"), "password": "x" });
        let (status, _) = rest_from(
            &app,
            "10.1.1.1:5",
            "POST",
            "/authentication",
            &[],
            Some(body),
        )
        .await;
        assert_eq!(status, 401);
    }
    let body = json!({ "strategy": "local", "email": "u9@example.com", "password": "x" });
    let (status, _) = rest_from(
        &app,
        "10.1.1.1:6",
        "POST",
        "/authentication",
        &[],
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 429);
    let (status, _) = rest_from(
        &app,
        "10.1.1.2:6",
        "POST",
        "/authentication",
        &[],
        Some(body),
    )
    .await;
    assert_eq!(status, 401, "another address has its own budget");
}

#[tokio::test]
async fn limits_are_on_by_default_and_generous() {
    let app = app();
    for n in 0..20 {
        let body =
            json!({ "strategy": "local", "email": "gen@example.com", "password": format!("x{n}") });
        let (status, _) = rest(&app, "POST", "/authentication", &[], Some(body)).await;
        assert_eq!(status, 401, "attempt {n}");
    }
    let body = json!({ "strategy": "local", "email": "gen@example.com", "password": "x" });
    let (status, _) = rest(&app, "POST", "/authentication", &[], Some(body)).await;
    assert_eq!(status, 429);
}

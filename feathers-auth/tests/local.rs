//! The local strategy's passwords: argon2id through the hook, bcrypt hashes from
//! Feathers upgraded at login, and limits on login attempts.

mod support;

use feathers_auth::{
    AuthAppExt, HashingOptions, RateLimitOptions, UsernameNormalization, PASSWORD_ALREADY_HASHED,
};
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
async fn guesses_spread_over_addresses_share_the_account_budget() {
    let app = app_with(config().rate_limit(RateLimitOptions {
        failures_per_username_per_minute: 3,
        ..RateLimitOptions::default()
    }))
    .0;
    create_user(&app, "rl@example.com", "right password").await;
    login_from(&app, "10.0.0.9:1", "rl@example.com", "right password", 201).await;
    for n in 1..=3 {
        let peer = format!("10.0.0.{n}:1");
        login_from(&app, &peer, "rl@example.com", "wrong", 401).await;
    }
    let (status, error) = attempt_from(&app, "10.0.0.4:1", "RL@example.com", "wrong").await;
    assert_eq!(
        (status, error["name"].as_str()),
        (429, Some("TooManyRequests"))
    );
    login_from(&app, "10.0.0.4:1", "other@example.com", "wrong", 401).await;
    login_from(&app, "10.0.0.9:2", "rl@example.com", "right password", 201).await;
}

#[tokio::test]
async fn an_address_hammering_an_account_does_not_lock_its_owner_out() {
    let app = app();
    create_user(&app, "alice@example.com", "alice's password").await;
    for n in 0..25 {
        let (status, _) = attempt_from(&app, "10.2.0.1:1", "alice@example.com", "guess").await;
        let expected = if n < 10 { 401 } else { 429 };
        assert_eq!(status, expected, "attempt {n}");
    }
    login_from(
        &app,
        "10.2.0.2:1",
        "alice@example.com",
        "alice's password",
        201,
    )
    .await;
    let (status, _) =
        attempt_from(&app, "10.2.0.1:1", "alice@example.com", "alice's password").await;
    assert_eq!(status, 429, "the hammering address stays refused for alice");
    login_from(&app, "10.2.0.1:2", "bob@example.com", "anything", 401).await;
}

#[tokio::test]
async fn logins_find_the_account_whatever_the_case_of_the_email() {
    let app = app();
    let user = create_user(&app, " Alice@X.com", "alice's password").await;
    assert_eq!(user["email"], "alice@x.com", "stored normalised");
    login(&app, "Alice@X.com", "alice's password").await;
    login(&app, "alice@x.com", "alice's password").await;
    login(&app, "ALICE@X.COM ", "alice's password").await;

    let as_typed = app_with(config().username_normalization(UsernameNormalization::AsTyped)).0;
    create_user(&as_typed, "Bob@X.com", "bob's password").await;
    login(&as_typed, "Bob@X.com", "bob's password").await;
    let (status, _) = attempt_from(&as_typed, "127.0.0.1:1", "bob@x.com", "bob's password").await;
    assert_eq!(status, 401, "as typed means as typed");
}

#[tokio::test]
async fn sign_ups_are_limited_per_client_address() {
    let app = app_with(config().rate_limit(RateLimitOptions {
        sign_ups_per_address_per_hour: 2,
        ..RateLimitOptions::default()
    }))
    .0;
    let sign_up = |peer: &'static str, n: u32| {
        let app = app.clone();
        async move {
            rest_from(
                &app,
                peer,
                "POST",
                "/users",
                &[],
                Some(json!({ "email": format!("s{n}@example.com"), "password": "pw" })),
            )
            .await
        }
    };
    assert_eq!(sign_up("10.3.0.1:1", 1).await.0, 201);
    assert_eq!(sign_up("10.3.0.1:2", 2).await.0, 201);
    let (status, error) = sign_up("10.3.0.1:3", 3).await;
    assert_eq!(
        (status, error["name"].as_str()),
        (429, Some("TooManyRequests")),
        "{error}"
    );
    assert_eq!(sign_up("10.3.0.2:1", 4).await.0, 201, "another address");
    app.service("users")
        .expect("users")
        .create(
            json!({ "email": "internal@example.com", "password": "pw" }),
            Params::default(),
        )
        .await
        .expect("internal creates are not sign-ups");

    let off = app_with(config().rate_limit(RateLimitOptions {
        sign_ups_per_address_per_hour: 0,
        ..RateLimitOptions::default()
    }))
    .0;
    for n in 0..25 {
        let body = json!({ "email": format!("o{n}@example.com"), "password": "pw" });
        let (status, _) = rest_from(&off, "10.3.0.1:1", "POST", "/users", &[], Some(body)).await;
        assert_eq!(status, 201, "sign-up {n} with the limit off");
    }
}

#[tokio::test]
async fn a_burst_of_sign_ups_never_hashes_more_than_the_workers_at_once() {
    let app = app_with(config().hashing(HashingOptions {
        workers: 2,
        queue: 100,
    }))
    .0;
    let sign_ups = (0..12).map(|n| {
        let app = app.clone();
        async move {
            let body = json!({ "email": format!("b{n}@example.com"), "password": "pw" });
            rest_from(
                &app,
                &format!("10.4.0.{n}:1"),
                "POST",
                "/users",
                &[],
                Some(body),
            )
            .await
        }
    });
    for (status, body) in futures_util::future::join_all(sign_ups).await {
        assert_eq!(status, 201, "{body}");
    }
    let stats = app
        .authentication()
        .expect("installed")
        .password_workers()
        .stats();
    assert!(
        (1..=2).contains(&stats.peak_running),
        "at most two hashes at once: {stats:?}"
    );
    assert_eq!(stats.refused, 0);
}

#[tokio::test]
async fn sign_ups_past_the_hashing_queue_are_refused_with_503() {
    let app = app_with(config().hashing(HashingOptions {
        workers: 1,
        queue: 0,
    }))
    .0;
    let sign_ups = (0..8).map(|n| {
        let app = app.clone();
        async move {
            let body = json!({ "email": format!("q{n}@example.com"), "password": "pw" });
            rest_from(
                &app,
                &format!("10.5.0.{n}:1"),
                "POST",
                "/users",
                &[],
                Some(body),
            )
            .await
        }
    });
    let answers = futures_util::future::join_all(sign_ups).await;
    let created = answers.iter().filter(|(status, _)| *status == 201).count();
    let refused: Vec<_> = answers
        .iter()
        .filter(|(status, _)| *status == 503)
        .collect();
    assert!(created >= 1, "{answers:?}");
    assert_eq!(created + refused.len(), 8, "{answers:?}");
    assert!(
        !refused.is_empty(),
        "one worker, no queue, eight at once: {answers:?}"
    );
    assert_eq!(refused[0].1["name"], "Unavailable");
}

async fn attempt_from(app: &App, peer: &str, email: &str, password: &str) -> (u16, Value) {
    rest_from(
        app,
        peer,
        "POST",
        "/authentication",
        &[],
        Some(json!({ "strategy": "local", "email": email, "password": password })),
    )
    .await
}

async fn login_from(app: &App, peer: &str, email: &str, password: &str, expected: u16) {
    let (status, body) = attempt_from(app, peer, email, password).await;
    assert_eq!(status, expected, "{email} from {peer}: {body}");
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
    for n in 0..10 {
        let body =
            json!({ "strategy": "local", "email": "gen@example.com", "password": format!("x{n}") });
        let (status, _) = rest(&app, "POST", "/authentication", &[], Some(body)).await;
        assert_eq!(status, 401, "attempt {n}");
    }
    let body = json!({ "strategy": "local", "email": "gen@example.com", "password": "x" });
    let (status, _) = rest(&app, "POST", "/authentication", &[], Some(body)).await;
    assert_eq!(status, 429);
}

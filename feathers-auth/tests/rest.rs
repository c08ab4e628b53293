//! The authentication service and the `authenticate` hook over REST, with the shapes
//! `@feathersjs/authentication-client` expects.

mod support;

use feathers_auth::AuthBuilderExt;
use feathers_runtime::prelude::*;
use support::*;

#[tokio::test]
async fn local_login_answers_201_with_token_authentication_and_a_user_without_password() {
    let app = app();
    let created = create_user(&app, "ann@example.com", "pw-ann").await;
    assert!(
        created.get("password").is_none(),
        "protect keeps the hash back"
    );

    let result = login(&app, "ann@example.com", "pw-ann").await;
    let keys: Vec<&str> = result
        .as_object()
        .expect("this must succeed")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["accessToken", "authentication", "user"]);
    assert_eq!(result["authentication"]["strategy"], "local");
    assert!(result["authentication"].get("accessToken").is_none());
    let payload = result["authentication"]["payload"]
        .as_object()
        .expect("this must succeed");
    let claims: Vec<&str> = payload.keys().map(String::as_str).collect();
    assert_eq!(claims, ["iat", "exp", "aud", "iss", "sub", "jti"]);
    assert_eq!(
        payload["exp"].as_u64().expect("this must succeed")
            - payload["iat"].as_u64().expect("this must succeed"),
        86_400
    );
    assert_eq!(payload["sub"], created["id"].to_string());
    assert_eq!(payload["aud"], "https://yourdomain.com");
    assert_eq!(payload["iss"], "feathers");
    assert_eq!(
        result["user"],
        json!({ "email": "ann@example.com", "id": created["id"] })
    );

    // The token's header is {"alg":"HS256","typ":"access"}.
    let token = token_of(&result);
    let header = jsonwebtoken::decode_header(&token).expect("this must succeed");
    assert_eq!(header.alg, jsonwebtoken::Algorithm::HS256);
    assert_eq!(header.typ.as_deref(), Some("access"));
}

#[tokio::test]
async fn jwt_login_answers_with_the_same_token() {
    let app = app();
    create_user(&app, "bob@example.com", "pw-bob").await;
    let token = token_of(&login(&app, "bob@example.com", "pw-bob").await);
    let (status, result) = rest(
        &app,
        "POST",
        "/authentication",
        &[],
        Some(json!({ "strategy": "jwt", "accessToken": token })),
    )
    .await;
    assert_eq!(status, 201, "{result}");
    assert_eq!(result["accessToken"], token);
    assert_eq!(result["authentication"]["strategy"], "jwt");
    assert_eq!(result["authentication"]["accessToken"], token);
    assert_eq!(result["authentication"]["payload"]["sub"], "0");
    assert_eq!(result["user"]["email"], "bob@example.com");
    assert!(result["user"].get("password").is_none());
}

#[tokio::test]
async fn wrong_password_and_unknown_user_fail_alike() {
    let app = app();
    create_user(&app, "cy@example.com", "pw-cy").await;
    let attempt = |email: &'static str, password: &'static str| {
        let app = app.clone();
        async move {
            rest(
                &app,
                "POST",
                "/authentication",
                &[],
                Some(json!({ "strategy": "local", "email": email, "password": password })),
            )
            .await
        }
    };
    let wrong = attempt("cy@example.com", "nope").await;
    let unknown = attempt("nobody@example.com", "nope").await;
    assert_eq!(wrong.0, 401);
    assert_eq!(wrong, unknown);
    assert_eq!(wrong.1["message"], "Invalid login");
    assert_eq!(wrong.1["name"], "NotAuthenticated");
    let missing = attempt("cy@example.com", "").await;
    assert_eq!(missing.0, 401);
}

#[tokio::test]
async fn strategies_must_be_named_and_allowed() {
    let app = app();
    for (body, message) in [
        (
            json!({ "email": "a" }),
            "Invalid authentication information (no `strategy` set)",
        ),
        (
            json!({ "strategy": "oauth" }),
            "Invalid authentication information (strategy not allowed in authStrategies)",
        ),
    ] {
        let (status, error) = rest(&app, "POST", "/authentication", &[], Some(body)).await;
        assert_eq!((status, error["message"].as_str()), (401, Some(message)));
    }
}

#[tokio::test]
async fn protected_services_need_a_bearer_token_and_see_the_user() {
    let app = app();
    let user = create_user(&app, "dee@example.com", "pw-dee").await;
    let token = token_of(&login(&app, "dee@example.com", "pw-dee").await);

    let (status, error) = rest(&app, "GET", "/messages", &[], None).await;
    assert_eq!(status, 401);
    assert_eq!(error["message"], "Not authenticated");
    assert_eq!(error["className"], "not-authenticated");

    let bearer = format!("Bearer {token}");
    let (status, created) = rest(
        &app,
        "POST",
        "/messages",
        &[("authorization", &bearer)],
        Some(json!({ "text": "hi" })),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["userId"], user["id"]);

    for header in [
        format!("JWT {token}"),
        token.clone(),
        format!(" Bearer: {token}"),
    ] {
        let (status, _) = rest(
            &app,
            "GET",
            "/messages",
            &[("authorization", &header)],
            None,
        )
        .await;
        assert_eq!(status, 200, "{header}");
    }
    let (status, _) = rest(
        &app,
        "GET",
        "/messages",
        &[("authorization", "Basic abc")],
        None,
    )
    .await;
    assert_eq!(status, 401, "another scheme is anonymous");

    // Internal calls pass.
    let found = app
        .service("messages")
        .expect("this must succeed")
        .find(Params::default())
        .await
        .expect("this must succeed");
    assert_eq!(found.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_token_for_a_removed_user_is_refused() {
    let app = app();
    let user = create_user(&app, "eve@example.com", "pw-eve").await;
    let token = token_of(&login(&app, "eve@example.com", "pw-eve").await);
    let id = Id::from_value(&user["id"]).expect("this must succeed");
    app.service("users")
        .expect("this must succeed")
        .remove(id, Params::default())
        .await
        .expect("this must succeed");
    let bearer = format!("Bearer {token}");
    let (status, _) = rest(
        &app,
        "GET",
        "/messages",
        &[("authorization", &bearer)],
        None,
    )
    .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn logout_with_the_header_or_the_token_in_the_path() {
    let app = app();
    create_user(&app, "fay@example.com", "pw-fay").await;
    let token = token_of(&login(&app, "fay@example.com", "pw-fay").await);
    let bearer = format!("Bearer {token}");

    let (status, result) = rest(
        &app,
        "DELETE",
        "/authentication",
        &[("authorization", &bearer)],
        None,
    )
    .await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(result["accessToken"], token);
    assert_eq!(result["authentication"]["strategy"], "jwt");
    assert!(result["user"].get("password").is_none());

    let path = format!("/authentication/{token}");
    let (status, _) = rest(&app, "DELETE", &path, &[("authorization", &bearer)], None).await;
    assert_eq!(status, 200);
    let (status, _) = rest(&app, "DELETE", &path, &[], None).await;
    assert_eq!(status, 200);

    let (status, error) = rest(
        &app,
        "DELETE",
        "/authentication/other",
        &[("authorization", &bearer)],
        None,
    )
    .await;
    assert_eq!(
        (status, error["message"].as_str()),
        (401, Some("Invalid access token"))
    );
    let (status, _) = rest(&app, "DELETE", "/authentication", &[], None).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn credentials_that_are_not_strings_are_refused_before_any_query() {
    let (app, counters) = app_with(config());
    create_user(&app, "gus@example.com", "pw-gus").await;
    let before = counters
        .user_finds
        .load(std::sync::atomic::Ordering::SeqCst);
    for body in [
        json!({ "strategy": "local", "email": { "$ne": null }, "password": "x" }),
        json!({ "strategy": "local", "email": "gus@example.com", "password": { "$ne": null } }),
        json!({ "strategy": "local", "email": ["gus@example.com"], "password": "pw-gus" }),
        json!({ "strategy": "local", "email": "gus@example.com", "password": ["pw-gus"] }),
        json!({ "strategy": "local", "email": 7, "password": "pw-gus" }),
    ] {
        let (status, error) = rest(&app, "POST", "/authentication", &[], Some(body.clone())).await;
        assert_eq!(status, 400, "{body} -> {error}");
        assert_eq!(error["name"], "BadRequest");
    }
    let (status, _) = rest(
        &app,
        "POST",
        "/authentication",
        &[],
        Some(json!({ "strategy": "jwt", "accessToken": { "$ne": null } })),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(
        counters
            .user_finds
            .load(std::sync::atomic::Ordering::SeqCst),
        before
    );
}

#[tokio::test]
async fn the_authenticate_hook_may_cover_the_whole_app() {
    let users = Hooks::new().before_on("create", feathers_auth::hash_password("password"));
    let app = App::builder()
        .service_at("users", MemoryService::new())
        .service_hooks("users", users)
        .service_at("notes", MemoryService::new())
        .hooks(Hooks::new().before(feathers_auth::authenticate("jwt")))
        .authentication(config())
        .expect("this must succeed")
        .build()
        .expect("this must succeed");
    app.service("users")
        .expect("this must succeed")
        .create(
            json!({ "email": "hal@example.com", "password": "pw" }),
            Params::default(),
        )
        .await
        .expect("this must succeed");
    let token = token_of(&login(&app, "hal@example.com", "pw").await);
    let (status, _) = rest(&app, "GET", "/notes", &[], None).await;
    assert_eq!(status, 401);
    let bearer = format!("Bearer {token}");
    let (status, _) = rest(&app, "GET", "/notes", &[("authorization", &bearer)], None).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_short_secret_refuses_to_start_and_says_how_to_set_one() {
    let err = App::builder()
        .authentication(feathers_auth::AuthConfig::new("too short"))
        .map(|_| ())
        .expect_err("this must fail");
    assert!(err.message().contains("FEATHERS_AUTH_SECRET"), "{err}");
}

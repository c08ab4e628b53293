//! Tokens the server must refuse: each one a 401 on a protected service, and as a
//! `jwt` login.

mod support;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use feathers_runtime::prelude::*;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use support::*;

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("this must succeed")
        .as_secs()
}

/// Claims like the server's own for user 0, with `change` applied.
fn claims(change: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
    let now = now();
    let mut claims = json!({
        "iat": now, "exp": now + 3600, "aud": "https://yourdomain.com",
        "iss": "feathers", "sub": "0", "jti": "test"
    });
    if let Value::Object(map) = &mut claims {
        change(map);
    }
    claims
}

fn sign(alg: Algorithm, typ: Option<&str>, secret: &str, claims: &Value) -> String {
    let mut header = Header::new(alg);
    header.typ = typ.map(str::to_owned);
    jsonwebtoken::encode(
        &header,
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("this must succeed")
}

fn good(claims: &Value) -> String {
    sign(Algorithm::HS256, Some("access"), SECRET, claims)
}

/// An unsigned token (`alg: none`).
fn unsigned(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"access"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{payload}.")
}

/// Asserts the token is refused both by the hook and by a `jwt` login, with 401.
async fn refused(app: &App, token: &str, why: &str) {
    let bearer = format!("Bearer {token}");
    let (status, error) = rest(app, "GET", "/messages", &[("authorization", &bearer)], None).await;
    assert_eq!(status, 401, "{why}: {error}");
    assert_eq!(error["name"], "NotAuthenticated", "{why}");
    let (status, error) = rest(
        app,
        "POST",
        "/authentication",
        &[],
        Some(json!({ "strategy": "jwt", "accessToken": token })),
    )
    .await;
    assert_eq!(status, 401, "{why}: {error}");
}

async fn app_with_user() -> App {
    let app = app();
    create_user(&app, "tok@example.com", "pw").await;
    app
}

#[tokio::test]
async fn a_well_formed_token_passes_so_the_refusals_below_are_real() {
    let app = app_with_user().await;
    let bearer = format!("Bearer {}", good(&claims(|_| {})));
    let (status, body) = rest(
        &app,
        "GET",
        "/messages",
        &[("authorization", &bearer)],
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn alg_none_is_refused() {
    refused(
        &app_with_user().await,
        &unsigned(&claims(|_| {})),
        "alg none",
    )
    .await;
}

#[tokio::test]
async fn another_algorithm_is_refused() {
    let app = app_with_user().await;
    let token = sign(Algorithm::HS512, Some("access"), SECRET, &claims(|_| {}));
    refused(&app, &token, "HS512").await;
}

#[tokio::test]
async fn a_bad_signature_is_refused() {
    let app = app_with_user().await;
    let token = sign(
        Algorithm::HS256,
        Some("access"),
        "another secret that is long enough!!",
        &claims(|_| {}),
    );
    refused(&app, &token, "other secret").await;
    // Change a character well inside the signature (the last one also carries padding
    // bits, so changing it may not change the bytes).
    let token = good(&claims(|_| {}));
    let at = token.len() - 10;
    let replacement = if &token[at..=at] == "A" { "B" } else { "A" };
    let tampered = format!("{}{replacement}{}", &token[..at], &token[at + 1..]);
    assert_ne!(tampered, token);
    refused(&app, &tampered, "tampered signature").await;
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let app = app_with_user().await;
    let token = good(&claims(|c| {
        c.insert("exp".into(), json!(now() - 10));
    }));
    refused(&app, &token, "expired").await;
    let token = good(&claims(|c| {
        c.remove("exp");
    }));
    refused(&app, &token, "no expiry").await;
}

#[tokio::test]
async fn a_token_not_yet_valid_is_refused() {
    let app = app_with_user().await;
    let token = good(&claims(|c| {
        c.insert("nbf".into(), json!(now() + 600));
    }));
    refused(&app, &token, "nbf in the future").await;
}

#[tokio::test]
async fn another_audience_or_issuer_is_refused() {
    let app = app_with_user().await;
    let token = good(&claims(|c| {
        c.insert("aud".into(), json!("https://elsewhere.example"));
    }));
    refused(&app, &token, "audience").await;
    let token = good(&claims(|c| {
        c.insert("iss".into(), json!("someone-else"));
    }));
    refused(&app, &token, "issuer").await;
}

#[tokio::test]
async fn a_typ_other_than_access_is_refused() {
    let app = app_with_user().await;
    refused(
        &app,
        &sign(Algorithm::HS256, Some("refresh"), SECRET, &claims(|_| {})),
        "typ refresh",
    )
    .await;
    refused(
        &app,
        &sign(Algorithm::HS256, None, SECRET, &claims(|_| {})),
        "no typ",
    )
    .await;
}

#[tokio::test]
async fn garbage_is_refused() {
    let app = app_with_user().await;
    for token in ["garbage", "a.b.c", "..", "eyJhbGciOiJIUzI1NiJ9"] {
        refused(&app, token, token).await;
    }
}

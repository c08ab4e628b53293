//! What authentication costs.
//!
//! - `authenticate_jwt/*`: a `get` on a memory service over REST (through the app's
//!   router, no network) and over a socket connection (the call as the socket
//!   transports make it, without their framing), with and without
//!   `authenticate("jwt")`. The difference is the hook's per-call cost: over REST,
//!   verifying the token and reading the user once (Feathers reads it twice); on a
//!   socket that logged in, reusing its login's outcome.
//! - `login/*`: one local login with the default argon2id parameters (so logins per
//!   second per core is 1 / time), for a known user with the right password, a known
//!   user with a wrong one, and an unknown user: the last two should cost the same.
//!
//! `nice -n 19 cargo bench -p feathers-auth --bench auth`

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use criterion::{criterion_group, criterion_main, Criterion};
use feathers_auth::{authenticate, hash_password, AuthBuilderExt, AuthConfig, RateLimitOptions};
use feathers_runtime::prelude::*;
use feathers_runtime::realtime::Connection;
use feathers_runtime::{Method, Provider};
use http::Request;
use tower::ServiceExt;

const SECRET: &str = "a benchmark secret that is long enough";

fn app() -> App {
    let users = Hooks::new()
        .before_on("create", hash_password("password"))
        .after(protect("password"));
    let config = AuthConfig::new(SECRET).rate_limit(RateLimitOptions {
        enabled: false,
        ..RateLimitOptions::default()
    });
    App::builder()
        .service_at("users", MemoryService::new())
        .service_hooks("users", users)
        .service_at("open", MemoryService::new())
        .service_at("guarded", MemoryService::new())
        .service_hooks("guarded", Hooks::new().before(authenticate("jwt")))
        .authentication(config)
        .and_then(|builder| builder.build())
        .unwrap_or_else(|err| panic!("bench app: {err}"))
}

async fn prepare(app: &App) -> String {
    let fail = |err: Error| -> ! { panic!("bench set-up: {err}") };
    app.service("users")
        .unwrap_or_else(|e| fail(e))
        .create(
            json!({ "email": "bench@example.com", "password": "pw" }),
            Params::default(),
        )
        .await
        .unwrap_or_else(|e| fail(e));
    for path in ["open", "guarded"] {
        app.service(path)
            .unwrap_or_else(|e| fail(e))
            .create(json!({ "text": "a record" }), Params::default())
            .await
            .unwrap_or_else(|e| fail(e));
    }
    let login = app
        .service("authentication")
        .unwrap_or_else(|e| fail(e))
        .create(
            json!({ "strategy": "local", "email": "bench@example.com", "password": "pw" }),
            Params::default(),
        )
        .await
        .unwrap_or_else(|e| fail(e));
    login["accessToken"].as_str().unwrap_or_default().to_owned()
}

async fn rest_get(router: &axum::Router, path: &str, bearer: &str) -> u16 {
    let request = Request::builder()
        .uri(path)
        .header("authorization", bearer)
        .body(Body::empty());
    let Ok(mut request) = request else { return 0 };
    let peer: SocketAddr = ([127, 0, 0, 1], 9).into();
    request.extensions_mut().insert(ConnectInfo(peer));
    match router.clone().oneshot(request).await {
        Ok(response) => response.status().as_u16(),
        Err(_) => 0,
    }
}

async fn socket_get(app: &App, connection: &Connection, path: &str) -> bool {
    let Ok(service) = app.service(path) else {
        return false;
    };
    let params = connection.params(Default::default());
    service
        .call(Method::Get, Some(Id::Int(0)), Value::Null, params)
        .await
        .is_ok()
}

async fn local_login(app: &App, email: &str, password: &str) -> bool {
    let Ok(service) = app.service("authentication") else {
        return false;
    };
    let params = Params {
        provider: Some(Provider::Rest),
        ..Params::default()
    };
    let data = json!({ "strategy": "local", "email": email, "password": password });
    service.create(data, params).await.is_ok()
}

fn bench_auth(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap_or_else(|err| panic!("runtime: {err}"));
    let app = app();
    let token = runtime.block_on(prepare(&app));
    let bearer = format!("Bearer {token}");
    let router = app.router();
    assert_eq!(
        runtime.block_on(rest_get(&router, "/guarded/0", &bearer)),
        200
    );
    assert_eq!(runtime.block_on(rest_get(&router, "/guarded/0", "")), 401);

    let mut group = c.benchmark_group("authenticate_jwt");
    group.bench_function("rest_get_open", |b| {
        b.to_async(&runtime)
            .iter(|| rest_get(&router, "/open/0", &bearer));
    });
    group.bench_function("rest_get_authenticated", |b| {
        b.to_async(&runtime)
            .iter(|| rest_get(&router, "/guarded/0", &bearer));
    });
    // A socket logged in as a client logs in: through the authentication service.
    let connection = Connection::new(Provider::SocketIo, &http::HeaderMap::new(), 64);
    runtime
        .block_on(async {
            let params = connection.params(Default::default());
            app.service("authentication")?
                .call(
                    Method::Create,
                    None,
                    json!({ "strategy": "jwt", "accessToken": token }),
                    params,
                )
                .await
        })
        .unwrap_or_else(|err| panic!("the socket logs in: {err}"));
    assert!(runtime.block_on(socket_get(&app, &connection, "guarded")));
    group.bench_function("socket_get_open", |b| {
        b.to_async(&runtime)
            .iter(|| socket_get(&app, &connection, "open"));
    });
    group.bench_function("socket_get_authenticated", |b| {
        b.to_async(&runtime)
            .iter(|| socket_get(&app, &connection, "guarded"));
    });
    // The parts of the hook's cost: verifying the token, and one internal user `get`.
    let state = app
        .extension::<feathers_auth::AuthState>()
        .unwrap_or_else(|| panic!("authentication is installed"));
    group.bench_function("part_verify_token", |b| {
        b.iter(|| state.tokens().verify(&token).is_ok());
    });
    group.bench_function("part_internal_user_get", |b| {
        b.to_async(&runtime).iter(|| async {
            match app.service("users") {
                Ok(users) => users.get(0, Params::default()).await.is_ok(),
                Err(_) => false,
            }
        });
    });
    group.finish();

    let mut group = c.benchmark_group("login");
    group.sample_size(30);
    assert!(runtime.block_on(local_login(&app, "bench@example.com", "pw")));
    group.bench_function("local_right_password", |b| {
        b.to_async(&runtime)
            .iter(|| local_login(&app, "bench@example.com", "pw"));
    });
    group.bench_function("local_wrong_password", |b| {
        b.to_async(&runtime)
            .iter(|| local_login(&app, "bench@example.com", "nope"));
    });
    group.bench_function("local_unknown_user", |b| {
        b.to_async(&runtime)
            .iter(|| local_login(&app, "nobody@example.com", "nope"));
    });
    group.finish();
}

criterion_group!(benches, bench_auth);
criterion_main!(benches);

//! Do failed logins tell whether an account exists? Local logins with a wrong
//! password for a known user and with an unknown user, interleaved (so both see the
//! same machine load), 200 of each with the default argon2id parameters; prints the
//! median, mean and spread of each.
//!
//! `nice -n 19 cargo bench -p feathers-auth --bench login_timing`

use std::time::{Duration, Instant};

use feathers_auth::{hash_password, AuthBuilderExt, AuthConfig, RateLimitOptions};
use feathers_runtime::prelude::*;
use feathers_runtime::Provider;

const ROUNDS: usize = 200;

async fn attempt(app: &App, email: &str) -> Duration {
    let params = Params {
        provider: Some(Provider::Rest),
        ..Params::default()
    };
    let data = json!({ "strategy": "local", "email": email, "password": "wrong" });
    let started = Instant::now();
    let outcome = match app.service("authentication") {
        Ok(service) => service.create(data, params).await,
        Err(err) => Err(err),
    };
    let elapsed = started.elapsed();
    match outcome {
        Err(err) if err.code() == 401 => elapsed,
        other => panic!("expected a 401, got {other:?}"),
    }
}

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mean = times.iter().map(|d| ms(*d)).sum::<f64>() / times.len() as f64;
    println!(
        "{name:>14}: median {:.2} ms, mean {:.2} ms, p10 {:.2} ms, p90 {:.2} ms (n = {})",
        ms(times[times.len() / 2]),
        mean,
        ms(times[times.len() / 10]),
        ms(times[times.len() * 9 / 10]),
        times.len()
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap_or_else(|err| panic!("runtime: {err}"));
    let config =
        AuthConfig::new("a benchmark secret that is long enough").rate_limit(RateLimitOptions {
            enabled: false,
            ..RateLimitOptions::default()
        });
    let app = App::builder()
        .service_at("users", MemoryService::new())
        .service_hooks(
            "users",
            Hooks::new().before_on("create", hash_password("password")),
        )
        .authentication(config)
        .and_then(|builder| builder.build())
        .unwrap_or_else(|err| panic!("bench app: {err}"));
    runtime.block_on(async {
        for n in 0..100 {
            let user = json!({ "email": format!("user{n}@example.com"), "password": "right" });
            app.service("users")
                .unwrap_or_else(|err| panic!("{err}"))
                .create(user, Params::default())
                .await
                .unwrap_or_else(|err| panic!("{err}"));
        }
        // Warm-up: the dummy hash is made on the first unknown user.
        attempt(&app, "nobody@example.com").await;
        attempt(&app, "user0@example.com").await;
        let (mut wrong, mut unknown) = (Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            let known = format!("user{}@example.com", round % 100);
            let missing = format!("missing{round}@example.com");
            if round % 2 == 0 {
                wrong.push(attempt(&app, &known).await);
                unknown.push(attempt(&app, &missing).await);
            } else {
                unknown.push(attempt(&app, &missing).await);
                wrong.push(attempt(&app, &known).await);
            }
        }
        summary("wrong password", wrong);
        summary("unknown user", unknown);
    });
}

//! What the hook machinery costs per call: a `get` through the pipeline with no hooks,
//! and with 1, 5 and 20 no-op before hooks.
//!
//! `cargo bench -p feathers-runtime --bench hooks`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use feathers_runtime::prelude::*;
use feathers_runtime::{Method, Service};

struct Records;

impl Service for Records {
    fn methods(&self) -> Vec<Method> {
        vec![Method::Get]
    }

    async fn call(&self, ctx: &mut HookContext) -> Result<Value> {
        Ok(json!({ "id": ctx.id, "text": "a record" }))
    }
}

async fn noop(_ctx: &mut HookContext) -> Result<()> {
    Ok(())
}

fn app_with_hooks(count: usize) -> App {
    let hooks = (0..count).fold(Hooks::new(), |hooks, _| hooks.before(noop));
    App::builder()
        .service_at("records", Records)
        .service_hooks("records", hooks)
        .build()
        .unwrap_or_else(|err| panic!("bench app: {err}"))
}

fn bench_hooks(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap_or_else(|err| panic!("runtime: {err}"));
    let mut group = c.benchmark_group("get_with_noop_before_hooks");
    for count in [0usize, 1, 5, 20] {
        let service = app_with_hooks(count)
            .service("records")
            .unwrap_or_else(|err| panic!("service: {err}"));
        group.bench_with_input(BenchmarkId::from_parameter(count), &count, |b, _| {
            b.to_async(&runtime)
                .iter(|| async { service.get(7, Params::default()).await });
        });
    }
    group.finish();
}

criterion_group!(benches, bench_hooks);
criterion_main!(benches);

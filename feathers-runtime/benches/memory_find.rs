//! `MemoryService::find` with a filter and a sort over 10k and 100k records: one page
//! (`$limit: 10`), every match, and the page again with a REST-typed query (strings
//! converted to the stored types).
//!
//! `cargo bench -p feathers-runtime --bench memory_find`

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use feathers_runtime::memory::{AdapterExt, MemoryService};
use feathers_runtime::{json, Params, Value};

fn people(count: usize) -> MemoryService {
    let records = (0..count).map(|i| {
        json!({
            "name": format!("person-{:06}", (i * 7919) % count),
            "age": (i * 31) % 90,
            "group": i % 10,
            "active": i % 3 != 0,
            "address": {"city": if i % 2 == 0 { "Oslo" } else { "Rome" }},
        })
    });
    match MemoryService::new().with_records(records) {
        Ok(service) => service,
        Err(err) => panic!("seeding failed: {err}"),
    }
}

fn params(query: Value, from_url: bool) -> Params {
    Params {
        query_from_url: from_url,
        ..Params::from_query_value(query)
    }
}

fn find(c: &mut Criterion) {
    let runtime = match tokio::runtime::Builder::new_current_thread().build() {
        Ok(runtime) => runtime,
        Err(err) => panic!("no runtime: {err}"),
    };
    let cases = [
        (
            "filter+sort+limit10",
            params(
                json!({"age": {"$gte": 30, "$lt": 60}, "active": true, "$sort": {"age": -1, "name": 1}, "$limit": 10}),
                false,
            ),
        ),
        (
            "filter+sort+all",
            params(
                json!({"age": {"$gte": 30, "$lt": 60}, "active": true, "$sort": {"age": -1, "name": 1}}),
                false,
            ),
        ),
        (
            "rest-typed filter+sort+limit10",
            params(
                json!({"age": {"$gte": "30", "$lt": "60"}, "active": "true", "$sort": {"age": "-1", "name": "1"}, "$limit": "10"}),
                true,
            ),
        ),
    ];
    let mut group = c.benchmark_group("memory_find");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(5));
    for size in [10_000usize, 100_000] {
        let service = people(size);
        group.throughput(Throughput::Elements(size as u64));
        for (name, params) in &cases {
            group.bench_with_input(BenchmarkId::new(*name, size), params, |b, params| {
                b.to_async(&runtime).iter(|| async {
                    match service.find(params).await {
                        Ok(found) => found,
                        Err(err) => panic!("find failed: {err}"),
                    }
                });
            });
        }
    }
    group.finish();
}

criterion_group!(benches, find);
criterion_main!(benches);

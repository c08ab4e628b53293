//! `bench/sql.sh`: REST get, find and create on SQLite and on PostgreSQL, FeathersJS 5
//! with `@feathersjs/knex` and feathers-rs' `SqlService` side by side, the same API
//! written by hand on axum and sqlx, and the find straight through sqlx; prints one table and writes it to `bench/results/sql.md`.
//!
//! ```text
//! sql_versus [--smoke] [--server-cpu N|none] [--out DIR] [--feathers DIR]
//! ```
//!
//! Needs DATABASE_URL naming a PostgreSQL server (`bench/sql.sh` provides one) and
//! `npm ci` done in `--feathers` (default `bench/feathers-sql`). The table lives in the
//! schema `feathers_bench` on PostgreSQL, and in a SQLite file in a temporary folder.

use bench::cli::CommonArgs;
use bench::machine;
use bench::server::{sibling, Launch};
use bench::sql::{self, Database, DatabaseReport};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = CommonArgs::parse(
        "sql_versus [--smoke] [--server-cpu N|none] [--out DIR] [--feathers DIR]",
        "bench/feathers-sql",
        |_, _| false,
    );
    let phases = sql::phases(args.smoke);
    // Stops here, before the databases are set up, when `npm ci` has not been run.
    let feathers_server = args.feathers_server();
    let postgres_url = std::env::var("DATABASE_URL")
        .ok()
        .filter(|url| url.starts_with("postgres"))
        .unwrap_or_else(|| {
            panic!("DATABASE_URL must name a PostgreSQL server: run bench/sql.sh, which finds or starts one")
        });
    let folder = std::env::temp_dir().join(format!("feathers-bench-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap_or_else(|err| panic!("{}: {err}", folder.display()));
    let databases = [
        Database::sqlite(&folder.join("bench.sqlite")),
        Database::postgres(&postgres_url, "feathers_bench"),
    ];

    let date = machine::now();
    let load_before = machine::load_average();
    eprintln!(
        "== {} run, {date}: {}",
        if args.smoke { "smoke" } else { "full" },
        machine::describe()
    );
    let mut reports = Vec::new();
    for db in &databases {
        let mut feathers = feathers_server.clone();
        for (name, value) in &db.node_env {
            feathers = feathers.env(name, value);
        }
        feathers.ready_path = "/messages/1".into();
        let mut ours = Launch::new(sibling("sql_server"))
            .env("DATABASE_URL", &db.url)
            .pinned_to(args.server_cpu);
        ours.ready_path = "/messages/1".into();

        eprintln!("== {}: FeathersJS 5 + @feathersjs/knex", db.name);
        let theirs = sql::measure_server("FeathersJS + knex", db, &feathers, phases).await;
        eprintln!("== {}: feathers-rs SqlService", db.name);
        let mine = sql::measure_server("feathers-rs", db, &ours, phases).await;
        let mut by_hand = Launch::new(sibling("sql_axum_server"))
            .env("DATABASE_URL", &db.url)
            .pinned_to(args.server_cpu);
        by_hand.ready_path = "/messages/1".into();
        eprintln!("== {}: axum + sqlx by hand", db.name);
        let by_hand = sql::measure_server("axum + sqlx", db, &by_hand, phases).await;
        eprintln!("== {}: the find through sqlx directly", db.name);
        let direct = sql::direct_find(db, phases).await;
        reports.push(DatabaseReport {
            name: db.name,
            feathers: theirs,
            ours: mine,
            by_hand,
            direct,
        });
    }
    let _ = std::fs::remove_dir_all(&folder);

    let pinning = match args.server_cpu {
        Some(cpu) => format!(
            "servers pinned to CPU {cpu}, load generator and the direct sqlx run to the other core (taskset); \
             the PostgreSQL server is not pinned"
        ),
        None => "no CPU pinning".to_owned(),
    };
    let header = format!(
        "Measured {date} on {}; {pinning}; load average before {load_before}, after {}.\n\
         {} rows, an index on (grp, id); {} keep-alive connections per REST scenario, {} tasks for sqlx.\n\
         Ratio = feathers-rs ÷ the other figure: higher is better for rates, lower for latency.\n",
        machine::describe(),
        machine::load_average(),
        bench::report::count(sql::ROWS as f64),
        bench::rest::CONNECTIONS,
        sql::DIRECT_TASKS,
    );
    let table = sql::table(&reports);
    println!("\n{header}\n{table}");
    std::fs::create_dir_all(&args.out)
        .unwrap_or_else(|err| panic!("cannot create {}: {err}", args.out.display()));
    let results = args.out.join("sql.md");
    std::fs::write(&results, format!("{header}\n{table}"))
        .unwrap_or_else(|err| panic!("cannot write {}: {err}", results.display()));
    eprintln!("== wrote {}", results.display());
}

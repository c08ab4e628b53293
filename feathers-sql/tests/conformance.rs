//! The adapter conformance suite (the `feathers-conformance` crate) through the whole
//! pipeline, on SQLite and on PostgreSQL. Each case gets a fresh table.
//!
//! Where SQL tables and the memory adapter's documents answer differently by design,
//! the case is listed in [`DEVIATIONS`] with the reason, and the test checks that it
//! still fails in exactly that way (so the list cannot hide other failures).

mod support;

use feathers_conformance::AdapterOptions;
use feathers_runtime::{App, Result};
use feathers_sql::{AdapterBuilder, SqlService};
use support::TestDb;

/// Cases whose expectations assume schemaless records, each with what the SQL adapter
/// answers instead. A value of the wrong type for its column is a 400 (the memory
/// adapter matches nothing); an id must fit the id column.
const DEVIATIONS: [(&str, &str); 10] = [
    (
        "methods.json / .create with a string id keeps it [json]",
        "BadRequest",
    ),
    (
        "typing.json / a string never equals a number in JSON [json]",
        "BadRequest",
    ),
    (
        "typing.json / JSON $gt with a string compares nothing with numbers [json]",
        "BadRequest",
    ),
    (
        "typing.json / a string never equals a boolean in JSON [json]",
        "BadRequest",
    ),
    ("typing.json / done=yes is no boolean [url]", "BadRequest"),
    ("typing.json / age=abc is no number [url]", "BadRequest"),
    (
        "typing.json / JSON $in compares strictly [json]",
        "BadRequest",
    ),
    (
        "typing.json / JSON number values never equal stored strings [json]",
        "BadRequest",
    ),
    (
        "typing.json / get with a JSON-typed query that does not match [json]",
        "BadRequest",
    ),
    (
        "find.json / .find + $select several [",
        "Unknown field 'nope'",
    ),
];

/// The table a case's service gets: every field the data files use, typed.
fn create_table(db: &TestDb, table: &str, id_field: &str) -> String {
    let t = db.types();
    let mut columns = vec![format!("\"{id_field}\" {}", t.id)];
    if id_field != "id" {
        columns.push(format!("\"id\" {}", t.int));
    }
    for (name, kind) in [
        ("name", t.text),
        ("age", t.int),
        ("done", t.bool),
        ("created", t.bool),
        ("tags", t.json),
        ("address", t.json),
        ("score", t.float),
        ("zip", t.text),
        ("nick", t.text),
        ("rating", t.float),
        ("v", t.json),
        ("k", t.int),
        ("young", t.bool),
        ("adult", t.bool),
        ("seen", t.bool),
        ("x", t.int),
    ] {
        columns.push(format!("\"{name}\" {kind}"));
    }
    format!("CREATE TABLE \"{table}\" ({})", columns.join(", "))
}

/// Runs every data file against SQL services on `db` and checks the outcome.
async fn check_conformance(db: &TestDb) {
    let factory = |path: &str, options: &AdapterOptions| -> Result<App> {
        let table = support::unique("people");
        let ddl = create_table(db, &table, &options.id_field);
        let service = tokio::task::block_in_place(|| {
            tokio::runtime::Handle::current().block_on(async {
                db.exec(&ddl).await;
                SqlService::builder(db.pool.clone(), table)
                    .with_adapter_options(options.clone())
                    .omit_nulls(true)
                    .build()
                    .await
            })
        })?;
        App::builder().service_at(path, service).build()
    };
    let report = feathers_conformance::run_all(&factory).await;
    let (runs, failures) = (report.runs, report.failures);
    assert!(runs > 200, "only {runs} runs");
    let mut unexpected = Vec::new();
    for failure in &failures {
        let deviation = DEVIATIONS
            .iter()
            .find(|(case, _)| failure.starts_with(case));
        match deviation {
            Some((_, answer)) if failure.contains(answer) => {}
            _ => unexpected.push(failure.clone()),
        }
    }
    for (case, _) in DEVIATIONS {
        assert!(
            failures.iter().any(|f| f.starts_with(case)),
            "the deviation '{case}' is listed but the case passes: remove it from the list"
        );
    }
    assert!(
        unexpected.is_empty(),
        "{} of {runs} conformance runs failed:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_conformance_suite_passes_on_sqlite() {
    check_conformance(&support::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_conformance_suite_passes_on_postgres() {
    check_conformance(&support::postgres().await).await;
}

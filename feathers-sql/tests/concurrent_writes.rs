//! Many writes at once, on SQLite (whose writes are committed in groups) and on
//! PostgreSQL: each answered as it would be alone, a refused one taking nothing else
//! with it, and everything answered as stored really stored.

mod support;

use std::collections::BTreeSet;

use feathers_runtime::{json, App, Params, Value};
use feathers_sql::{AdapterBuilder, SqlService};
use support::TestDb;

/// Writers at once.
const WRITERS: usize = 200;

/// An app with `people` (a unique `email`) on the database.
async fn people(db: &TestDb) -> App {
    let types = db.types();
    db.exec(&format!(
        "CREATE TABLE people (id {}, email TEXT NOT NULL UNIQUE, name TEXT)",
        types.id
    ))
    .await;
    let people = SqlService::builder(db.pool.clone(), "people")
        .multi(vec!["create"])
        .build()
        .await
        .expect("the service");
    App::builder()
        .service_at("people", people)
        .build()
        .expect("the app")
}

async fn create(app: &App, data: Value) -> feathers_runtime::Result<Value> {
    app.service("people")?.create(data, Params::default()).await
}

async fn concurrent_creates_are_each_answered_as_alone(db: TestDb) {
    let app = people(&db).await;
    let mut tasks = Vec::with_capacity(WRITERS);
    for n in 0..WRITERS {
        let app = app.clone();
        // Every tenth email is taken by another writer: one of the two is a 409.
        let email = format!("p{}@example.com", if n % 10 == 9 { n - 1 } else { n });
        tasks.push(tokio::spawn(async move {
            create(&app, json!({ "email": email, "name": format!("n{n}") })).await
        }));
    }
    let (mut created, mut conflicts) = (Vec::new(), 0);
    for task in tasks {
        match task.await.expect("the task") {
            Ok(record) => created.push(record),
            Err(err) => {
                assert_eq!(err.code(), 409, "{err:?}");
                conflicts += 1;
            }
        }
    }
    assert_eq!(conflicts, WRITERS / 10, "one of each pair sharing an email");
    let ids: BTreeSet<String> = created.iter().map(|r| r["id"].to_string()).collect();
    assert_eq!(ids.len(), created.len(), "every create has its own id");
    assert_eq!(
        db.count("people").await,
        i64::try_from(created.len()).expect("a count"),
        "what was answered as created is stored, and nothing else"
    );
}

async fn a_refused_multi_create_stores_none_of_its_records(db: TestDb) {
    let app = people(&db).await;
    let mut tasks = Vec::new();
    for n in 0..50 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let batch = if n == 25 {
                // The second record breaks the unique email of the first.
                json!([{ "email": "same@example.com" }, { "email": "same@example.com" }])
            } else {
                json!([{ "email": format!("a{n}@example.com") }, { "email": format!("b{n}@example.com") }])
            };
            create(&app, batch).await
        }));
    }
    let mut refused = 0;
    for task in tasks {
        if let Err(err) = task.await.expect("the task") {
            assert_eq!(err.code(), 409, "{err:?}");
            refused += 1;
        }
    }
    assert_eq!(refused, 1);
    assert_eq!(
        db.count("people").await,
        49 * 2,
        "all of each batch, or none"
    );
}

support::on_both_databases!(
    concurrent_creates_are_each_answered_as_alone,
    a_refused_multi_create_stores_none_of_its_records,
);

//! What the SQL service does beyond the shared conformance cases, on SQLite and on
//! PostgreSQL: migrations, startup errors, JSON round trips, ids, patterns, nulls,
//! and patch/remove of many records under concurrent writers.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use feathers_runtime::{json, App, Id, Params, Value};
use feathers_sql::{AdapterBuilder, AdapterExt, Dialect, IdGeneration, SqlService};
use support::TestDb;

fn query(value: Value) -> Params {
    Params::from_query_value(value)
}

async fn migrated(db: &TestDb) -> SqlService {
    let migrator = match db.dialect() {
        Dialect::Sqlite => feathers_sql::sqlx::migrate!("tests/migrations/sqlite"),
        Dialect::Postgres => feathers_sql::sqlx::migrate!("tests/migrations/postgres"),
    };
    feathers_sql::migrate(&db.pool, &migrator)
        .await
        .expect("migrations");
    // A second run finds nothing to do.
    feathers_sql::migrate(&db.pool, &migrator)
        .await
        .expect("migrations again");
    SqlService::builder(db.pool.clone(), "notes")
        .build()
        .await
        .expect("the service")
}

async fn migrations_create_the_tables(db: TestDb) {
    let notes = migrated(&db).await;
    let created = notes
        .create(json!({"text": "hello"}), &Params::default())
        .await
        .expect("created");
    assert_eq!(
        created,
        json!({"id": 1, "text": "hello", "extra": null, "pinned": false})
    );
    let names: Vec<&str> = notes
        .schema()
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["id", "text", "extra", "pinned"]);
}

async fn startup_errors_name_the_table_and_the_id(db: TestDb) {
    let missing = SqlService::builder(db.pool.clone(), "no_such_table")
        .build()
        .await
        .err()
        .map(|e| e.message().to_owned())
        .unwrap_or_default();
    assert!(
        missing.contains("the table 'no_such_table' does not exist"),
        "{missing}"
    );
    migrated(&db).await;
    let wrong_id = SqlService::builder(db.pool.clone(), "notes")
        .id_field("_id")
        .build()
        .await
        .err()
        .map(|e| e.message().to_owned())
        .unwrap_or_default();
    assert!(
        wrong_id.contains("the id field '_id' is not a column of the table 'notes'"),
        "{wrong_id}"
    );
}

async fn nested_json_round_trips(db: TestDb) {
    let notes = migrated(&db).await;
    let extra = json!({
        "author": {"name": "Zoë", "roles": ["admin", null, 3.5, true]},
        "empty": {}, "list": [[1, 2], {"a": "b\"c'd"}], "n": null
    });
    let created = notes
        .create(
            json!({"text": "nested", "extra": extra.clone()}),
            &Params::default(),
        )
        .await
        .expect("created");
    assert_eq!(created["extra"], extra);
    let id = Id::from_value(&created["id"])
        .ok()
        .flatten()
        .expect("an id");
    assert_eq!(
        notes
            .get(id.clone(), &Params::default())
            .await
            .expect("get")["extra"],
        extra
    );
    let found = notes
        .find(&query(json!({"extra.author.name": "Zoë"})))
        .await
        .expect("find");
    assert_eq!(found.as_array().map(Vec::len), Some(1));
    let patched = notes
        .patch(
            Some(id),
            json!({"extra": [1, {"deep": [true]}]}),
            &Params::default(),
        )
        .await
        .expect("patch");
    assert_eq!(patched["extra"], json!([1, {"deep": [true]}]));
}

async fn nulls_are_answered_unless_omitted(db: TestDb) {
    migrated(&db).await;
    let keep = SqlService::builder(db.pool.clone(), "notes")
        .build()
        .await
        .expect("service");
    let omit = SqlService::builder(db.pool.clone(), "notes")
        .omit_nulls(true)
        .build()
        .await
        .expect("service");
    keep.create(json!({"text": "a"}), &Params::default())
        .await
        .expect("created");
    let all = Params::default();
    assert_eq!(
        keep.find(&all).await.expect("find"),
        json!([{"id": 1, "text": "a", "extra": null, "pinned": false}])
    );
    assert_eq!(
        omit.find(&all).await.expect("find"),
        json!([{"id": 1, "text": "a", "pinned": false}])
    );
}

async fn like_patterns(db: TestDb) {
    let notes = migrated(&db).await;
    for text in ["Apple pie", "apple tart", "Banana 100%", "cherry_1"] {
        notes
            .create(json!({"text": text}), &Params::default())
            .await
            .expect("created");
    }
    let texts = |found: Value| -> Vec<String> {
        found
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| r["text"].as_str().unwrap_or("?").to_owned())
            .collect()
    };
    let find = |q: Value| {
        let notes = notes.clone();
        async move { texts(notes.find(&query(q)).await.expect("find")) }
    };
    // $like counts letter case on both databases (SQLite through GLOB).
    assert_eq!(
        find(json!({"text": {"$like": "Apple%"}})).await,
        ["Apple pie"]
    );
    assert_eq!(
        find(json!({"text": {"$ilike": "apple%"}})).await,
        ["Apple pie", "apple tart"]
    );
    assert_eq!(
        find(json!({"text": {"$notlike": "%pie"}})).await,
        ["apple tart", "Banana 100%", "cherry_1"]
    );
    assert_eq!(
        find(json!({"text": {"$like": "%100\\%"}})).await,
        ["Banana 100%"]
    );
    assert_eq!(
        find(json!({"text": {"$like": "cherry\\_%"}})).await,
        ["cherry_1"]
    );
    assert_eq!(
        find(json!({"text": {"$like": "_pple%"}})).await,
        ["Apple pie", "apple tart"]
    );
    assert_eq!(
        find(json!({"text": {"$like": "*"}})).await,
        Vec::<String>::new()
    );
    let not_text = notes
        .find(&query(json!({"pinned": {"$like": "t%"}})))
        .await
        .err()
        .map(|e| e.code());
    assert_eq!(not_text, Some(400));
}

async fn generated_uuid_ids(db: TestDb) {
    let table = support::unique("tokens");
    let id_type = match db.dialect() {
        Dialect::Sqlite => "TEXT PRIMARY KEY",
        Dialect::Postgres => "UUID PRIMARY KEY DEFAULT gen_random_uuid()",
    };
    db.exec(&format!(
        "CREATE TABLE \"{table}\" (\"id\" {id_type}, \"label\" TEXT)"
    ))
    .await;
    let ids = match db.dialect() {
        Dialect::Sqlite => IdGeneration::Uuid,
        Dialect::Postgres => IdGeneration::Database,
    };
    let tokens = SqlService::builder(db.pool.clone(), table)
        .ids(ids)
        .build()
        .await
        .expect("service");
    let created = tokens
        .create(json!({"label": "a"}), &Params::default())
        .await
        .expect("created");
    let id = created["id"].as_str().expect("a string id").to_owned();
    assert_eq!(id.len(), 36, "{id}");
    let got = tokens
        .get(id.as_str(), &Params::default())
        .await
        .expect("get");
    assert_eq!(got["label"], json!("a"));
    let missing = tokens
        .get("not-a-uuid", &Params::default())
        .await
        .err()
        .map(|e| e.code());
    assert_eq!(missing, Some(404));
}

async fn pages_count_the_matches(db: TestDb) {
    migrated(&db).await;
    let notes = SqlService::builder(db.pool.clone(), "notes")
        .paginate(2, 3)
        .build()
        .await
        .expect("service");
    for i in 0..7 {
        notes
            .create(
                json!({"text": format!("n{i}"), "pinned": i % 2 == 0}),
                &Params::default(),
            )
            .await
            .expect("created");
    }
    let page = notes
        .find(&query(
            json!({"pinned": true, "$skip": 1, "$limit": 10, "$sort": {"text": -1}}),
        ))
        .await
        .expect("page");
    assert_eq!(page["total"], json!(4));
    assert_eq!(page["limit"], json!(3));
    let texts: Vec<&str> = page["data"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["text"].as_str())
        .collect();
    assert_eq!(texts, ["n4", "n2", "n0"]);
}

/// Many writers at once: each `patch(null)` claims the unclaimed rows it matches.
/// Every row must be claimed by exactly one patch, and each patch must answer
/// exactly the rows it changed (select-then-update would answer rows another patch
/// took, or miss rows it changed).
async fn patch_many_answers_exactly_what_it_changed(db: TestDb) {
    let table = support::unique("jobs");
    let t = db.types();
    db.exec(&format!(
        "CREATE TABLE \"{table}\" (\"id\" {}, \"owner\" {}, \"n\" {})",
        t.id, t.int, t.int
    ))
    .await;
    let jobs = SqlService::builder(db.pool.clone(), table)
        .multi(true)
        .build()
        .await
        .expect("service");
    let app = App::builder()
        .service_at("jobs", jobs.clone())
        .build()
        .expect("app");
    let rows: Vec<Value> = (0..200).map(|n| json!({"n": n})).collect();
    jobs.create(Value::Array(rows), &Params::default())
        .await
        .expect("rows");
    let events = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = events.clone();
    app.service("jobs").expect("jobs").on("patched", move |_| {
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    });
    let mut tasks = Vec::new();
    for owner in 1..=8i64 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let mut claimed = Vec::new();
            for _ in 0..5 {
                let answer = app
                    .service("jobs")?
                    .patch(
                        None,
                        json!({"owner": owner}),
                        query(json!({"owner": null, "n": {"$lt": 200}})),
                    )
                    .await?;
                for row in answer.as_array().into_iter().flatten() {
                    assert_eq!(
                        row["owner"],
                        json!(owner),
                        "a patch answered a row it did not change"
                    );
                    claimed.push(row["id"].as_i64().unwrap_or(-1));
                }
                // Rows inserted meanwhile are claimed by a later patch.
                app.service("jobs")?
                    .create(json!({"n": 1000}), Params::default())
                    .await?;
            }
            Ok::<_, feathers_runtime::Error>((owner, claimed))
        }));
    }
    let mut claimed_by: BTreeMap<i64, i64> = BTreeMap::new();
    let mut claims = 0;
    for task in tasks {
        let (owner, ids) = task.await.expect("the task").expect("the patches");
        for id in ids {
            claims += 1;
            assert!(
                claimed_by.insert(id, owner).is_none(),
                "row {id} claimed twice"
            );
        }
    }
    let all = jobs.find(&Params::default()).await.expect("all");
    let mut unclaimed_targets = BTreeSet::new();
    for row in all.as_array().into_iter().flatten() {
        let id = row["id"].as_i64().unwrap_or(-1);
        match claimed_by.get(&id) {
            Some(owner) => assert_eq!(row["owner"], json!(owner), "row {id}"),
            None => {
                assert_eq!(
                    row["owner"],
                    Value::Null,
                    "row {id} changed but no patch answered it"
                );
                if row["n"].as_i64() < Some(200) {
                    unclaimed_targets.insert(id);
                }
            }
        }
    }
    assert!(
        unclaimed_targets.is_empty(),
        "rows never claimed: {unclaimed_targets:?}"
    );
    assert!(claims >= 200);
    assert_eq!(
        events.load(std::sync::atomic::Ordering::Relaxed),
        claims,
        "one event per changed row"
    );
}

async fn remove_many_answers_exactly_what_it_removed(db: TestDb) {
    let table = support::unique("items");
    let t = db.types();
    db.exec(&format!(
        "CREATE TABLE \"{table}\" (\"id\" {}, \"n\" {})",
        t.id, t.int
    ))
    .await;
    let items = SqlService::builder(db.pool.clone(), table.clone())
        .multi(true)
        .build()
        .await
        .expect("service");
    let rows: Vec<Value> = (0..300).map(|n| json!({"n": n})).collect();
    items
        .create(Value::Array(rows), &Params::default())
        .await
        .expect("rows");
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let items = items.clone();
        tasks.push(tokio::spawn(async move {
            let mut removed = Vec::new();
            for _ in 0..4 {
                let answer = items
                    .remove(None, &query(json!({"n": {"$gte": 0}})))
                    .await?;
                removed.extend(
                    answer
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|r| r["id"].as_i64()),
                );
                items.create(json!({"n": 5}), &Params::default()).await?;
            }
            Ok::<_, feathers_runtime::Error>(removed)
        }));
    }
    let mut seen = BTreeSet::new();
    for task in tasks {
        for id in task.await.expect("the task").expect("the removes") {
            assert!(seen.insert(id), "row {id} answered by two removes");
        }
    }
    let left = db.count(&table).await;
    assert_eq!(
        seen.len() as i64 + left,
        300 + 24,
        "every row is removed once or still there"
    );
}

support::on_both_databases!(
    migrations_create_the_tables,
    startup_errors_name_the_table_and_the_id,
    nested_json_round_trips,
    nulls_are_answered_unless_omitted,
    like_patterns,
    generated_uuid_ids,
    pages_count_the_matches,
    patch_many_answers_exactly_what_it_changed,
    remove_many_answers_exactly_what_it_removed,
);

//! Wide and deep queries: an `$or` or `$and` past the limit is a 400 naming it, the
//! same on SQLite and PostgreSQL, and a query at the limits runs on both (SQLite
//! refuses expression trees deeper than 1,000 nodes, so the SQL must stay shallow).

mod support;

use feathers_runtime::{json, App, Params, Value};
use feathers_sql::{AdapterExt, ConditionLimits, SqlService};
use support::rest::{encode, request};
use support::TestDb;

async fn people(db: &TestDb, limits: Option<ConditionLimits>) -> SqlService {
    let t = db.types();
    let table = support::unique("people");
    db.exec(&format!(
        "CREATE TABLE \"{table}\" (\"id\" {}, \"name\" {} NOT NULL, \"age\" {}, \"meta\" {})",
        t.id, t.text, t.int, t.json
    ))
    .await;
    let mut builder = SqlService::builder(db.pool.clone(), table);
    if let Some(limits) = limits {
        builder = builder.condition_limits(limits);
    }
    let service = builder.build().await.expect("the service");
    for (name, age) in [("Alice", 19), ("Bob", 25), ("Doug", 32)] {
        service
            .create(
                json!({"name": name, "age": age, "meta": {"n": age}}),
                &Params::default(),
            )
            .await
            .expect("a fixture");
    }
    service
}

/// An `$or` of `n` terms, the last two of which match Bob and Doug.
fn or_of(n: usize) -> Value {
    let mut terms: Vec<Value> = (0..n.saturating_sub(2))
        .map(|i| json!({"name": format!("nobody {i}")}))
        .collect();
    terms.push(json!({"name": "Bob"}));
    terms.push(json!({"age": {"$gt": 30}}));
    json!({"$or": terms, "$sort": {"id": 1}})
}

async fn names(service: &SqlService, query: Value) -> feathers_runtime::Result<Vec<String>> {
    let found = service.find(&Params::from_query_value(query)).await?;
    Ok(found
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r["name"].as_str().unwrap_or("?").to_owned())
        .collect())
}

async fn a_thousand_term_or_is_a_400_naming_the_limit(db: TestDb) {
    let service = people(&db, None).await;
    let err = names(&service, or_of(1_000)).await.err();
    assert_eq!(err.as_ref().map(|e| e.code()), Some(400), "{err:?}");
    let message = err.map(|e| e.message().to_owned()).unwrap_or_default();
    assert!(message.contains("at most 100 terms"), "{message}");
    let and: Vec<Value> = (0..1_000).map(|i| json!({"age": {"$ne": i}})).collect();
    let err = names(&service, json!({"$and": and})).await.err();
    assert_eq!(err.map(|e| e.code()), Some(400));
}

/// `GET /people` with an `$or` of `n` terms in the query string, as a browser sends it.
async fn rest_or(app: &App, n: usize) -> (u16, Value) {
    let terms: Vec<String> = (0..n)
        .map(|i| format!("{}=nobody{i}", encode(&format!("$or[{i}][name]"))))
        .collect();
    request(app, "GET", &format!("/people?{}", terms.join("&")), None).await
}

async fn a_thousand_term_or_over_rest_is_a_400_and_a_hundred_runs(db: TestDb) {
    let service = people(&db, None).await;
    let app = App::builder()
        .service_at("people", service)
        .build()
        .expect("the app");
    let (status, answer) = rest_or(&app, 1_000).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["name"], json!("BadRequest"));
    let message = answer["message"].as_str().unwrap_or_default();
    assert!(message.contains("at most 100 terms"), "{answer}");
    let (status, answer) = rest_or(&app, 100).await;
    assert_eq!((status, answer), (200, json!([])));
}

async fn an_or_at_the_limit_runs(db: TestDb) {
    let service = people(&db, None).await;
    assert_eq!(
        names(&service, or_of(100)).await.expect("100 terms run"),
        ["Bob", "Doug"]
    );
}

/// The deepest query the limits allow, each level as wide as they allow: `$or`s of
/// 100 terms whose first term holds the next level (SQL's `OR` groups from the left,
/// so the first term is the deepest one).
fn deepest_widest(levels: usize) -> Value {
    let mut query = json!({"name": "Bob"});
    for level in 0..levels {
        let mut terms = vec![query];
        terms.extend((0..99).map(|i| json!({"name": format!("nobody {level} {i}")})));
        query = json!({"$or": terms});
    }
    query
}

async fn the_deepest_widest_query_allowed_runs(db: TestDb) {
    let service = people(&db, None).await;
    assert_eq!(
        names(&service, deepest_widest(ConditionLimits::DEFAULT_DEPTH))
            .await
            .expect("the deepest query allowed runs"),
        ["Bob"]
    );
    let err = names(&service, deepest_widest(ConditionLimits::DEFAULT_DEPTH + 1))
        .await
        .err();
    assert_eq!(err.as_ref().map(|e| e.code()), Some(400), "{err:?}");
    let message = err.map(|e| e.message().to_owned()).unwrap_or_default();
    assert!(message.contains("at most 10 levels"), "{message}");
}

async fn a_long_in_on_a_json_column_runs(db: TestDb) {
    let service = people(&db, None).await;
    let values: Vec<Value> = (0..1_000).map(|i| json!({"n": i})).collect();
    assert_eq!(
        names(
            &service,
            json!({"meta": {"$in": values}, "$sort": {"id": 1}})
        )
        .await
        .expect("a $in of 1,000 JSON values runs"),
        ["Alice", "Bob", "Doug"]
    );
}

async fn the_limits_are_configurable(db: TestDb) {
    let service = people(&db, Some(ConditionLimits::new(1_000, 10))).await;
    assert_eq!(
        names(&service, or_of(1_000))
            .await
            .expect("a wider limit lets 1,000 terms through"),
        ["Bob", "Doug"]
    );
    let narrow = people(&db, Some(ConditionLimits::new(2, 10))).await;
    let err = names(&narrow, or_of(3)).await.err();
    let message = err.map(|e| e.message().to_owned()).unwrap_or_default();
    assert!(message.contains("at most 2 terms"), "{message}");
}

async fn every_method_with_a_query_checks_the_limits(db: TestDb) {
    let service = people(&db, None).await;
    let wide = Params::from_query_value(or_of(1_000));
    assert_eq!(
        service.get(1, &wide).await.err().map(|e| e.code()),
        Some(400)
    );
    let patch = service
        .patch(Some(1.into()), json!({"age": 1}), &wide)
        .await;
    assert_eq!(patch.err().map(|e| e.code()), Some(400));
    let remove = service.remove(Some(1.into()), &wide).await;
    assert_eq!(remove.err().map(|e| e.code()), Some(400));
    assert_eq!(
        names(&service, json!({"$sort": {"id": 1}})).await.ok(),
        Some(vec!["Alice".into(), "Bob".into(), "Doug".into()])
    );
}

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(crate::support::sqlite().await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(crate::support::postgres().await).await;
                }
            )*
        }
    };
}

on_both!(
    a_thousand_term_or_is_a_400_naming_the_limit,
    a_thousand_term_or_over_rest_is_a_400_and_a_hundred_runs,
    an_or_at_the_limit_runs,
    the_deepest_widest_query_allowed_runs,
    a_long_in_on_a_json_column_runs,
    the_limits_are_configurable,
    every_method_with_a_query_checks_the_limits,
);

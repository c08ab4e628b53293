//! Input that tries to break the SQL: every attempt is a 400 (or, for what the
//! database refuses on its own, a generic 500 without its text) and the data stays as
//! it was. Run over REST on SQLite and on PostgreSQL.

mod support;

use feathers_runtime::{json, App, Params, Value};
use feathers_sql::{AdapterBuilder, SqlService};
use support::rest::{encode, request};
use support::TestDb;

struct Fixture {
    app: App,
    table: String,
    canary: String,
}

async fn fixture(db: &TestDb) -> Fixture {
    let t = db.types();
    let table = support::unique("people");
    let canary = support::unique("x");
    db.exec(&format!(
        "CREATE TABLE \"{table}\" (\"id\" {}, \"name\" {} NOT NULL, \"age\" {}, \"done\" {}, \"meta\" {})",
        t.id, t.text, t.int, t.bool, t.json
    ))
    .await;
    db.exec(&format!("CREATE TABLE \"{canary}\" (\"id\" {})", t.id))
        .await;
    let service = SqlService::builder(db.pool.clone(), table.clone())
        .multi(true)
        .build()
        .await
        .expect("the service");
    let app = App::builder()
        .service_at("people", service)
        .build()
        .expect("the app");
    let people = app.service("people").expect("people");
    for (name, age, done) in [("Alice", 19, false), ("Bob", 25, true), ("Doug", 32, true)] {
        people
            .create(
                json!({"name": name, "age": age, "done": done, "meta": {"tags": [name]}}),
                Params::default(),
            )
            .await
            .expect("a fixture");
    }
    Fixture { app, table, canary }
}

async fn everything(app: &App) -> Value {
    let (status, all) = request(app, "GET", "/people?$sort[id]=1", None).await;
    assert_eq!(status, 200, "{all}");
    all
}

async fn hostile_requests_are_400s_and_change_nothing(db: TestDb) {
    let f = fixture(&db).await;
    let before = everything(&f.app).await;
    let in_list: String = (0..3_000).map(|i| format!("&age[$in][]={i}")).collect();
    let attempts: Vec<(String, &str, Option<Value>)> = vec![
        (
            format!("/people?{}=1", encode("$sort[id;drop table x]")),
            "GET",
            None,
        ),
        (
            format!(
                "/people?$sort[{}]=1",
                encode(&format!("id; DROP TABLE \"{}\"; --", f.canary))
            ),
            "GET",
            None,
        ),
        (format!("/people?{}=*", encode("$select[]")), "GET", None),
        (format!("/people?{}=1", encode("na\"me")), "GET", None),
        (
            format!("/people?{}=1", encode("name'; DELETE FROM people; --")),
            "GET",
            None,
        ),
        ("/people?$limit=-1".to_owned(), "GET", None),
        ("/people?$limit=1e9".to_owned(), "GET", None),
        ("/people?$skip=-1".to_owned(), "GET", None),
        (format!("/people?{}=1", encode("age[$in][a]")), "GET", None),
        (format!("/people?{}", &in_list[1..]), "GET", None),
        ("/people?age=abc".to_owned(), "GET", None),
        ("/people?age[$gt]=abc".to_owned(), "GET", None),
        ("/people?done=maybe".to_owned(), "GET", None),
        ("/people?age[$regex]=1".to_owned(), "GET", None),
        (format!("/people?{}=1", encode("name.first")), "GET", None),
        (
            "/people?name[$like]=%25&$sort[nope]=1".to_owned(),
            "GET",
            None,
        ),
        ("/people?age[$like]=1%25".to_owned(), "GET", None),
        ("/people?age=abc".to_owned(), "DELETE", None),
        (
            format!("/people?{}=1", encode("x\"y")),
            "PATCH",
            Some(json!({"age": 1})),
        ),
        (
            "/people?age=abc".to_owned(),
            "PATCH",
            Some(json!({"age": 1})),
        ),
        ("/people".to_owned(), "PATCH", Some(json!({"age": "old"}))),
        (
            "/people".to_owned(),
            "PATCH",
            Some(json!({"nope\"; DROP TABLE people; --": 1})),
        ),
        (
            "/people".to_owned(),
            "PATCH",
            Some(json!({"__proto__": {"admin": true}})),
        ),
        (
            "/people".to_owned(),
            "POST",
            Some(json!({"name": "Eve", "age": "twenty"})),
        ),
        (
            "/people".to_owned(),
            "POST",
            Some(json!({"name": "Eve", "id": "abc"})),
        ),
        (
            "/people".to_owned(),
            "POST",
            Some(json!([{"name": "Eve"}, {"name": "Mallory", "secret": 1}])),
        ),
        (
            "/people/1".to_owned(),
            "PUT",
            Some(json!({"name": "Eve", "done": "yes"})),
        ),
    ];
    for (uri, method, body) in attempts {
        let (status, answer) = request(&f.app, method, &uri, body.clone()).await;
        let shown: String = uri.chars().take(120).collect();
        assert_eq!(status, 400, "{method} {shown} {body:?} answered {answer}");
        assert_eq!(answer["name"], json!("BadRequest"), "{method} {shown}");
    }
    assert_eq!(everything(&f.app).await, before);
    assert_eq!(
        db.count(&f.canary).await,
        0,
        "the canary table is still there"
    );

    // Unknown columns and operators are named.
    let (_, answer) = request(
        &f.app,
        "GET",
        &format!("/people?{}=1", encode("na\"me")),
        None,
    )
    .await;
    assert_eq!(
        answer["message"],
        json!(format!(
            "Unknown field 'na\"me': the table '{}' has no such column",
            f.table
        ))
    );
    let (_, answer) = request(&f.app, "GET", "/people?age[$regex]=1", None).await;
    assert_eq!(answer["message"], json!("Invalid query parameter $regex"));
    let (_, answer) = request(&f.app, "GET", "/people?age=abc", None).await;
    assert_eq!(
        answer["message"],
        json!("Invalid value for 'age': expected an integer, found a string")
    );

    // Keys inside a JSON column are data (bound), not names: quotes in them find
    // nothing and break nothing.
    let (status, answer) = request(
        &f.app,
        "GET",
        &format!("/people?{}=1", encode("meta.x'y\"); --")),
        None,
    )
    .await;
    assert_eq!((status, answer), (200, json!([])));

    // The query-string parser drops `__proto__` keys, as qs does; from a JSON
    // transport the name is a 400 like any other name that is not a column.
    for uri in ["/people?__proto__[admin]=1", "/people?__proto__=1"] {
        let (status, answer) = request(&f.app, "GET", uri, None).await;
        assert_eq!((status, &answer), (200, &before), "{uri}");
    }
    let people = f.app.service("people").expect("people");
    let proto = people
        .find(Params::from_query_value(json!({"__proto__": {"admin": 1}})))
        .await
        .err()
        .map(|e| (e.code(), e.message().to_owned()));
    assert_eq!(
        proto,
        Some((
            400,
            format!(
                "Unknown field '__proto__': the table '{}' has no such column",
                f.table
            )
        ))
    );

    // 10,000 `$in` values from a JSON transport (REST's parser stops at fewer).
    let many: Vec<i64> = (0..10_000).collect();
    let outcome = f
        .app
        .service("people")
        .expect("people")
        .find(Params::from_query_value(json!({"age": {"$in": many}})))
        .await;
    let err = outcome.expect_err("a 400");
    assert_eq!(err.code(), 400);
    assert!(
        err.message().starts_with("Too many values in a $in"),
        "{}",
        err.message()
    );
    let not_a_list = f
        .app
        .service("people")
        .expect("people")
        .find(Params::from_query_value(json!({"age": {"$in": 19}})))
        .await;
    assert_eq!(not_a_list.err().map(|e| e.code()), Some(400));
    assert_eq!(everything(&f.app).await, before);
}

async fn typed_rest_queries_work_without_a_schema(db: TestDb) {
    let f = fixture(&db).await;
    let names = |answer: &Value| -> Vec<String> {
        answer
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| r["name"].as_str().unwrap_or("?").to_owned())
            .collect()
    };
    let (_, older) = request(&f.app, "GET", "/people?age[$gt]=20&$sort[age]=-1", None).await;
    assert_eq!(names(&older), ["Doug", "Bob"]);
    let (_, done) = request(&f.app, "GET", "/people?done=true&$sort[name]=1", None).await;
    assert_eq!(names(&done), ["Bob", "Doug"]);
    let (_, listed) = request(
        &f.app,
        "GET",
        "/people?age[$in][]=19&age[$in][]=32&$select[]=name",
        None,
    )
    .await;
    assert_eq!(
        listed,
        json!([{"id": 1, "name": "Alice"}, {"id": 3, "name": "Doug"}])
    );
    let (_, nested) = request(&f.app, "GET", "/people?meta.tags=Bob", None).await;
    assert_eq!(names(&nested), ["Bob"]);
    let (_, like) = request(&f.app, "GET", "/people?name[$like]=D%25", None).await;
    assert_eq!(names(&like), ["Doug"]);
}

async fn database_errors_are_generic_500s(db: TestDb) {
    let f = fixture(&db).await;
    db.exec(&format!("DROP TABLE \"{}\"", f.table)).await;
    let (status, answer) = request(&f.app, "GET", "/people", None).await;
    assert_eq!(status, 500, "{answer}");
    assert_eq!(answer["name"], json!("GeneralError"));
    assert_eq!(answer["message"], json!("Internal database error"));
    assert!(!answer.to_string().contains(&f.table), "{answer}");
}

async fn constraint_errors_name_the_column_not_the_sql(db: TestDb) {
    let f = fixture(&db).await;
    let (status, answer) = request(&f.app, "POST", "/people", Some(json!({"age": 3}))).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(
        answer["message"],
        json!("A required field is missing or null ('name')")
    );
    let (status, answer) = request(
        &f.app,
        "POST",
        "/people",
        Some(json!({"id": 1, "name": "Twin"})),
    )
    .await;
    assert_eq!(status, 409, "{answer}");
    assert!(
        !answer.to_string().to_lowercase().contains("constraint"),
        "{answer}"
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
    hostile_requests_are_400s_and_change_nothing,
    typed_rest_queries_work_without_a_schema,
    database_errors_are_generic_500s,
    constraint_errors_name_the_column_not_the_sql,
);

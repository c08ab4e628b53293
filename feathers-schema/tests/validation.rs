//! Data checked against the schema of its Rust type: Ajv's error objects, every
//! problem at once, arrays record by record, and nothing of the value sent echoed.

use feathers_schema::{JsonSchema, Partial, Schema, ServiceSchemas, MAX_PROBLEMS};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SignUp {
    #[schemars(email, length(max = 254))]
    email: String,
    #[schemars(length(min = 8, max = 1024))]
    password: String,
    #[schemars(range(min = 13, max = 150))]
    age: Option<u32>,
    #[schemars(regex(pattern = r"^[a-z0-9_]+$"))]
    nick: Option<String>,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[allow(dead_code)]
struct Message {
    #[serde(skip_deserializing)]
    id: u64,
    #[schemars(length(min = 1, max = 1000))]
    text: String,
    #[serde(rename = "userId", skip_deserializing)]
    user_id: Option<i64>,
}

fn problems(schema: &Schema, data: Value) -> Vec<Value> {
    let problems = schema
        .check_records(&data)
        .expect_err("the data is invalid");
    problems
        .iter()
        .map(|problem| serde_json::to_value(problem).expect("a problem serialises"))
        .collect()
}

#[test]
fn each_rule_fails_with_ajvs_error_object() {
    let schema = Schema::data::<SignUp>();
    let found = problems(
        &schema,
        json!({ "email": "not an address", "password": "short", "age": 200, "nick": "Big Boss" }),
    );
    assert!(
        found.contains(&json!({
            "instancePath": "/email", "schemaPath": "#/properties/email/format",
            "keyword": "format", "params": { "format": "email" },
            "message": "must match format \"email\"",
        })),
        "{found:#?}"
    );
    assert!(
        found.contains(&json!({
            "instancePath": "/password", "schemaPath": "#/properties/password/minLength",
            "keyword": "minLength", "params": { "limit": 8 },
            "message": "must NOT have fewer than 8 characters",
        })),
        "{found:#?}"
    );
    assert!(
        found.contains(&json!({
            "instancePath": "/age", "schemaPath": "#/properties/age/maximum",
            "keyword": "maximum", "params": { "comparison": "<=", "limit": 150 },
            "message": "must be <= 150",
        })),
        "{found:#?}"
    );
    assert!(found
        .iter()
        .any(|p| p["keyword"] == "pattern" && p["instancePath"] == "/nick"));
    assert_eq!(found.len(), 4, "{found:#?}");
}

#[test]
fn missing_unknown_and_mistyped_fields_are_named() {
    let schema = Schema::data::<SignUp>();
    let found = problems(&schema, json!({ "password": 12345678, "admin": true }));
    assert!(
        found.contains(&json!({
            "instancePath": "", "schemaPath": "#/required", "keyword": "required",
            "params": { "missingProperty": "email" },
            "message": "must have required property 'email'",
        })),
        "{found:#?}"
    );
    assert!(
        found.contains(&json!({
            "instancePath": "", "schemaPath": "#/additionalProperties",
            "keyword": "additionalProperties", "params": { "additionalProperty": "admin" },
            "message": "must NOT have additional properties",
        })),
        "{found:#?}"
    );
    assert!(
        found.contains(&json!({
            "instancePath": "/password", "schemaPath": "#/properties/password/type",
            "keyword": "type", "params": { "type": "string" }, "message": "must be string",
        })),
        "{found:#?}"
    );
}

#[test]
fn no_message_repeats_the_value_sent() {
    let schema = Schema::data::<SignUp>();
    let secret = "hunter2";
    let found = problems(&schema, json!({ "email": secret, "password": secret }));
    let text = serde_json::to_string(&found).expect("problems serialise");
    assert!(!text.contains(secret), "{text}");
}

#[test]
fn an_array_is_checked_record_by_record() {
    let schema = Schema::data::<Message>();
    let found = problems(&schema, json!([{ "text": "fine" }, { "text": "" }, {}]));
    let paths: Vec<&str> = found
        .iter()
        .map(|p| p["instancePath"].as_str().expect("a path"))
        .collect();
    assert_eq!(paths, ["/1/text", "/2"], "{found:#?}");
    assert!(schema.check_records(&json!([{ "text": "a" }])).is_ok());
}

#[test]
fn a_flood_of_bad_records_reports_a_bounded_number_of_problems() {
    let schema = Schema::data::<Message>();
    let records: Vec<Value> = (0..10_000).map(|_| json!({ "text": "" })).collect();
    let found = schema
        .check_records(&Value::Array(records))
        .expect_err("all invalid");
    assert_eq!(found.len(), MAX_PROBLEMS);
}

#[test]
fn fields_the_server_sets_are_in_the_result_and_not_in_the_data() {
    let data = Schema::data::<Message>();
    let result = Schema::result::<Message>();
    assert_eq!(data.properties(), ["text"]);
    assert_eq!(result.properties(), ["id", "text", "userId"]);
}

#[test]
fn a_partial_keeps_every_rule_but_requires_nothing() {
    let schema = Schema::data::<Partial<Message>>();
    assert!(schema.check(&json!({})).is_ok());
    assert!(schema.check(&json!({ "text": "changed" })).is_ok());
    let found = problems(&schema, json!({ "text": "x".repeat(1001) }));
    assert_eq!(found[0]["keyword"], "maxLength");
    let partial: Partial<Message> =
        serde_json::from_value(json!({ "text": "changed" })).expect("an object");
    assert_eq!(partial.into_value(), json!({ "text": "changed" }));
}

#[test]
fn a_value_accepts_anything_and_checks_nothing() {
    assert!(Schema::data::<Value>().accepts_anything());
    let schemas = ServiceSchemas::new().with_data("create", Some(Schema::data::<Value>()));
    assert!(schemas.data("create").is_none());
}

#[test]
fn the_query_schema_names_the_public_fields_only() {
    let schemas = ServiceSchemas::new()
        .with_data("create", Some(Schema::data::<Message>()))
        .with_result(Some(Schema::result::<Message>()));
    let hidden = vec!["userId".to_owned()];
    assert_eq!(
        schemas.queryable(&hidden),
        Some(vec!["id".to_owned(), "text".to_owned()])
    );
    let json = schemas.to_json(&hidden);
    assert!(json["result"]["properties"].get("userId").is_none());
    assert_eq!(
        json["create"]["data"]["properties"]["text"]["maxLength"],
        1000
    );
    // The query schema is itself a schema, and it says what a query may hold.
    let query = Schema::from_json(json["query"].clone()).expect("a valid schema");
    assert!(query
        .check(&json!({ "text": { "$in": ["a"] }, "$sort": { "id": -1 }, "$limit": 5 }))
        .is_ok());
    assert!(query
        .check(&json!({ "$or": [{ "id": { "$gt": 2 } }] }))
        .is_ok());
    assert!(query.check(&json!({ "userId": 1 })).is_err());
    assert!(query.check(&json!({ "$sort": { "userId": 1 } })).is_err());
    assert!(query.check(&json!({ "text": { "$like": "%a%" } })).is_ok());
    assert!(query.check(&json!({ "id": { "$like": "1%" } })).is_err());
    assert!(query.check(&json!({ "text": { "$regex": "." } })).is_err());
}

#[derive(Deserialize, JsonSchema)]
#[allow(dead_code)]
struct BadPattern {
    #[schemars(regex(pattern = "(unclosed"))]
    code: String,
}

#[test]
fn a_rule_that_does_not_compile_is_reported_not_skipped() {
    let schema = Schema::data::<BadPattern>();
    assert!(schema.broken().is_some());
    assert!(!schema.accepts_anything());
    let schemas = ServiceSchemas::new().with_data("create", Some(schema));
    assert_eq!(schemas.broken().map(|(method, _)| method), Some("create"));
    let schema = Schema::data::<BadPattern>();
    assert!(
        schema.check(&json!({ "code": "x" })).is_err(),
        "refused, not skipped"
    );
}

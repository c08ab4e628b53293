//! The REST transport, driven through `app.router()`: verbs to methods, ids and route
//! placeholders, `X-Service-Method`, status codes, headers set by services, and
//! Feathers' error answers (docs/protocol.md, "REST").

mod rest_support;

use axum::body::Body;
use feathers_runtime::prelude::*;
use http::{Request, StatusCode};
use rest_support::{app, call, call_json, call_with, error_json, send};

const JSON_UTF8: &str = "application/json; charset=utf-8";

#[tokio::test]
async fn get_without_id_is_find_with_rest_params() {
    let reply = call(&app(), "GET", "/echo").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some(JSON_UTF8));
    assert_eq!(
        reply.json(),
        json!({
            "method": "find", "id": null, "data": null, "query": {}, "route": {},
            "provider": "rest", "queryFromUrl": true, "xTest": null
        })
    );
}

#[tokio::test]
async fn get_with_id_is_get_and_the_id_is_a_string() {
    let reply = call(&app(), "GET", "/echo/5?x=y").await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.json();
    assert_eq!(body["method"], "get");
    assert_eq!(body["id"], "5");
    assert_eq!(body["query"], json!({"x": "y"}));
    // Trailing slashes do not matter.
    assert_eq!(call(&app(), "GET", "/echo/").await.json()["method"], "find");
}

#[tokio::test]
async fn percent_encoded_ids_are_decoded() {
    // The rest-client sends ids through encodeURIComponent.
    let body = call(&app(), "GET", "/echo/a%2Fb%20c").await.json();
    assert_eq!(body["id"], "a/b c");
    let body = call(&app(), "GET", "/echo/caf%C3%A9").await.json();
    assert_eq!(body["id"], "café");
}

#[tokio::test]
async fn post_is_create_with_201() {
    let reply = call_json(&app(), "POST", "/echo", r#"{"a":1}"#).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.header("content-type"), Some(JSON_UTF8));
    let body = reply.json();
    assert_eq!(body["method"], "create");
    assert_eq!(body["data"], json!({"a": 1}));
    assert_eq!(body["id"], Value::Null);
    let multi = call_json(&app(), "POST", "/echo", r#"[{"a":1},{"a":2}]"#).await;
    assert_eq!(multi.status, StatusCode::CREATED);
    assert_eq!(multi.json()["data"], json!([{"a": 1}, {"a": 2}]));
}

#[tokio::test]
async fn post_with_an_id_creates_and_drops_the_id() {
    let reply = call_json(&app(), "POST", "/echo/77", r#"{"a":1}"#).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let body = reply.json();
    assert_eq!(body["method"], "create");
    assert_eq!(body["id"], Value::Null);
}

#[tokio::test]
async fn put_patch_and_delete_with_and_without_id() {
    let app = app();
    let cases = [
        ("PUT", "/echo/1", "update", json!("1")),
        ("PUT", "/echo", "update", Value::Null),
        ("PATCH", "/echo/2", "patch", json!("2")),
        ("PATCH", "/echo?done=false", "patch", Value::Null),
        ("DELETE", "/echo/3", "remove", json!("3")),
        ("DELETE", "/echo", "remove", Value::Null),
    ];
    for (verb, uri, method, id) in cases {
        let reply = if verb == "DELETE" {
            call(&app, verb, uri).await
        } else {
            call_json(&app, verb, uri, r#"{"a":2}"#).await
        };
        assert_eq!(reply.status, StatusCode::OK, "{verb} {uri}");
        let body = reply.json();
        assert_eq!(body["method"], method, "{verb} {uri}");
        assert_eq!(body["id"], id, "{verb} {uri}");
        let data = if verb == "DELETE" {
            Value::Null
        } else {
            json!({"a": 2})
        };
        assert_eq!(body["data"], data, "{verb} {uri}");
    }
    let patched = call_json(&app, "PATCH", "/echo?done=false", "{}").await;
    assert_eq!(patched.json()["query"], json!({"done": "false"}));
}

#[tokio::test]
async fn route_placeholders_reach_params_route() {
    let app = app();
    let body = call(&app, "GET", "/users/7/messages").await.json();
    assert_eq!(body["method"], "find");
    assert_eq!(body["route"], json!({"userId": "7"}));
    let body = call(&app, "GET", "/users/7/messages/3?x=1").await.json();
    assert_eq!(body["method"], "get");
    assert_eq!(body["id"], "3");
    assert_eq!(body["route"], json!({"userId": "7"}));
    assert_eq!(body["query"], json!({"x": "1"}));
    let body = call(&app, "GET", "/users/a%20b/messages/x%2Fy%20z")
        .await
        .json();
    assert_eq!(body["route"], json!({"userId": "a b"}));
    assert_eq!(body["id"], "x/y z");
}

#[tokio::test]
async fn request_headers_reach_params() {
    let request = Request::builder()
        .uri("/echo")
        .header("X-Test", "hello")
        .body(Body::empty())
        .expect("a valid request");
    assert_eq!(send(&app(), request).await.json()["xTest"], "hello");
}

#[tokio::test]
async fn unknown_paths_are_404_page_not_found() {
    let app = app();
    let reply = call(&app, "GET", "/todos/1/2").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.header("content-type"), Some(JSON_UTF8));
    let mut expected = error_json("NotFound", "Page not found", 404, "not-found");
    expected["data"] = json!({"url": "/todos/1/2"});
    assert_eq!(reply.json(), expected);
    // Express reports `req.url`, query included.
    let reply = call(&app, "POST", "/nope?a=1").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.json()["data"], json!({"url": "/nope?a=1"}));
    // Deeper than a service plus an id, or with an empty segment.
    assert_eq!(
        call(&app, "GET", "/echo/1/2").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call(&app, "GET", "/echo//1").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(call(&app, "GET", "/").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_root_service_answers_at_slash() {
    let app = App::builder()
        .service_at("/", rest_support::Echo::full())
        .build()
        .expect("the app builds");
    assert_eq!(call(&app, "GET", "/").await.json()["method"], "find");
    let body = call(&app, "GET", "/5").await.json();
    assert_eq!(
        (body["method"].clone(), body["id"].clone()),
        (json!("get"), json!("5"))
    );
}

#[tokio::test]
async fn methods_the_service_lacks_are_405() {
    let app = app();
    for (verb, method) in [
        ("POST", "create"),
        ("PUT", "update"),
        ("PATCH", "patch"),
        ("DELETE", "remove"),
    ] {
        let reply = call_json(&app, verb, "/readonly/1", "{}").await;
        assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{verb}");
        assert_eq!(reply.header("content-type"), Some(JSON_UTF8));
        assert_eq!(
            reply.json(),
            error_json(
                "MethodNotAllowed",
                &format!("Method `{method}` is not supported by this endpoint."),
                405,
                "method-not-allowed"
            ),
            "{verb}"
        );
    }
    assert_eq!(
        call(&app, "GET", "/jobs").await.message(),
        "Method `find` is not supported by this endpoint."
    );
}

#[tokio::test]
async fn other_verbs_are_405() {
    let app = app();
    for verb in ["OPTIONS", "TRACE", "PURGE"] {
        let reply = call(&app, verb, "/echo").await;
        assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{verb}");
        assert_eq!(
            reply.json(),
            error_json(
                "MethodNotAllowed",
                &format!("Method {verb} not allowed"),
                405,
                "method-not-allowed"
            )
        );
    }
}

fn with_method_header(verb: &str, uri: &str, name: &str, body: &str) -> Request<Body> {
    Request::builder()
        .method(verb)
        .uri(uri)
        .header("content-type", "application/json")
        .header("X-Service-Method", name)
        .body(Body::from(body.to_owned()))
        .expect("a valid request")
}

#[tokio::test]
async fn x_service_method_calls_custom_methods() {
    let app = app();
    let reply = send(
        &app,
        with_method_header("POST", "/echo?q=1", "archive", r#"{"hi":1}"#),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.json();
    assert_eq!(body["method"], "archive");
    assert_eq!(body["data"], json!({"hi": 1}));
    assert_eq!(body["query"], json!({"q": "1"}));
    // The header name is case-insensitive; an id in the path is dropped.
    let request = Request::builder()
        .method("POST")
        .uri("/echo/9")
        .header("x-SERVICE-method", "archive")
        .body(Body::empty())
        .expect("a valid request");
    let body = send(&app, request).await.json();
    assert_eq!(body["method"], "archive");
    assert_eq!(body["id"], Value::Null);
    assert_eq!(body["data"], json!({}));
    // A service with only a custom method.
    let reply = send(&app, with_method_header("POST", "/jobs", "run", "{}")).await;
    assert_eq!(reply.json()["method"], "run");
}

#[tokio::test]
async fn x_service_method_naming_a_standard_or_missing_method_is_405() {
    let app = app();
    let cases = [
        ("POST", "create", "create"),
        ("POST", "find", "find"),
        ("POST", "nope", "nope"),
        ("POST", "Archive", "Archive"),
        // On other verbs the header counts only when it names a standard method.
        ("GET", "find", "find"),
        ("GET", "create", "find"),
        ("PATCH", "patch", "patch"),
    ];
    for (verb, name, reported) in cases {
        let reply = send(&app, with_method_header(verb, "/echo", name, "{}")).await;
        assert_eq!(
            reply.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{verb} {name}"
        );
        assert_eq!(
            reply.message(),
            format!("Method `{reported}` is not supported by this endpoint."),
            "{verb} {name}"
        );
    }
    // A custom name on another verb is ignored, as Feathers reads it on POST only.
    let reply = send(&app, with_method_header("GET", "/echo", "archive", "")).await;
    assert_eq!(reply.json()["method"], "find");
    // An empty header is no override.
    let reply = send(&app, with_method_header("POST", "/echo", "", "{}")).await;
    assert_eq!(reply.json()["method"], "create");
}

#[tokio::test]
async fn head_is_get_without_a_body() {
    let app = app();
    let get = call(&app, "GET", "/echo/1").await;
    let head = call(&app, "HEAD", "/echo/1").await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-type"), Some(JSON_UTF8));
    assert_eq!(
        head.header("content-length"),
        Some(get.body.len().to_string().as_str())
    );
    let head_find = call(&app, "HEAD", "/echo").await;
    assert_eq!(head_find.status, StatusCode::OK);
    let missing = call(&app, "HEAD", "/nope").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.is_empty());
    // HEAD needs find or get like GET does.
    assert_eq!(
        call(&app, "HEAD", "/jobs").await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

#[tokio::test]
async fn a_null_result_is_204_without_a_body() {
    let app = app();
    for (verb, uri) in [
        ("GET", "/echo?null=1"),
        ("GET", "/echo/1?null=1"),
        ("POST", "/echo?null=1"),
    ] {
        let reply = call_json(&app, verb, uri, "{}").await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT, "{verb} {uri}");
        assert!(reply.body.is_empty(), "{verb} {uri}");
        assert_eq!(reply.header("content-type"), None);
    }
}

#[tokio::test]
async fn services_set_status_location_and_headers() {
    let app = app();
    let reply = call(&app, "GET", "/echo?status=202").await;
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    assert_eq!(reply.json()["method"], "find");
    // A status set explicitly wins over create's 201 and a null body's 204.
    assert_eq!(
        call_json(&app, "POST", "/echo?status=200", "{}")
            .await
            .status,
        StatusCode::OK
    );
    let reply = call(&app, "GET", "/echo?status=200&null=1").await;
    assert_eq!((reply.status, reply.json()), (StatusCode::OK, Value::Null));
    assert_eq!(reply.body.as_ref(), b"null");
    // A status with no body allowed sends none.
    let reply = call(&app, "GET", "/echo?status=204").await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert!(reply.body.is_empty());
    // Location: 303, percent-encoded as encodeurl does.
    let reply = call(
        &app,
        "POST",
        "/echo?location=%2Fa%20b%2F%C3%BC%3Fx%3D%2541%25zz",
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), Some("/a%20b/%C3%BC?x=%41%25zz"));
    let reply = call(&app, "GET", "/echo?location=%2Fthere&status=201").await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.header("location"), Some("/there"));
    // Headers are copied.
    let reply = call(&app, "GET", "/echo?header=yes").await;
    assert_eq!(reply.header("x-custom"), Some("yes"));
    assert_eq!(reply.header("content-type"), Some(JSON_UTF8));
    // An impossible status is ignored.
    assert_eq!(
        call(&app, "GET", "/echo?status=99").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn dispatch_is_sent_instead_of_the_result() {
    let reply = call(&app(), "GET", "/echo?dispatch=1").await;
    assert_eq!(reply.json(), json!({"dispatched": true}));
}

#[tokio::test]
async fn service_errors_answer_with_their_code_and_json() {
    let reply = call(&app(), "GET", "/echo/1?fail=1").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.header("content-type"), Some(JSON_UTF8));
    let mut expected = error_json("Unprocessable", "Cannot do that", 422, "unprocessable");
    expected["data"] = json!({"field": "text"});
    assert_eq!(reply.json(), expected);
}

#[tokio::test]
async fn a_panic_is_a_500_that_leaks_nothing() {
    let app = app();
    let reply = call(&app, "GET", "/echo?panic=1").await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        reply.json(),
        error_json(
            "GeneralError",
            "Internal server error",
            500,
            "general-error"
        )
    );
    assert!(!String::from_utf8_lossy(&reply.body).contains("secret"));
    // The app keeps serving.
    assert_eq!(call(&app, "GET", "/echo").await.status, StatusCode::OK);
}

#[tokio::test]
async fn bad_queries_are_400() {
    let app = app();
    let many: Vec<String> = (0..1001).map(|i| format!("k{i}=1")).collect();
    let reply = call(&app, "GET", &format!("/echo?{}", many.join("&"))).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json()["name"], "BadRequest");
    let reply = call(&app, "GET", "/echo?a[b]=1&a=2").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn no_odd_request_panics() {
    let app = app();
    let uris = [
        "/echo?%",
        "/echo?%ZZ=%ZZ",
        "/echo?[=]&]]=[[",
        "/echo?&&&",
        "/echo?=",
        "/echo/%",
        "/echo/%FF%FE",
        "/%",
        "/users/%ZZ/messages/%",
        "/echo?a[99999999999999999999]=1",
    ];
    for uri in uris {
        let reply = call_with(&app, "POST", uri, Some("application/json"), "{\"a\":").await;
        assert!(reply.status.is_client_error(), "{uri}: {}", reply.status);
        assert!(reply.json()["className"].is_string(), "{uri}");
        let reply = call(&app, "GET", uri).await;
        assert!(
            reply.status.is_success() || reply.status.is_client_error(),
            "{uri}"
        );
    }
}

//! REST request bodies and query strings: JSON and form bodies, empty bodies, the size
//! limit (declared and streamed), malformed and unsupported bodies, and the query
//! strings the rest-client sends (docs/protocol.md, "REST").

mod rest_support;

use std::time::Duration;

use axum::body::Body;
use bytes::Bytes;
use feathers_runtime::prelude::*;
use futures_util::stream;
use http::{Request, StatusCode};
use rest_support::{app, app_with, call, call_json, call_with, send};

fn small_limit() -> App {
    app_with(|rest| rest.body_limit = 1024)
}

#[tokio::test]
async fn the_rest_client_query_string_arrives_parsed() {
    let uri = "/echo?%24limit=10&name%5B%24in%5D%5B0%5D=a&name%5B%24in%5D%5B1%5D=b&%24sort%5Bn%5D=-1&flag=true&nil=";
    let body = call(&app(), "GET", uri).await.json();
    assert_eq!(
        body["query"],
        json!({"$limit": "10", "name": {"$in": ["a", "b"]}, "$sort": {"n": "-1"}, "flag": "true", "nil": ""})
    );
    assert_eq!(body["queryFromUrl"], true);
}

#[tokio::test]
async fn long_in_lists_arrive_as_arrays() {
    let query: Vec<String> = (0..30)
        .map(|i| format!("id%5B%24in%5D%5B{i}%5D={i}"))
        .collect();
    let body = call(&app(), "GET", &format!("/echo?{}", query.join("&")))
        .await
        .json();
    let expected: Vec<String> = (0..30).map(|i| i.to_string()).collect();
    assert_eq!(body["query"], json!({"id": {"$in": expected}}));
}

#[tokio::test]
async fn query_limits_come_from_the_settings() {
    let app = app_with(|rest| {
        rest.query_depth = 1;
        rest.query_parameter_limit = 2;
    });
    let body = call(&app, "GET", "/echo?a[b][c]=1").await.json();
    assert_eq!(body["query"], json!({"a": {"b": {"[c]": "1"}}}));
    assert_eq!(
        call(&app, "GET", "/echo?a=1&b=2&c=3").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn json_bodies_with_any_json_content_type() {
    let app = app();
    for content_type in [
        Some("application/json"),
        Some("application/json; charset=utf-8"),
        Some("Application/JSON"),
        Some("application/vnd.api+json"),
        None,
    ] {
        let reply = call_with(&app, "POST", "/echo", content_type, r#"{"text":"hi"}"#).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{content_type:?}");
        assert_eq!(
            reply.json()["data"],
            json!({"text": "hi"}),
            "{content_type:?}"
        );
    }
}

#[tokio::test]
async fn an_empty_body_is_an_empty_object() {
    let app = app();
    for content_type in [Some("application/json"), None, Some("text/plain")] {
        let reply = call_with(&app, "POST", "/echo", content_type, "").await;
        assert_eq!(reply.status, StatusCode::CREATED, "{content_type:?}");
        assert_eq!(reply.json()["data"], json!({}), "{content_type:?}");
    }
    let reply = call_with(&app, "PATCH", "/echo/1", Some("application/json"), "").await;
    assert_eq!(reply.json()["data"], json!({}));
}

#[tokio::test]
async fn malformed_json_is_400_with_the_parse_error() {
    let reply = call_json(&app(), "POST", "/echo", r#"{"a":"#).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let body = reply.json();
    assert_eq!(body["name"], "BadRequest");
    assert_eq!(body["className"], "bad-request");
    let message = reply.message();
    assert!(
        message.starts_with("Invalid JSON in the request body: "),
        "{message}"
    );
    assert!(message.contains("line 1 column 5"), "{message}");
}

#[tokio::test]
async fn json_bodies_must_be_objects_or_arrays() {
    let app = app();
    for body in ["\"text\"", "5", "null", "true"] {
        let reply = call_json(&app, "POST", "/echo", body).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(
            reply.message(),
            "The JSON request body must be an object or an array"
        );
    }
}

#[tokio::test]
async fn deeply_nested_json_is_400_not_a_crash() {
    let body = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let reply = call_json(&app(), "POST", "/echo", &body).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn form_bodies_use_the_query_syntax() {
    let reply = call_with(
        &app(),
        "POST",
        "/echo",
        Some("application/x-www-form-urlencoded"),
        "text=hello+world&tags[]=a&tags[]=b&user%5Bname%5D=Ann",
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(
        reply.json()["data"],
        json!({"text": "hello world", "tags": ["a", "b"], "user": {"name": "Ann"}})
    );
}

#[tokio::test]
async fn other_content_types_are_400() {
    let app = app();
    for content_type in [
        "text/plain",
        "multipart/form-data; boundary=x",
        "application/xml",
    ] {
        let reply = call_with(&app, "POST", "/echo", Some(content_type), "hello").await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{content_type}");
        let message = reply.message();
        assert!(message.starts_with("Unsupported Content-Type"), "{message}");
    }
}

#[tokio::test]
async fn bodies_up_to_the_limit_are_read() {
    let data = format!(r#"{{"t":"{}"}}"#, "x".repeat(1024 - 8));
    assert_eq!(data.len(), 1024);
    let reply = call_json(&small_limit(), "POST", "/echo", &data).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let over = format!(r#"{{"t":"{}"}}"#, "x".repeat(1024 - 7));
    let reply = call_json(&small_limit(), "POST", "/echo", &over).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
}

/// A body stream that fails when read: a request over the limit by its Content-Length
/// is 413 whatever reading the rest of it does (throwing it away ignores the error).
fn unreadable() -> Body {
    Body::from_stream(stream::iter([Err::<Bytes, std::io::Error>(
        std::io::Error::other("must not be read"),
    )]))
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_413_even_when_the_body_fails() {
    let request = Request::builder()
        .method("POST")
        .uri("/echo")
        .header("content-type", "application/json")
        .header("content-length", "2048")
        .body(unreadable())
        .expect("a valid request");
    let reply = send(&small_limit(), request).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        reply.json(),
        json!({
            "name": "PayloadTooLarge",
            "message": "The request body is larger than the limit of 1024 bytes",
            "code": 413,
            "className": "payload-too-large"
        })
    );
}

#[tokio::test]
async fn a_streamed_body_over_the_limit_is_413_without_reading_it_all() {
    // An endless body without Content-Length: only a reader that stops at the limit
    // answers at all.
    let chunk = Bytes::from(vec![b' '; 300]);
    let endless = stream::repeat_with(move || Ok::<Bytes, std::io::Error>(chunk.clone()));
    let request = Request::builder()
        .method("POST")
        .uri("/echo")
        .header("content-type", "application/json")
        .body(Body::from_stream(endless))
        .expect("a valid request");
    let reply = tokio::time::timeout(Duration::from_secs(30), send(&small_limit(), request))
        .await
        .expect("the answer comes without reading the whole body");
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_body_in_many_chunks_is_joined() {
    let chunks: Vec<Result<Bytes, std::io::Error>> = ["{\"te", "xt\":", "\"hi\"", "}"]
        .into_iter()
        .map(|part| Ok(Bytes::from(part)))
        .collect();
    let request = Request::builder()
        .method("POST")
        .uri("/echo")
        .header("content-type", "application/json")
        .body(Body::from_stream(stream::iter(chunks)))
        .expect("a valid request");
    let reply = send(&app(), request).await;
    assert_eq!(reply.json()["data"], json!({"text": "hi"}));
}

#[tokio::test]
async fn a_body_that_fails_to_read_is_400() {
    let request = Request::builder()
        .method("POST")
        .uri("/echo")
        .header("content-type", "application/json")
        .body(unreadable())
        .expect("a valid request");
    let reply = send(&app(), request).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.message(), "The request body could not be read");
}

#[tokio::test]
async fn bodies_of_methods_without_data_are_not_read() {
    // find, get and remove take no data: an unreadable body does not matter.
    let app = app();
    for (verb, uri) in [("GET", "/echo"), ("GET", "/echo/1"), ("DELETE", "/echo/1")] {
        let request = Request::builder()
            .method(verb)
            .uri(uri)
            .body(unreadable())
            .expect("a valid request");
        let reply = send(&app, request).await;
        assert_eq!(reply.status, StatusCode::OK, "{verb} {uri}");
        assert_eq!(reply.json()["data"], Value::Null);
    }
}

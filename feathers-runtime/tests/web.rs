//! The web settings of the router: static files where they exist (with caching,
//! compression and the page security headers) and the API's answer elsewhere; CORS
//! only for the configured origins, for REST and Socket.io long-polling.

use axum::body::Body;
use feathers_runtime::prelude::*;
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A folder with an index.html, a script and a file named like the service.
fn page_dir() -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("web-test-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let page = format!(
        "<!doctype html><title>Chat</title>{}",
        "<p>hello</p>".repeat(200)
    );
    std::fs::write(dir.join("index.html"), page).expect("writes");
    std::fs::write(dir.join("app.js"), "console.log('app')").expect("writes");
    std::fs::write(dir.join("todos"), "not the service").expect("writes");
    dir
}

fn app(dir: Option<&std::path::Path>, origins: &[&str]) -> App {
    let mut builder = App::builder()
        .service_at("todos", MemoryService::new())
        .cors_origins(origins.iter().copied());
    if let Some(dir) = dir {
        builder = builder.static_files(dir);
    }
    builder.build().expect("the app builds")
}

async fn send(app: &App, request: Request<Body>) -> http::Response<Body> {
    app.router().oneshot(request).await.expect("infallible")
}

fn get(uri: &str) -> http::request::Builder {
    Request::builder().uri(uri)
}

async fn text(response: http::Response<Body>) -> String {
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[tokio::test]
async fn the_page_is_served_with_caching_compression_and_security_headers() {
    let dir = page_dir();
    let app = app(Some(&dir), &[]);
    let response = send(&app, get("/").body(Body::empty()).expect("a request")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "text/html");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    let csp = headers["content-security-policy"].to_str().expect("text");
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(headers["cache-control"], "no-cache");
    let modified = headers["last-modified"].clone();
    assert!(text(response).await.starts_with("<!doctype html>"));

    let again = send(
        &app,
        get("/index.html")
            .header("if-modified-since", modified)
            .body(Body::empty())
            .expect("a request"),
    )
    .await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    let compressed = send(
        &app,
        get("/")
            .header("accept-encoding", "gzip")
            .body(Body::empty())
            .expect("a request"),
    )
    .await;
    assert_eq!(compressed.headers()["content-encoding"], "gzip");
    let size = compressed
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes()
        .len();
    assert!(size < 2000, "the 2.4 kB page is compressed to {size} bytes");

    let script = send(&app, get("/app.js").body(Body::empty()).expect("a request")).await;
    assert_eq!(script.status(), StatusCode::OK);
    assert_eq!(script.headers()["x-content-type-options"], "nosniff");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn services_win_and_missing_files_get_the_api_answer() {
    let dir = page_dir();
    let app = app(Some(&dir), &[]);
    let todos = send(&app, get("/todos").body(Body::empty()).expect("a request")).await;
    assert_eq!(todos.status(), StatusCode::OK);
    assert_eq!(
        text(todos).await,
        "[]",
        "the service, not the file named todos"
    );

    let missing = send(
        &app,
        get("/nothing/here").body(Body::empty()).expect("a request"),
    )
    .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.headers().get("content-security-policy").is_none());
    let body: Value = serde_json::from_str(&text(missing).await).expect("JSON");
    assert_eq!(body["name"], "NotFound");

    let created = send(
        &app,
        Request::post("/todos")
            .header("content-type", "application/json")
            .body(Body::from(r#"{"a":1}"#))
            .expect("a request"),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);

    let without = self::app(None, &[]);
    let root = send(&without, get("/").body(Body::empty()).expect("a request")).await;
    assert_eq!(root.status(), StatusCode::NOT_FOUND, "no folder, no page");
    let _ = std::fs::remove_dir_all(&dir);
}

fn preflight(origin: &str, uri: &str) -> Request<Body> {
    Request::options(uri)
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type,x-service-method",
        )
        .body(Body::empty())
        .expect("a request")
}

#[tokio::test]
async fn cors_answers_only_the_configured_origins() {
    let open = app(None, &["http://localhost:5173"]);
    let answer = send(&open, preflight("http://localhost:5173", "/todos")).await;
    assert!(answer.status().is_success(), "{}", answer.status());
    let headers = answer.headers();
    assert_eq!(
        headers["access-control-allow-origin"],
        "http://localhost:5173"
    );
    let allowed = headers["access-control-allow-headers"]
        .to_str()
        .expect("text")
        .to_ascii_lowercase();
    for name in ["authorization", "content-type", "x-service-method"] {
        assert!(allowed.contains(name), "{allowed}");
    }

    let refused = send(&open, preflight("http://evil.example", "/todos")).await;
    assert!(refused
        .headers()
        .get("access-control-allow-origin")
        .is_none());

    let found = send(
        &open,
        get("/todos")
            .header("origin", "http://localhost:5173")
            .body(Body::empty())
            .expect("a request"),
    )
    .await;
    assert_eq!(found.status(), StatusCode::OK);
    assert_eq!(
        found.headers()["access-control-allow-origin"],
        "http://localhost:5173"
    );

    let polling = send(
        &open,
        get("/socket.io/?EIO=4&transport=polling")
            .header("origin", "http://localhost:5173")
            .body(Body::empty())
            .expect("a request"),
    )
    .await;
    assert_eq!(polling.status(), StatusCode::OK);
    assert_eq!(
        polling.headers()["access-control-allow-origin"],
        "http://localhost:5173"
    );

    // The default: no CORS headers at all.
    let closed = app(None, &[]);
    for request in [
        preflight("http://localhost:5173", "/todos"),
        get("/todos")
            .header("origin", "http://localhost:5173")
            .body(Body::empty())
            .expect("a request"),
    ] {
        let answer = send(&closed, request).await;
        assert!(answer
            .headers()
            .get("access-control-allow-origin")
            .is_none());
    }
}

#[test]
fn bad_origins_are_found_at_startup() {
    let app = app(None, &["http://ok.example", "bad\norigin"]);
    assert!(feathers_runtime::check_web_config(&app).is_err());
    let mixed = self::app(None, &["*", "http://ok.example"]);
    assert!(feathers_runtime::check_web_config(&mixed).is_err());
    assert!(feathers_runtime::check_web_config(&self::app(None, &["*"])).is_ok());
}

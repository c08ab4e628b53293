//! What the REST tests share: a hand-written service that echoes its call, an app with
//! it on several paths, and requests driven through `app.router()` without a network.

#![allow(dead_code)]

use axum::body::Body;
use bytes::Bytes;
use feathers_runtime::prelude::*;
use feathers_runtime::{Method, Service};
use http::{HeaderMap, HeaderValue, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A service that answers with what it received. Query flags change its behaviour:
/// `status`, `location` and `header` set `ctx.http`; `null` returns null; `fail` fails
/// with 422; `panic` panics; `dispatch` sets `ctx.dispatch`.
pub struct Echo {
    methods: Vec<Method>,
}

impl Echo {
    /// Every standard method and the custom method `archive`.
    pub fn full() -> Echo {
        let mut methods = Method::STANDARD.to_vec();
        methods.push(Method::custom("archive"));
        Echo { methods }
    }

    pub fn only(methods: &[Method]) -> Echo {
        Echo {
            methods: methods.to_vec(),
        }
    }
}

fn flag(ctx: &HookContext, name: &str) -> Option<String> {
    ctx.params
        .query
        .get(name)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn echo(ctx: &mut HookContext) -> Result<Value> {
    if let Some(status) = flag(ctx, "status") {
        ctx.http.status = status.parse().ok();
    }
    if let Some(location) = flag(ctx, "location") {
        ctx.http.location = Some(location);
    }
    if let Some(header) = flag(ctx, "header") {
        let value = HeaderValue::from_str(&header).map_err(|_| Error::bad_request("bad header"))?;
        ctx.http.headers.insert("x-custom", value);
    }
    if flag(ctx, "panic").is_some() {
        panic!("secret internal detail");
    }
    if flag(ctx, "fail").is_some() {
        return Err(Error::unprocessable("Cannot do that").with_data(json!({"field": "text"})));
    }
    if flag(ctx, "null").is_some() {
        return Ok(Value::Null);
    }
    if flag(ctx, "dispatch").is_some() {
        ctx.dispatch = Some(json!({"dispatched": true}));
    }
    Ok(json!({
        "method": ctx.method().as_str(),
        "id": ctx.id.as_ref().map(Id::to_value),
        "data": ctx.data,
        "query": ctx.params.query,
        "route": ctx.params.route,
        "provider": ctx.params.provider.as_ref().map(|provider| provider.as_str()),
        "queryFromUrl": ctx.params.query_from_url,
        "xTest": ctx.params.headers.get("x-test").and_then(|value| value.to_str().ok()),
    }))
}

impl Service for Echo {
    fn methods(&self) -> Vec<Method> {
        self.methods.clone()
    }

    async fn call(&self, ctx: &mut HookContext) -> Result<Value> {
        echo(ctx)
    }
}

/// `echo` (everything), `readonly` (find and get), `users/:userId/messages`
/// (everything) and `jobs` (only the custom method `run`).
pub fn app() -> App {
    app_with(|_| {})
}

/// [`app`] with other REST settings.
pub fn app_with(rest: impl FnOnce(&mut feathers_runtime::RestSettings)) -> App {
    App::builder()
        .configure(rest)
        .service_at("echo", Echo::full())
        .service_at("readonly", Echo::only(&[Method::Find, Method::Get]))
        .service_at("users/:userId/messages", Echo::full())
        .service_at("jobs", Echo::only(&[Method::custom("run")]))
        .build()
        .expect("the test app builds")
}

/// A response, read to the end.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    /// The body as JSON; `Value::Null` when it is not JSON (or empty).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The `message` of an error body.
    pub fn message(&self) -> String {
        self.json()["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

pub async fn send(app: &App, request: Request<Body>) -> Reply {
    let response = match app.router().oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let (parts, body) = response.into_parts();
    let body = body
        .collect()
        .await
        .map(|collected| collected.to_bytes())
        .expect("the response body reads");
    Reply {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

/// A request without a body.
pub async fn call(app: &App, method: &str, uri: &str) -> Reply {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::empty())
        .expect("a valid request");
    send(app, request).await
}

/// A request with a JSON body, as the rest-client sends it.
pub async fn call_json(app: &App, method: &str, uri: &str, body: &str) -> Reply {
    call_with(app, method, uri, Some("application/json"), body).await
}

/// A request with a body of any content type (`None`: no Content-Type header).
pub async fn call_with(
    app: &App,
    method: &str,
    uri: &str,
    content_type: Option<&str>,
    body: &str,
) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("accept", "application/json");
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let request = request
        .body(Body::from(body.to_owned()))
        .expect("a valid request");
    send(app, request).await
}

/// The JSON of a Feathers error, as the clients receive it.
pub fn error_json(name: &str, message: &str, code: u16, class_name: &str) -> Value {
    json!({"name": name, "message": message, "code": code, "className": class_name})
}

//! `#[service]` registers the service for `App::from_registered()` unless
//! `register = false`; `#[app_hooks]` registers hooks that run for every service.

#![deny(warnings)]

use std::sync::Mutex;

use feathers_runtime::prelude::*;

static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());

async fn app_log(ctx: &mut HookContext) -> Result<()> {
    LOG.lock().unwrap().push(format!("app {}", ctx.path()));
    Ok(())
}

#[app_hooks]
fn logging() -> Hooks {
    Hooks::new().before(app_log)
}

async fn service_log(ctx: &mut HookContext) -> Result<()> {
    LOG.lock().unwrap().push(format!("service {}", ctx.path()));
    Ok(())
}

#[derive(Default)]
struct Comments;

#[service("posts/:post_id/comments")]
#[before(service_log)]
impl Comments {
    async fn find(&self, params: Params) -> Result<Value> {
        Ok(json!({ "post": params.route_param("post_id") }))
    }
}

/// Not registered, so it needs no `Default`.
struct Unlisted {
    answer: u32,
}

#[service("unlisted", register = false)]
impl Unlisted {
    async fn get(&self, id: u32) -> Result<u32> {
        Ok(self.answer + id)
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = App::from_registered().unwrap();
    assert_eq!(app.paths().collect::<Vec<_>>(), ["posts/:post_id/comments"]);
    let comments = app.lookup("posts/12/comments").unwrap();
    let ctx = app
        .call(&comments, feathers_runtime::Method::Find, None, Value::Null, Params::default())
        .await
        .unwrap();
    assert_eq!(ctx.result, Some(json!({"post": "12"})));
    assert_eq!(
        *LOG.lock().unwrap(),
        ["app posts/:post_id/comments", "service posts/:post_id/comments"]
    );

    let app = App::builder()
        .service(Unlisted { answer: 40 })
        .build()
        .unwrap();
    let got = app.service("unlisted").unwrap().get(2, Params::default()).await.unwrap();
    assert_eq!(got, json!(42));
}

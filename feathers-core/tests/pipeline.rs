//! The call pipeline: hook order at every level and kind, short-circuits, error
//! recovery, panics, and the events that follow a call.

use std::sync::{Arc, Mutex};

use feathers_core::{
    App, AroundHook, Error, Hook, HookContext, Hooks, Method, Next, Params, Result, Service,
};
use futures_util::StreamExt;
use serde_json::{json, Value};

type Log = Arc<Mutex<Vec<String>>>;

fn entries(log: &Log) -> Vec<String> {
    log.lock().map(|l| l.clone()).unwrap_or_default()
}

/// A hook that records its name, and optionally fails or sets a result.
#[derive(Clone)]
struct Rec {
    name: &'static str,
    log: Log,
    fail: bool,
    set_result: Option<Value>,
}

fn rec(name: &'static str, log: &Log) -> Rec {
    Rec {
        name,
        log: log.clone(),
        fail: false,
        set_result: None,
    }
}

impl Hook for Rec {
    async fn run(&self, ctx: &mut HookContext) -> Result<()> {
        if let Ok(mut log) = self.log.lock() {
            log.push(format!("{}:{}", self.name, ctx.kind().as_str()));
        }
        if let Some(result) = &self.set_result {
            ctx.result = Some(result.clone());
        }
        if self.fail {
            return Err(Error::bad_request(format!("{} failed", self.name)));
        }
        Ok(())
    }
}

struct AroundRec(&'static str, Log);

impl AroundHook for AroundRec {
    async fn run(&self, ctx: &mut HookContext, next: Next) -> Result<()> {
        if let Ok(mut log) = self.1.lock() {
            log.push(format!("{}:pre", self.0));
        }
        let outcome = next.run(ctx).await;
        if let Ok(mut log) = self.1.lock() {
            log.push(format!("{}:post", self.0));
        }
        outcome
    }
}

/// A service whose methods record themselves; `get` with id "boom" panics and with
/// id "fail" fails.
struct Things {
    log: Log,
}

impl Service for Things {
    fn methods(&self) -> Vec<Method> {
        vec![
            Method::Find,
            Method::Get,
            Method::Create,
            Method::Remove,
            Method::custom("shout"),
        ]
    }

    fn events(&self) -> Vec<String> {
        vec!["shouted".into()]
    }

    async fn call(&self, ctx: &mut HookContext) -> Result<Value> {
        if let Ok(mut log) = self.log.lock() {
            log.push("method".into());
        }
        match (ctx.method(), ctx.id.as_ref().map(|id| id.to_string())) {
            (Method::Get, Some(id)) if id == "boom" => panic!("the method exploded"),
            (Method::Get, Some(id)) if id == "fail" => Err(Error::not_found("no such thing")),
            (Method::Get, Some(id)) => Ok(json!({ "id": id })),
            (Method::Create, _) => Ok(ctx.data.clone()),
            (Method::Remove, _) => {
                Ok(json!([{ "id": 1, "secret": "a" }, { "id": 2, "secret": "b" }]))
            }
            _ => Ok(json!([])),
        }
    }
}

fn things(log: &Log) -> Things {
    Things { log: log.clone() }
}

#[tokio::test]
async fn hooks_run_in_feathers_order_for_every_kind_and_level() {
    let log: Log = Arc::default();
    let app_hooks = Hooks::new()
        .around(AroundRec("app.around.all", log.clone()))
        .around_on("get", AroundRec("app.around.get", log.clone()))
        .before(rec("app.before.all", &log))
        .before_on("get", rec("app.before.get", &log))
        .after(rec("app.after.all", &log))
        .after_on("get", rec("app.after.get", &log));
    let service_hooks = Hooks::new()
        .around(AroundRec("svc.around.all", log.clone()))
        .around_on("get", AroundRec("svc.around.get", log.clone()))
        .before(rec("svc.before.all", &log))
        .before_on("get", rec("svc.before.get", &log))
        .after(rec("svc.after.all", &log))
        .after_on("get", rec("svc.after.get", &log));
    let app = App::builder()
        .hooks(app_hooks)
        .service_at("things", things(&log))
        .service_hooks("things", service_hooks)
        .build()
        .expect("app builds");

    app.service("things")
        .expect("registered")
        .get(1, Params::default())
        .await
        .expect("get succeeds");

    assert_eq!(
        entries(&log),
        [
            "app.around.all:pre",
            "app.around.get:pre",
            "app.before.all:before",
            "app.before.get:before",
            "svc.around.all:pre",
            "svc.around.get:pre",
            "svc.before.all:before",
            "svc.before.get:before",
            "method",
            "svc.after.all:after",
            "svc.after.get:after",
            "svc.around.get:post",
            "svc.around.all:post",
            "app.after.all:after",
            "app.after.get:after",
            "app.around.get:post",
            "app.around.all:post",
        ]
    );
}

#[tokio::test]
async fn a_hook_for_several_methods_runs_for_each_of_them_and_no_other() {
    let log: Log = Arc::default();
    let app = App::builder()
        .service_at("things", things(&log))
        .service_hooks(
            "things",
            Hooks::new()
                .before_on(["get", "create"], rec("guard", &log))
                .before_on("get", rec("get only", &log)),
        )
        .build()
        .expect("app builds");
    let things = app.service("things").expect("registered");
    things.get(1, Params::default()).await.expect("get");
    things
        .create(json!({"text": "x"}), Params::default())
        .await
        .expect("create");
    things.find(Params::default()).await.expect("find");
    assert_eq!(
        entries(&log),
        [
            "guard:before",
            "get only:before",
            "method",
            "guard:before",
            "method",
            "method"
        ]
    );
}

#[tokio::test]
async fn error_hooks_run_method_first_then_all_service_before_app() {
    let log: Log = Arc::default();
    let app = App::builder()
        .hooks(
            Hooks::new()
                .error(rec("app.error.all", &log))
                .error_on("get", rec("app.error.get", &log)),
        )
        .service_at("things", things(&log))
        .service_hooks(
            "things",
            Hooks::new()
                .error(rec("svc.error.all", &log))
                .error_on("get", rec("svc.error.get", &log)),
        )
        .build()
        .expect("app builds");

    let err = app
        .service("things")
        .expect("registered")
        .get("fail", Params::default())
        .await;
    assert_eq!(err.err().map(|e| e.code()), Some(404));
    assert_eq!(
        entries(&log),
        [
            "method",
            "svc.error.get:error",
            "svc.error.all:error",
            "app.error.get:error",
            "app.error.all:error"
        ]
    );
}

#[tokio::test]
async fn a_before_hook_that_sets_the_result_skips_the_method_but_not_the_event() {
    let log: Log = Arc::default();
    let mut short = rec("short", &log);
    short.set_result = Some(json!({"id": 9, "from": "hook"}));
    let app = App::builder()
        .service_at("things", things(&log))
        .service_hooks("things", Hooks::new().before_on("create", short))
        .build()
        .expect("app builds");
    let service = app.service("things").expect("registered");
    let mut events = service.subscribe("created");

    let result = service
        .create(json!({"text": "x"}), Params::default())
        .await
        .expect("create");
    assert_eq!(result, json!({"id": 9, "from": "hook"}));
    assert_eq!(entries(&log), ["short:before"], "the method must not run");
    let event = events.next().await.expect("an event");
    assert_eq!(event.data, json!({"id": 9, "from": "hook"}));
}

#[tokio::test]
async fn an_error_hook_can_recover_with_a_result_or_replace_the_error() {
    struct Recover;
    impl Hook for Recover {
        async fn run(&self, ctx: &mut HookContext) -> Result<()> {
            assert_eq!(ctx.error.as_ref().map(|e| e.code()), Some(404));
            ctx.result = Some(json!({"recovered": true}));
            Ok(())
        }
    }
    struct Replace;
    impl Hook for Replace {
        async fn run(&self, ctx: &mut HookContext) -> Result<()> {
            ctx.error = Some(Error::forbidden("replaced"));
            Ok(())
        }
    }
    let log: Log = Arc::default();
    let recovering = App::builder()
        .service_at("things", things(&log))
        .service_hooks("things", Hooks::new().error(Recover))
        .build()
        .expect("app builds");
    let value = recovering
        .service("things")
        .expect("registered")
        .get("fail", Params::default())
        .await;
    assert_eq!(value.ok(), Some(json!({"recovered": true})));

    let replacing = App::builder()
        .service_at("things", things(&log))
        .service_hooks("things", Hooks::new().error(Replace))
        .build()
        .expect("app builds");
    let err = replacing
        .service("things")
        .expect("registered")
        .get("fail", Params::default())
        .await;
    assert_eq!(
        err.err().map(|e| (e.code(), e.message().to_owned())),
        Some((403, "replaced".to_owned()))
    );
}

#[tokio::test]
async fn a_failing_hook_gives_the_caller_the_error_and_emits_no_event() {
    let log: Log = Arc::default();
    let mut failing = rec("failing", &log);
    failing.fail = true;
    let app = App::builder()
        .service_at("things", things(&log))
        .service_hooks("things", Hooks::new().after(failing))
        .build()
        .expect("app builds");
    let service = app.service("things").expect("registered");
    let seen: Log = Arc::default();
    let seen_by_listener = seen.clone();
    service.on("created", move |event| {
        if let Ok(mut seen) = seen_by_listener.lock() {
            seen.push(event.data.to_string());
        }
    });

    let err = service.create(json!({"a": 1}), Params::default()).await;
    assert_eq!(
        err.err().map(|e| e.message().to_owned()),
        Some("failing failed".to_owned())
    );
    assert!(entries(&seen).is_empty(), "no event after a failed call");
}

#[tokio::test]
async fn a_panic_in_a_method_or_hook_is_a_500_for_that_call_only() {
    let log: Log = Arc::default();
    struct Panics;
    impl Hook for Panics {
        async fn run(&self, _ctx: &mut HookContext) -> Result<()> {
            panic!("the hook exploded")
        }
    }
    let app = App::builder()
        .service_at("things", things(&log))
        .service_hooks("things", Hooks::new().before_on("find", Panics))
        .build()
        .expect("app builds");
    let service = app.service("things").expect("registered");

    let err = service
        .get("boom", Params::default())
        .await
        .expect_err("an error");
    assert_eq!((err.code(), err.message()), (500, "Internal server error"));
    assert!(
        !err.message().contains("exploded"),
        "panic details stay in the log"
    );
    let err = service.find(Params::default()).await.expect_err("an error");
    assert_eq!(err.code(), 500);
    assert_eq!(
        service.get(7, Params::default()).await.ok(),
        Some(json!({"id": "7"}))
    );
}

#[tokio::test]
async fn array_results_emit_one_event_per_item_with_the_matching_dispatch_item() {
    struct Protect;
    impl Hook for Protect {
        async fn run(&self, ctx: &mut HookContext) -> Result<()> {
            let mut safe = ctx.result.clone().unwrap_or(Value::Null);
            if let Value::Array(items) = &mut safe {
                for item in items {
                    if let Value::Object(map) = item {
                        map.remove("secret");
                    }
                }
            }
            ctx.dispatch = Some(safe);
            Ok(())
        }
    }
    let log: Log = Arc::default();
    let app = App::builder()
        .service_at("things", things(&log))
        .service_hooks("things", Hooks::new().after(Protect))
        .build()
        .expect("app builds");
    let service = app.service("things").expect("registered");
    let mut events = service.subscribe_all();

    service
        .remove(None, Params::default())
        .await
        .expect("remove");
    let first = events.next().await.expect("first event");
    let second = events.next().await.expect("second event");
    assert_eq!(
        (first.event.as_str(), second.event.as_str()),
        ("removed", "removed")
    );
    assert_eq!(first.data, json!({"id": 1, "secret": "a"}));
    assert_eq!(first.client_data(), &json!({"id": 1}));
    assert_eq!(second.client_data(), &json!({"id": 2}));
}

#[tokio::test]
async fn a_hook_can_suppress_or_rename_the_event() {
    struct Silence;
    impl Hook for Silence {
        async fn run(&self, ctx: &mut HookContext) -> Result<()> {
            ctx.event = None;
            Ok(())
        }
    }
    let log: Log = Arc::default();
    let app = App::builder()
        .service_at("things", things(&log))
        .service_hooks("things", Hooks::new().before(Silence))
        .build()
        .expect("app builds");
    let service = app.service("things").expect("registered");
    let seen: Log = Arc::default();
    let seen_by_listener = seen.clone();
    service.on_any(move |event| {
        if let Ok(mut seen) = seen_by_listener.lock() {
            seen.push(event.event.clone());
        }
    });
    service
        .create(json!({}), Params::default())
        .await
        .expect("create");
    assert!(entries(&seen).is_empty());
}

#[tokio::test]
async fn custom_events_must_be_declared_and_reach_listeners() {
    let log: Log = Arc::default();
    let app = App::builder()
        .service_at("things", things(&log))
        .build()
        .expect("app builds");
    let service = app.service("things").expect("registered");
    let mut stream = service.subscribe("shouted");
    service
        .emit("shouted", json!({"loud": true}))
        .expect("declared event");
    let undeclared = service.emit("whispered", json!({}));
    assert_eq!(undeclared.err().map(|e| e.code()), Some(500));
    let event = stream.next().await.expect("event");
    assert_eq!(
        (event.event.as_str(), &event.data),
        ("shouted", &json!({"loud": true}))
    );
    assert_eq!(event.method, None);
}

#[tokio::test]
async fn app_wide_listeners_see_every_service_and_calls_from_rust_match_client_calls() {
    let log: Log = Arc::default();
    let app = App::builder()
        .service_at("things", things(&log))
        .service_at("others", things(&log))
        .build()
        .expect("app builds");
    let seen: Log = Arc::default();
    let seen_by_listener = seen.clone();
    app.on_any_event(move |event| {
        if let Ok(mut seen) = seen_by_listener.lock() {
            seen.push(format!("{} {}", event.path, event.event));
        }
    });
    app.service("things")
        .expect("registered")
        .create(json!({}), Params::default())
        .await
        .expect("create");
    app.service("/others/")
        .expect("registered")
        .create(json!({}), Params::default())
        .await
        .expect("create");
    assert_eq!(entries(&seen), ["things created", "others created"]);
}

#[tokio::test]
async fn methods_the_service_lacks_are_method_not_allowed() {
    let log: Log = Arc::default();
    let app = App::builder()
        .service_at("things", things(&log))
        .build()
        .expect("app builds");
    let err = app
        .service("things")
        .expect("registered")
        .update(1, json!({}), Params::default())
        .await;
    let err = err.expect_err("an error");
    assert_eq!(
        (err.code(), err.message()),
        (405, "Method 'update' not allowed on service 'things'")
    );
    assert_eq!(app.service("nope").err().map(|e| e.code()), Some(404));
}

#[test]
fn two_services_on_one_path_fail_naming_both_types() {
    let log: Log = Arc::default();
    let err = App::builder()
        .service_at("things", things(&log))
        .service_at("/things", things(&log))
        .build()
        .expect_err("a duplicate path is refused");
    assert!(err.message().contains("'things'"), "{err}");
    assert_eq!(
        err.message().matches("pipeline::Things").count(),
        2,
        "{err}"
    );
}

#[test]
fn hooks_for_an_unknown_path_and_reserved_method_names_are_refused() {
    let log: Log = Arc::default();
    let err = App::builder()
        .service_at("things", things(&log))
        .service_hooks("nothing", Hooks::new())
        .build()
        .err();
    assert!(err.is_some());

    struct Reserved;
    impl Service for Reserved {
        fn methods(&self) -> Vec<Method> {
            vec![Method::custom("emit")]
        }
        async fn call(&self, _ctx: &mut HookContext) -> Result<Value> {
            Ok(Value::Null)
        }
    }
    let err = App::builder()
        .service_at("r", Reserved)
        .build()
        .expect_err("refused");
    assert!(err.message().contains("reserved"), "{err}");
}

#[tokio::test]
async fn route_placeholders_fill_params_route() {
    struct Echo;
    impl Service for Echo {
        fn methods(&self) -> Vec<Method> {
            vec![Method::Find]
        }
        async fn call(&self, ctx: &mut HookContext) -> Result<Value> {
            Ok(Value::Object(ctx.params.route.clone()))
        }
    }
    let app = App::builder()
        .service_at("users/:userId/messages", Echo)
        .build()
        .expect("app builds");
    let lookup = app.lookup("users/7/messages").expect("matches the pattern");
    let ctx = app
        .call(&lookup, Method::Find, None, Value::Null, Params::default())
        .await
        .expect("find");
    assert_eq!(ctx.result, Some(json!({"userId": "7"})));
    assert!(app.lookup("users/7/other").is_none());
}

async fn noop(_ctx: &mut HookContext) -> Result<()> {
    Ok(())
}

#[test]
fn a_hook_for_a_method_the_service_does_not_have_stops_the_build() {
    // `creat` is a typo: left alone, `create` would run without its hook.
    let built = App::builder()
        .service_at("things", Plain)
        .service_hooks("things", Hooks::new().before_on("creat", noop))
        .build();
    let message = built.expect_err("the build fails").message().to_owned();
    assert!(message.contains("'things'"), "{message}");
    assert!(message.contains("'creat'"), "{message}");
    assert!(
        message.contains("create"),
        "names the methods it has: {message}"
    );
}

#[test]
fn an_app_hook_for_a_method_no_service_has_stops_the_build() {
    let built = App::builder()
        .service_at("things", Plain)
        .hooks(Hooks::new().after_on("remvoe", noop))
        .build();
    let message = built.expect_err("the build fails").message().to_owned();
    assert!(message.contains("'remvoe'"), "{message}");
}

#[test]
fn hooks_for_real_methods_and_standard_methods_a_service_lacks_are_accepted() {
    let built = App::builder()
        .service_at("things", Plain)
        .service_hooks(
            "things",
            Hooks::new()
                .before_on("create", noop)
                .before_on("update", noop),
        )
        .hooks(Hooks::new().before_on("find", noop))
        .build();
    assert!(built.is_ok(), "{:?}", built.err());
}

/// A value one hook hands to the next, by its type rather than a string key.
#[derive(Clone, Debug, PartialEq)]
struct Tenant(u32);

async fn set_tenant(ctx: &mut HookContext) -> Result<()> {
    ctx.params.extensions.insert(Tenant(7));
    Ok(())
}

async fn answer_with_tenant(ctx: &mut HookContext) -> Result<()> {
    let tenant = ctx.params.extensions.get::<Tenant>().cloned();
    ctx.result = Some(json!({ "tenant": tenant.map(|Tenant(id)| id) }));
    Ok(())
}

#[tokio::test]
async fn hooks_hand_typed_values_to_later_hooks_through_params_extensions() {
    let app = App::builder()
        .service_at("things", Plain)
        .service_hooks(
            "things",
            Hooks::new()
                .before_on("find", set_tenant)
                .before_on("find", answer_with_tenant),
        )
        .build()
        .expect("builds");
    let found = app
        .service("things")
        .expect("registered")
        .find(Params::default())
        .await
        .expect("finds");
    assert_eq!(found, json!({ "tenant": 7 }));
}

/// A service with find, get and create that answer at once, for the tests of the
/// build-time checks and of values between hooks.
struct Plain;

impl Service for Plain {
    fn methods(&self) -> Vec<Method> {
        vec![Method::Find, Method::Get, Method::Create]
    }

    async fn call(&self, _ctx: &mut HookContext) -> Result<Value> {
        Ok(json!([]))
    }
}

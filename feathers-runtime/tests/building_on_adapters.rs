//! Services built on an adapter without pass-through methods (`delegate = field`),
//! restricted to the methods clients may call (`methods = [..]`), with a custom method
//! that emits its own service's events (a `ServiceRef` argument); set-up that can fail;
//! hooks with arguments without boxing.

mod rest_support;

use std::sync::{Arc, Mutex};

use feathers_runtime::prelude::*;
use feathers_runtime::{hook_with, Method};
use rest_support::{call, call_json};

/// A room service: the memory adapter plus one custom method, `update` not exposed.
#[derive(Default)]
struct Rooms {
    store: MemoryService,
}

#[service(
    "rooms",
    events = ["archived"],
    delegate = store,
    methods = ["find", "get", "create", "patch", "remove", "archive"],
    register = false
)]
impl Rooms {
    /// Archives a room and tells listeners, through the service's own events.
    #[method]
    async fn archive(&self, data: Value, this: &ServiceRef, params: &Params) -> Result<Value> {
        let id = data["id"]
            .as_i64()
            .ok_or_else(|| Error::bad_request("id is required"))?;
        let archived = self
            .store
            .patch(Some(Id::from(id)), json!({"archived": true}), params)
            .await?;
        this.emit("archived", archived.clone())?;
        Ok(archived)
    }
}

fn app() -> Result<App> {
    App::builder().service(Rooms::default()).build()
}

#[tokio::test]
async fn a_delegate_answers_what_the_block_does_not_define() -> Result<()> {
    let app = app()?;
    let rooms = app.service("rooms")?;
    let created = rooms
        .create(json!({"name": "lobby"}), Params::default())
        .await?;
    assert_eq!(created, json!({"name": "lobby", "id": 0}));
    assert_eq!(rooms.get(0, Params::default()).await?["name"], "lobby");
    let found = rooms
        .find(Params::from_query_value(json!({"name": "lobby"})))
        .await?;
    assert_eq!(found, json!([{"name": "lobby", "id": 0}]));
    let entry = rooms.entry();
    for method in [
        Method::Find,
        Method::Get,
        Method::Create,
        Method::Patch,
        Method::Remove,
    ] {
        assert!(entry.provides(&method), "{method}");
    }
    assert!(entry.provides(&Method::custom("archive")));
    Ok(())
}

#[tokio::test]
async fn methods_restrict_what_clients_may_call_not_what_the_server_may() -> Result<()> {
    let app = app()?;
    let created = call_json(&app, "POST", "/rooms", r#"{"name":"a"}"#).await;
    assert_eq!(created.status, 201);
    let update = call_json(&app, "PUT", "/rooms/0", r#"{"name":"b"}"#).await;
    assert_eq!(
        update.status,
        405,
        "update is not exposed: {:?}",
        update.json()
    );
    // The memory adapter has `update`, so internal calls may use it.
    let updated = app
        .service("rooms")?
        .update(0, json!({"name": "c"}), Params::default())
        .await?;
    assert_eq!(updated["name"], "c");
    assert_eq!(call(&app, "GET", "/rooms/0").await.json()["name"], "c");
    Ok(())
}

#[tokio::test]
async fn a_custom_method_emits_its_own_services_events() -> Result<()> {
    let app = app()?;
    let rooms = app.service("rooms")?;
    rooms
        .create(json!({"name": "lobby"}), Params::default())
        .await?;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    rooms.on("archived", move |event| {
        if let Ok(mut seen) = sink.lock() {
            seen.push(event.data.clone());
        }
    });
    let archived = call_json(&app, "POST", "/rooms", r#"{"id":0}"#).await;
    assert_eq!(archived.status, 201, "a plain POST creates");
    let request = http::Request::builder()
        .method("POST")
        .uri("/rooms")
        .header("content-type", "application/json")
        .header("x-service-method", "archive")
        .body(axum::body::Body::from(r#"{"id":0}"#))
        .map_err(|err| Error::general(err.to_string()))?;
    let reply = rest_support::send(&app, request).await;
    assert_eq!(reply.status, 200, "{:?}", reply.json());
    assert_eq!(reply.json()["archived"], true);
    let seen = seen.lock().map(|seen| seen.clone()).unwrap_or_default();
    assert_eq!(
        seen,
        vec![json!({"name": "lobby", "id": 0, "archived": true})]
    );
    Ok(())
}

#[test]
fn exposing_a_method_the_service_lacks_stops_the_app() {
    #[derive(Default)]
    struct Lobby {
        store: MemoryService,
    }
    #[service("lobby", delegate = store, methods = ["find", "shout"], register = false)]
    impl Lobby {}
    let err = App::builder().service(Lobby::default()).build().err();
    let message = err.map(|err| err.message().to_owned()).unwrap_or_default();
    assert!(message.contains("'shout'"), "{message}");
}

#[test]
fn a_failing_setup_stops_the_build_naming_the_cause() {
    let built = App::builder()
        .service(Rooms::default())
        .setup(|app: &App| -> Result<()> {
            app.service("rooms")?
                .publish(|_, app| vec![app.channel("a")]);
            app.service("no-such-service")?;
            Ok(())
        })
        .build();
    let message = built
        .err()
        .map(|err| err.message().to_owned())
        .unwrap_or_default();
    assert!(message.contains("set-up"), "{message}");
    assert!(message.contains("no-such-service"), "{message}");
}

#[tokio::test]
async fn hooks_take_arguments_and_async_closures_without_boxing() -> Result<()> {
    async fn stamp(ctx: &mut HookContext, field: &&'static str) -> Result<()> {
        ctx.data[*field] = json!(true);
        Ok(())
    }
    let kinds = Arc::new(Mutex::new(Vec::new()));
    let app = App::builder()
        .service(Rooms::default())
        .hooks(
            Hooks::new()
                .before_on("create", hook_with("stamped", stamp))
                .before_on("create", async |ctx: &mut HookContext| {
                    ctx.data["plain"] = json!(1);
                    Ok(())
                })
                .after(hook_with(
                    kinds.clone(),
                    async |ctx: &mut HookContext, kinds: &Arc<Mutex<Vec<HookKind>>>| {
                        if let Ok(mut kinds) = kinds.lock() {
                            kinds.push(ctx.kind());
                        }
                        Ok(())
                    },
                )),
        )
        .build()?;
    let created = app
        .service("rooms")?
        .create(json!({"name": "x"}), Params::default())
        .await?;
    assert_eq!(
        created,
        json!({"name": "x", "stamped": true, "plain": 1, "id": 0})
    );
    assert_eq!(
        kinds.lock().map(|k| k.clone()).unwrap_or_default(),
        vec![HookKind::After]
    );
    Ok(())
}

//! A service with all six standard methods, a custom method, a custom event, hooks of
//! every kind at both levels, a hook with arguments, omitted arguments, typed ids,
//! `&Params` and an `App` argument. `main` calls it and checks the hooks' order.

#![deny(warnings)]

use std::sync::Mutex;

use feathers_runtime::prelude::*;
use feathers_runtime::{ErrorKind, Hook};

static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn log(entry: impl Into<String>) {
    LOG.lock().unwrap().push(entry.into());
}

fn take_log() -> Vec<String> {
    std::mem::take(&mut *LOG.lock().unwrap())
}

async fn log_call(ctx: &mut HookContext) -> Result<()> {
    log(format!("before {}", ctx.method()));
    Ok(())
}

async fn after_all(_ctx: &mut HookContext) -> Result<()> {
    log("after");
    Ok(())
}

async fn error_all(ctx: &mut HookContext) -> Result<()> {
    log(format!("error {}", ctx.error.as_ref().map(|e| e.code()).unwrap_or(0)));
    Ok(())
}

async fn around_all(ctx: &mut HookContext, next: Next) -> Result<()> {
    log("around in");
    next.run(ctx).await?;
    log("around out");
    Ok(())
}

async fn around_create(ctx: &mut HookContext, next: Next) -> Result<()> {
    log("around create in");
    next.run(ctx).await?;
    log("around create out");
    Ok(())
}

async fn after_create(ctx: &mut HookContext) -> Result<()> {
    log("after create");
    if let Some(result) = ctx.result.as_mut() {
        result["checked"] = json!(true);
    }
    Ok(())
}

/// Recovers from a missing record with a placeholder result.
async fn recover_get(ctx: &mut HookContext) -> Result<()> {
    log("error get");
    if ctx.error.as_ref().map(|e| e.code()) == Some(404) {
        ctx.result = Some(json!({"id": 0, "text": "placeholder"}));
    }
    Ok(())
}

/// A hook with an argument: a value implementing `Hook`.
struct Tag(&'static str);

impl Hook for Tag {
    async fn run(&self, ctx: &mut HookContext) -> Result<()> {
        log(format!("tag {}", self.0));
        ctx.params.extra.insert("tag".into(), json!(self.0));
        Ok(())
    }
}

fn tag(name: &'static str) -> impl Hook {
    Tag(name)
}

#[derive(Clone, Serialize, Deserialize)]
struct Message {
    id: u64,
    text: String,
}

#[derive(Deserialize)]
struct NewMessage {
    text: String,
}

#[derive(Default)]
struct Messages {
    records: Mutex<Vec<Message>>,
}

#[service("messages", events = ["typing", "stopped"])]
#[before(log_call)]
#[after(after_all)]
#[error(error_all)]
#[around(around_all)]
impl Messages {
    async fn find(&self, params: Params) -> Result<Vec<Message>> {
        let limit = params.query.get("limit").and_then(Value::as_u64).unwrap_or(10);
        Ok(self.records.lock().unwrap().iter().take(limit as usize).cloned().collect())
    }

    #[error(recover_get)]
    async fn get(&self, id: u64, params: &Params) -> Result<Message> {
        assert!(params.provider.is_none());
        self.records
            .lock()
            .unwrap()
            .iter()
            .find(|m| m.id == id)
            .cloned()
            .ok_or_else(|| Error::not_found(format!("No record for {id}")))
    }

    #[before(tag("create"))]
    #[after(after_create)]
    #[around(around_create)]
    async fn create(&self, data: NewMessage, app: &App, params: Params) -> Result<Message> {
        log("create");
        assert_eq!(params.extra.get("tag"), Some(&json!("create")));
        assert!(app.paths().any(|path| path == "messages"));
        let mut records = self.records.lock().unwrap();
        let message = Message {
            id: records.len() as u64 + 1,
            text: data.text,
        };
        records.push(message.clone());
        Ok(message)
    }

    async fn update(&self, id: Id, data: NewMessage, _params: Params) -> Result<Message> {
        let id = id.as_u64().ok_or_else(|| Error::bad_request("numeric ids only"))?;
        let mut records = self.records.lock().unwrap();
        let record = records
            .iter_mut()
            .find(|m| m.id == id)
            .ok_or_else(|| Error::not_found("no such record"))?;
        record.text = data.text;
        Ok(record.clone())
    }

    async fn patch(&self, id: Option<Id>, data: Value) -> Result<Value> {
        Ok(json!({ "id": id, "data": data }))
    }

    /// Lifetime parameters are allowed.
    async fn remove<'a>(&'a self, id: Option<Id>) -> Result<Value> {
        Ok(json!({ "removed": id }))
    }

    #[method]
    async fn archive(&self, data: Value, app: App) -> Result<Value> {
        Ok(json!({ "archived": data, "services": app.paths().count() }))
    }

    /// Not a service method: left alone.
    fn count(&self) -> usize {
        self.records.lock().unwrap().len()
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let service = Messages::default();
    assert_eq!(service.count(), 0);
    let app = App::builder().service(service).build().unwrap();

    let entry = &app.services()[0];
    let methods: Vec<&str> = entry.methods().iter().map(|m| m.as_str()).collect();
    assert_eq!(methods, ["find", "get", "create", "update", "patch", "remove", "archive"]);
    assert_eq!(entry.custom_events(), ["typing", "stopped"]);

    let messages = app.service("messages").unwrap();
    let created = messages.create(json!({"text": "hi"}), Params::default()).await.unwrap();
    assert_eq!(created, json!({"id": 1, "text": "hi", "checked": true}));
    assert_eq!(
        take_log(),
        [
            "around in",
            "around create in",
            "before create",
            "tag create",
            "create",
            "after",
            "after create",
            "around create out",
            "around out",
        ]
    );

    // A numeric id arrives as a string over REST; `u64` parses either form.
    let got = messages.get("1", Params::default()).await.unwrap();
    assert_eq!(got, json!({"id": 1, "text": "hi"}));
    let bad = messages.get("one", Params::default()).await.unwrap_err();
    assert_eq!(bad.code(), 400);
    take_log();

    // The method's error hook recovers; the service's error hook runs after it.
    let missing = messages.get(7, Params::default()).await.unwrap();
    assert_eq!(missing["text"], "placeholder");
    assert_eq!(take_log(), ["around in", "before get", "error get", "error 404", "around out"]);

    let found = messages
        .find(Params::from_query_value(json!({"limit": 5})))
        .await
        .unwrap();
    assert_eq!(found, json!([{"id": 1, "text": "hi"}]));

    let updated = messages.update(1, json!({"text": "edited"}), Params::default()).await.unwrap();
    assert_eq!(updated["text"], "edited");
    let invalid = messages.update(1, json!({"txt": 1}), Params::default()).await.unwrap_err();
    assert_eq!(invalid.code(), 400);

    let patched = messages.patch(None, json!({"read": true}), Params::default()).await.unwrap();
    assert_eq!(patched, json!({"id": null, "data": {"read": true}}));
    let removed = messages.remove(Some(Id::from(3)), Params::default()).await.unwrap();
    assert_eq!(removed, json!({"removed": 3}));

    let archived = messages.custom("archive", json!([1]), Params::default()).await.unwrap();
    assert_eq!(archived, json!({"archived": [1], "services": 1}));

    let helper = messages.custom("count", json!(null), Params::default()).await.unwrap_err();
    assert_eq!(helper.kind(), ErrorKind::MethodNotAllowed);
    messages.emit("typing", json!({"who": "a"})).unwrap();
}

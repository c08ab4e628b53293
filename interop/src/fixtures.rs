//! Services the interop tests drive, modelled on the fixtures of Feathers' own client
//! tests: a `todos` service that echoes its query, a custom method, route
//! placeholders, null results and every error class.

use feathers_runtime::prelude::*;
use feathers_runtime::ErrorKind;

fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Number(n) => n.as_f64() != Some(0.0),
        _ => true,
    }
}

/// Feathers' client-test fixture: `get` echoes the query and fails on `query.error`;
/// the custom method `shout` emits the custom event `shouted`.
#[derive(Default)]
pub struct Todos;

#[service("todos", events = ["shouted"])]
impl Todos {
    async fn find(&self) -> Result<Value> {
        Ok(json!([{ "id": 0, "text": "some todo", "complete": false }]))
    }

    async fn get(&self, id: Id, params: &Params) -> Result<Value> {
        if params.query.get("error").is_some_and(truthy) {
            return Err(Error::general("Something went wrong"));
        }
        Ok(json!({ "id": id, "text": "some todo", "complete": false, "query": params.query }))
    }

    #[method]
    async fn shout(&self, data: Value, params: Params, app: &App) -> Result<Value> {
        app.service("todos")?.emit("shouted", data.clone())?;
        let provider = params.provider.map(|provider| provider.to_string());
        Ok(json!({ "data": data, "provider": provider, "type": "shout", "query": params.query }))
    }
}

/// Answers `find` with what the transport put in params.
#[derive(Default)]
pub struct Echo;

#[service("echo")]
impl Echo {
    async fn find(&self, params: Params) -> Result<Value> {
        let provider = params.provider.map(|provider| provider.to_string());
        Ok(json!({ "query": params.query, "route": params.route, "provider": provider }))
    }
}

/// A nested path with a placeholder.
#[derive(Default)]
pub struct UserMessages;

#[service("users/:userId/messages")]
impl UserMessages {
    async fn find(&self, params: Params) -> Result<Value> {
        Ok(json!({ "route": params.route }))
    }
}

/// Methods that answer nothing.
#[derive(Default)]
pub struct Nothing;

#[service("nothing")]
impl Nothing {
    async fn get(&self) -> Result<Option<Value>> {
        Ok(None)
    }

    async fn create(&self) -> Result<Option<Value>> {
        Ok(None)
    }
}

/// `get(name)` fails with the error class of that name, carrying `data`.
#[derive(Default)]
pub struct Errors;

#[service("errors")]
impl Errors {
    async fn get(&self, name: String) -> Result<Value> {
        let kind = ErrorKind::from_name(&name).unwrap_or(ErrorKind::GeneralError);
        Err(Error::new(kind, "This is a Feathers error").with_data(json!({ "data": true })))
    }
}

/// Creates records from one object or an array of them, each with an id and a
/// `secret` that `protect` keeps on the server.
#[derive(Default)]
pub struct Batch {
    next_id: std::sync::atomic::AtomicU64,
}

#[service("batch")]
#[after(protect("secret"))]
impl Batch {
    async fn create(&self, data: Value) -> Result<Value> {
        let stamp = |mut record: Value| {
            let id = self
                .next_id
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if let Value::Object(map) = &mut record {
                map.insert("id".into(), json!(id));
                map.insert("secret".into(), json!(format!("secret-{id}")));
            }
            record
        };
        Ok(match data {
            Value::Array(records) => Value::Array(records.into_iter().map(stamp).collect()),
            record => stamp(record),
        })
    }
}

/// Every connection joins `everybody`, which receives every event.
pub fn channels(app: &App) {
    app.on_connection(|connection, app| {
        app.channel("everybody").join(connection);
    });
    app.publish(|_event, app| vec![app.channel("everybody")]);
}

/// The chat example's services plus the fixtures above.
pub fn app() -> App {
    app_with(|builder| builder)
}

/// [`app`] with other settings: `change` gets the builder before the services are
/// added (`|builder| builder.configure(|primus: &mut PrimusSettings| ..)`).
pub fn app_with(
    change: impl FnOnce(feathers_runtime::AppBuilder) -> feathers_runtime::AppBuilder,
) -> App {
    change(App::builder())
        .setup(channels)
        .service(Batch::default())
        .service(chat::Messages::default())
        .service(Todos)
        .service(Echo)
        .service(UserMessages)
        .service(Nothing)
        .service(Errors)
        .build()
        .unwrap_or_else(|err| panic!("the interop app must build: {err}"))
}

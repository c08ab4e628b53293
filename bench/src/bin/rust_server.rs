//! The feathers-rs side of `bench/run.sh`: a memory `messages` service (no
//! pagination), every real-time connection in `everybody`, every event published
//! there; the same app as `bench/feathers/server.mjs`. Listens on 127.0.0.1:PORT.
//!
//! `BENCH_SCHEMAS` measures what schemas and resolvers cost on the same calls:
//! `validate` makes `messages` a typed service whose data has a schema (checked on
//! every create), `populate` gives each message its group's record from a `groups`
//! service (one `find` per call, whatever the page), `resolve` computes a field of
//! every message answered (`#[resolve]`, the record read as its Rust type).

use feathers_runtime::prelude::*;
use feathers_runtime::{MemoryService, RealtimeApp};

/// A message's data, with rules: what the `validate` mode checks on every create.
#[derive(Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct NewMessage {
    #[schemars(length(min = 1, max = 1000))]
    text: String,
    #[schemars(length(max = 20))]
    group: Option<String>,
}

/// `messages` with a schema on `create`, over the same memory store.
#[derive(Default)]
struct Checked {
    store: MemoryService,
}

#[service("messages", register = false, delegate = store)]
impl Checked {
    async fn create(&self, data: NewMessage, params: &Params) -> Result<Value> {
        self.store
            .create(json!({ "text": data.text, "group": data.group }), params)
            .await
    }
}

/// A message as the `resolve` mode answers it: `words` is computed.
#[derive(Serialize, Deserialize, JsonSchema)]
struct Message {
    id: u64,
    text: String,
    group: Option<String>,
    #[serde(default)]
    words: usize,
}

fn count_words(message: &mut Message, _ctx: &HookContext) {
    message.words = message.text.split_whitespace().count();
}

/// `messages` whose answers have a computed field, over the same memory store.
#[derive(Default)]
struct Resolved {
    store: MemoryService,
}

#[service("messages", register = false, delegate = store, result = Message)]
#[resolve(count_words)]
impl Resolved {}

#[tokio::main]
async fn main() -> feathers_runtime::Result<()> {
    feathers_runtime::init_tracing();
    let mode = std::env::var("BENCH_SCHEMAS").unwrap_or_default();
    let builder = match mode.as_str() {
        "validate" => App::builder().service(Checked::default()),
        "populate" => App::builder()
            .service_at("messages", MemoryService::new())
            .service_at("groups", MemoryService::new())
            .service_hooks(
                "messages",
                Hooks::new().after(populate("groupRecord", "groups", "group").matching("name")),
            ),
        "resolve" => App::builder().service(Resolved::default()),
        "" => App::builder().service_at("messages", MemoryService::new()),
        other => {
            panic!("BENCH_SCHEMAS is `validate`, `populate`, `resolve` or unset, not `{other}`")
        }
    };
    let app = builder
        .setup(|app| {
            app.on_connection(|connection, app| {
                app.channel("everybody").join(connection);
            });
            app.publish(|_event, app| vec![app.channel("everybody")]);
        })
        .build()?;
    if mode == "populate" {
        let groups = app.service("groups")?;
        for group in 0..10 {
            let record = json!({ "name": format!("g{group}"), "title": format!("Group {group}") });
            groups.create(record, Params::default()).await?;
        }
    }
    let port = std::env::var("PORT").unwrap_or_else(|_| "3030".to_owned());
    app.serve_at(&format!("127.0.0.1:{port}")).await
}

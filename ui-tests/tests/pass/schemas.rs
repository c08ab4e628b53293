//! A service whose data and records have schemas, with nothing but the prelude: no
//! direct dependency on schemars. The data is checked before the method runs.

use feathers_runtime::prelude::*;

#[derive(Serialize, Deserialize, JsonSchema)]
struct Note {
    id: u64,
    text: String,
}

#[derive(Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct NewNote {
    #[schemars(length(min = 1, max = 20))]
    text: String,
}

#[derive(Default)]
struct Notes {
    store: MemoryService,
}

#[service("notes", register = false, delegate = store, result = Note)]
impl Notes {
    async fn create(&self, data: NewNote, params: &Params) -> Result<Value> {
        self.store.create(json!({ "text": data.text }), params).await
    }

    async fn patch(&self, id: Id, data: Partial<NewNote>, params: &Params) -> Result<Value> {
        self.store.patch(Some(id), data.into_value(), params).await
    }
}

#[tokio::main]
async fn main() {
    let app = App::builder()
        .service(Notes::default())
        .build()
        .expect("builds");
    let notes = app.service("notes").expect("registered");
    let err = notes
        .create(json!({ "text": "" }), Params::default())
        .await
        .expect_err("checked before the method");
    assert_eq!(err.message(), "validation failed");
    let created = notes
        .create(json!({ "text": "fine" }), Params::default())
        .await
        .expect("valid");
    assert_eq!(created["text"], "fine");
    assert!(app.schemas()["notes"]["patch"]["data"].get("required").is_none());
}

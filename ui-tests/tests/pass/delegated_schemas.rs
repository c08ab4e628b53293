//! A service the adapter answers entirely, with its data typed by `data = ..`, a field
//! the server sets and a computed field, with nothing but the prelude.

use feathers_runtime::prelude::*;

#[derive(Serialize, Deserialize, JsonSchema)]
struct Note {
    id: u64,
    text: String,
    #[serde(default)]
    shouted: String,
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

static CHANGES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A hook for the delegated `update` and `patch` only.
async fn count_changes(_ctx: &mut HookContext) -> Result<()> {
    CHANGES.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    Ok(())
}

fn shout(note: &mut Note, _ctx: &HookContext) {
    note.shouted = note.text.to_uppercase();
}

#[service("notes", register = false, delegate = store, data = NewNote, result = Note)]
#[before(created_at("createdAt"))]
#[before(on = ["update", "patch"], count_changes)]
#[resolve(shout)]
impl Notes {}

#[tokio::main]
async fn main() {
    let app = App::builder()
        .service(Notes::default())
        .build()
        .expect("builds");
    let notes = app.service("notes").expect("registered");
    for bad in [json!({ "text": "" }), json!({ "text": "a", "extra": 1 })] {
        let err = notes
            .create(bad, Params::default())
            .await
            .expect_err("checked before the adapter");
        assert_eq!(err.message(), "validation failed");
    }
    let created = notes
        .create(json!({ "text": "fine" }), Params::default())
        .await
        .expect("valid");
    assert_eq!(created["shouted"], "FINE");
    assert!(created["createdAt"].as_i64().is_some_and(|at| at > 0));
    let err = notes
        .patch(
            created["id"].as_i64().map(Id::from),
            json!({ "text": "" }),
            Params::default(),
        )
        .await
        .expect_err("a patch holds to the same rules");
    assert_eq!(err.message(), "validation failed");
    assert_eq!(CHANGES.load(std::sync::atomic::Ordering::SeqCst), 0, "not for create");
    notes
        .patch(
            created["id"].as_i64().map(Id::from),
            json!({ "text": "changed" }),
            Params::default(),
        )
        .await
        .expect("a valid patch");
    assert_eq!(CHANGES.load(std::sync::atomic::Ordering::SeqCst), 1, "once for the patch");
    assert!(app.schemas()["notes"]["patch"]["data"].get("required").is_none());
}

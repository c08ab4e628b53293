//! The adapter conformance suite (the `feathers-conformance` crate) against
//! `MemoryService`, through the full pipeline, plus what data cannot express.

use feathers_conformance as conformance;
use feathers_conformance::{AdapterOptions, Report};
use feathers_runtime::memory::MemoryService;
use feathers_runtime::prelude::*;

/// Builds the memory service a case asks for.
fn memory(path: &str, options: &AdapterOptions) -> Result<App> {
    let service = MemoryService::new().with_adapter_options(options.clone());
    App::builder().service_at(path, service).build()
}

async fn run(file: &str) -> Report {
    conformance::run_file(file, &memory).await
}

#[tokio::test]
async fn the_whole_suite_runs_with_one_call() {
    let report = conformance::run_all(&memory).await;
    report.assert_passed();
    let each: usize = [
        run("find.json").await.runs,
        run("typing.json").await.runs,
        run("pagination.json").await.runs,
        run("methods.json").await.runs,
        run("errors.json").await.runs,
    ]
    .iter()
    .sum();
    assert_eq!(report.runs, each, "run_all runs every file");
}

#[tokio::test]
async fn find_with_the_query_syntax() {
    run("find.json").await.assert_passed();
}

#[tokio::test]
async fn query_strings_compare_by_the_stored_type_and_json_strictly() {
    run("typing.json").await.assert_passed();
}

#[tokio::test]
async fn pagination() {
    run("pagination.json").await.assert_passed();
}

#[tokio::test]
async fn get_create_update_patch_remove() {
    run("methods.json").await.assert_passed();
}

#[tokio::test]
async fn bad_input_is_a_400_and_changes_nothing() {
    run("errors.json").await.assert_passed();
}

#[tokio::test]
async fn the_runner_notices_a_wrong_expectation() {
    // A suite that cannot fail proves nothing: an adapter that ignores the query must
    // fail the find cases.
    fn ignores_queries(path: &str, _: &AdapterOptions) -> Result<App> {
        App::builder()
            .service_at(path, MemoryService::new().multi(true))
            .build()
    }
    let report = conformance::run_file("pagination.json", &ignores_queries).await;
    assert!(!report.failures.is_empty());
}

#[tokio::test]
async fn custom_events_are_declared_and_emitted() -> Result<()> {
    let app = App::builder()
        .service_at("people", MemoryService::new().events(["testing"]))
        .build()?;
    let people = app.service("people")?;
    assert_eq!(people.entry().custom_events(), ["testing".to_owned()]);
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = seen.clone();
    people.on("testing", move |event| {
        if let Ok(mut seen) = sink.lock() {
            seen.push(event.data.clone());
        }
    });
    people.emit("testing", json!({"x": 1}))?;
    assert!(people.emit("other", json!({})).is_err());
    assert_eq!(
        seen.lock().map(|s| s.clone()).unwrap_or_default(),
        vec![json!({"x": 1})]
    );
    Ok(())
}

#[tokio::test]
async fn a_service_of_your_own_can_delegate_to_it() -> Result<()> {
    // What a `#[service]` impl does: hold a MemoryService and call its methods.
    struct Todos {
        store: MemoryService,
    }
    impl Service for Todos {
        fn methods(&self) -> Vec<feathers_runtime::Method> {
            vec![
                feathers_runtime::Method::Find,
                feathers_runtime::Method::Create,
            ]
        }
        async fn call(&self, ctx: &mut HookContext) -> Result<Value> {
            match ctx.method() {
                feathers_runtime::Method::Create => {
                    let mut data = ctx.data.clone();
                    data["done"] = json!(false);
                    self.store.create(data, &ctx.params).await
                }
                _ => self.store.find(&ctx.params).await,
            }
        }
    }
    let store = MemoryService::new().with_records([json!({"text": "seeded", "done": true})])?;
    let app = App::builder()
        .service_at(
            "todos",
            Todos {
                store: store.clone(),
            },
        )
        .build()?;
    let todos = app.service("todos")?;
    todos
        .create(json!({"text": "new"}), Params::default())
        .await?;
    let open = todos
        .find(Params::from_query_value(json!({"done": false})))
        .await?;
    assert_eq!(open, json!([{"text": "new", "done": false, "id": 1}]));
    assert_eq!(store.len(), 2);
    Ok(())
}

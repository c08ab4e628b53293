//! `register_service!` registers a memory service through inventory, so that
//! `App::from_registered()` (and `serve()`) find it without a builder.

use feathers_runtime::memory::MemoryService;
use feathers_runtime::prelude::*;

feathers_runtime::register_service!("todos", MemoryService::new().paginate(10, 50).multi(true));
feathers_runtime::register_service!("api/notes", MemoryService::new().events(["typing"]));

#[tokio::test]
async fn registered_memory_services_are_served() -> Result<()> {
    let app = App::from_registered()?;
    assert_eq!(app.paths().collect::<Vec<_>>(), ["api/notes", "todos"]);
    let todos = app.service("todos")?;
    todos
        .create(json!([{"text": "a"}, {"text": "b"}]), Params::default())
        .await?;
    let page = todos.find(Params::default()).await?;
    assert_eq!(page["total"], json!(2));
    assert_eq!(page["limit"], json!(10));
    let notes = app.service("api/notes")?;
    assert_eq!(notes.entry().custom_events(), ["typing".to_owned()]);
    assert!(notes.entry().type_name().contains("MemoryService::new()"));
    Ok(())
}

#[tokio::test]
async fn each_app_gets_fresh_records() -> Result<()> {
    let first = App::from_registered()?;
    first
        .service("todos")?
        .create(json!({"text": "a"}), Params::default())
        .await?;
    let second = App::from_registered()?;
    assert_eq!(
        second.service("todos")?.find(Params::default()).await?["total"],
        json!(0)
    );
    Ok(())
}

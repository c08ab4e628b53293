//! The expansion as an ordinary test target: `cargo clippy --all-targets -D warnings`
//! lints the generated code here (trybuild's pass cases are not linted) under the
//! workspace lints, `forbid(unsafe_code)` included.

use std::sync::atomic::{AtomicUsize, Ordering};

use feathers_runtime::prelude::*;

static CREATE_HOOK_RUNS: AtomicUsize = AtomicUsize::new(0);

async fn count_create(_ctx: &mut HookContext) -> Result<()> {
    CREATE_HOOK_RUNS.fetch_add(1, Ordering::SeqCst);
    Ok(())
}

async fn pass_through(ctx: &mut HookContext, next: Next) -> Result<()> {
    next.run(ctx).await
}

#[derive(Default)]
struct Echo;

#[service("echo", events = ["echoed"], register = false)]
#[around(pass_through)]
impl Echo {
    async fn find(&self) -> Result<Vec<u8>> {
        Ok(Vec::new())
    }

    async fn get(&self, id: Id, params: &Params) -> Result<Value> {
        Ok(json!({ "id": id, "external": params.is_external() }))
    }

    #[before(count_create)]
    async fn create(&self, data: Value, _app: &App) -> Result<Value> {
        Ok(data)
    }

    #[method]
    async fn shout(&self, data: String) -> Result<String> {
        Ok(data.to_uppercase())
    }
}

/// Registered through inventory: the crate forbids `unsafe_code`, and the registration
/// must still compile.
#[derive(Default)]
struct Registered;

#[service("registered")]
impl Registered {
    async fn find(&self) -> Result<u8> {
        Ok(1)
    }
}

/// A service without methods still expands to valid, lint-free code.
#[derive(Default)]
struct Empty;

#[service("empty", register = false)]
impl Empty {}

#[tokio::test]
async fn method_hooks_run_only_for_their_method() -> Result<()> {
    let app = App::builder().service(Echo).service(Empty).build()?;
    let echo = app.service("echo")?;
    assert_eq!(
        echo.get("a", Params::default()).await?,
        json!({"id": "a", "external": false})
    );
    assert_eq!(CREATE_HOOK_RUNS.load(Ordering::SeqCst), 0);
    assert_eq!(
        echo.create(json!([1]), Params::default()).await?,
        json!([1])
    );
    assert_eq!(CREATE_HOOK_RUNS.load(Ordering::SeqCst), 1);
    assert_eq!(
        echo.custom("shout", json!("hi"), Params::default()).await?,
        json!("HI")
    );
    let empty = app
        .service("empty")?
        .find(Params::default())
        .await
        .expect_err("an error");
    assert_eq!(empty.code(), 405);
    Ok(())
}

#[tokio::test]
async fn only_registered_services_are_collected() -> Result<()> {
    let app = App::from_registered()?;
    assert_eq!(app.paths().collect::<Vec<_>>(), ["registered"]);
    assert_eq!(
        app.service("registered")?.find(Params::default()).await?,
        json!(1)
    );
    Ok(())
}

//! Hook attributes above `#[service]` apply to the whole block like those below it, and
//! all of them keep source order.

#![deny(warnings)]

use std::sync::Mutex;

use feathers_runtime::prelude::*;

static LOG: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

async fn first(_ctx: &mut HookContext) -> Result<()> {
    LOG.lock().unwrap().push("first");
    Ok(())
}

async fn second(_ctx: &mut HookContext) -> Result<()> {
    LOG.lock().unwrap().push("second");
    Ok(())
}

async fn third(_ctx: &mut HookContext) -> Result<()> {
    LOG.lock().unwrap().push("third");
    Ok(())
}

async fn fourth(_ctx: &mut HookContext) -> Result<()> {
    LOG.lock().unwrap().push("fourth");
    Ok(())
}

async fn finally(_ctx: &mut HookContext) -> Result<()> {
    LOG.lock().unwrap().push("after");
    Ok(())
}

async fn method_level(_ctx: &mut HookContext) -> Result<()> {
    LOG.lock().unwrap().push("method");
    Ok(())
}

#[derive(Default)]
struct Things;

#[before(first)]
#[after(finally)]
#[feathers_runtime::before(second)]
#[service("things")]
#[before(third, fourth)]
impl Things {
    #[before(method_level)]
    async fn find(&self) -> Result<Vec<u32>> {
        LOG.lock().unwrap().push("find");
        Ok(vec![1, 2])
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = App::builder().service(Things).build().unwrap();
    let found = app.service("things").unwrap().find(Params::default()).await.unwrap();
    assert_eq!(found, json!([1, 2]));
    assert_eq!(
        *LOG.lock().unwrap(),
        ["first", "second", "third", "fourth", "method", "find", "after"]
    );
}

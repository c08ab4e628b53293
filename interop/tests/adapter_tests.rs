//! The published `@feathersjs/adapter-tests` against `MemoryService`, through
//! `@feathersjs/rest-client` over REST: every test docs/protocol.md ("Adapter tests") lists as remote
//! (runnable through a remote client), plus the `.find + paginate*` tests against a
//! second service configured with their pagination. Over REST every query value is a
//! string, which is where the real Feathers memory adapter fails 8 of them.

use feathers_runtime::memory::{AdapterBuilder, MemoryService};
use feathers_runtime::App;
use feathers_runtime::Serve;
use interop::adapter_tests::run_adapter_tests;

/// The services as adapter-tests expects them: `people` with the custom event
/// `testing`, multi, no pagination; `people-paginated` with `{default: 1, max: 2}`.
fn app() -> App {
    App::builder()
        .service_at(
            "people",
            MemoryService::new().events(["testing"]).multi(true),
        )
        .service_at(
            "people-paginated",
            MemoryService::new().events(["testing"]).paginate(1, 2),
        )
        .build()
        .expect("the app builds")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feathers_adapter_tests_pass_over_rest() {
    let server = app()
        .listen("127.0.0.1:0")
        .await
        .expect("the server starts");
    run_adapter_tests(&server.url()).await;
    server.shutdown().await.expect("the server stops cleanly");
}

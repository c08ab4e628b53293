//! The published `@feathersjs/adapter-tests` against `MemoryService`, through
//! `@feathersjs/rest-client` over REST: every test docs/protocol.md ("Adapter tests") lists as remote
//! (runnable through a remote client), plus the `.find + paginate*` tests against a
//! second service configured with their pagination. Over REST every query value is a
//! string, which is where the real Feathers memory adapter fails 8 of them.

use feathers_runtime::memory::MemoryService;
use feathers_runtime::App;
use feathers_runtime::Serve;
use interop::{js_dir, run_node};

/// The R tests of adapter-tests 5.0.50 (30 methods, 20 syntax), the 4 paginate tests,
/// and `.id`, which is a plain `it()` that runs once per suite.
const EXPECTED_PASSING: usize = 30 + 20 + 4 + 2;

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

/// The number before `label` on mocha's summary line (`  56 passing (120ms)`).
fn mocha_count(output: &str, label: &str) -> usize {
    output
        .lines()
        .rev()
        .find_map(|line| {
            let (count, rest) = line.trim().split_once(' ')?;
            rest.starts_with(label).then(|| count.parse().ok())?
        })
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feathers_adapter_tests_pass_over_rest() {
    for package in ["@feathersjs/adapter-tests", "mocha"] {
        assert!(
            js_dir().join("node_modules").join(package).is_dir(),
            "the npm package {package} is not installed: run `npm ci --prefix interop/js`"
        );
    }
    let server = app()
        .listen("127.0.0.1:0")
        .await
        .expect("the server starts");
    let run = run_node(
        &[
            "node_modules/mocha/bin/mocha.js",
            "--reporter",
            "spec",
            "--timeout",
            "10000",
            "adapter-tests.mjs",
        ],
        &server.url(),
        &[],
    )
    .await;
    println!("{}\n{}", run.stdout, run.stderr);
    assert_eq!(mocha_count(&run.stdout, "failing"), 0, "{}", run.stdout);
    assert_eq!(
        mocha_count(&run.stdout, "passing"),
        EXPECTED_PASSING,
        "every selected adapter test must run and pass:\n{}",
        run.stdout
    );
    assert!(
        !run.stderr.contains("is not part of the test suite"),
        "a test name is misspelt:\n{}",
        run.stderr
    );
    server.shutdown().await.expect("the server stops cleanly");
}

//! Running the published `@feathersjs/adapter-tests` (`js/adapter-tests.mjs`, mocha)
//! against a server whose `people` and `people-paginated` services are set up as the
//! suite expects, for any adapter.

use crate::{js_dir, run_node};

/// The R tests of adapter-tests 5.0.50 (30 methods, 20 syntax), the 4 paginate tests,
/// and `.id`, which is a plain `it()` that runs once per suite.
pub const EXPECTED_PASSING: usize = 30 + 20 + 4 + 2;

/// The number before `label` on mocha's summary line (`  56 passing (120ms)`).
pub fn mocha_count(output: &str, label: &str) -> usize {
    output
        .lines()
        .rev()
        .find_map(|line| {
            let (count, rest) = line.trim().split_once(' ')?;
            rest.starts_with(label).then(|| count.parse().ok())?
        })
        .unwrap_or(0)
}

/// Runs the suite against the server at `url` and checks that every selected test
/// ran and passed.
pub async fn run_adapter_tests(url: &str) {
    for package in ["@feathersjs/adapter-tests", "mocha"] {
        assert!(
            js_dir().join("node_modules").join(package).is_dir(),
            "the npm package {package} is not installed: run `npm ci --prefix interop/js`"
        );
    }
    let run = run_node(
        &[
            "node_modules/mocha/bin/mocha.js",
            "--reporter",
            "spec",
            "--timeout",
            "10000",
            "adapter-tests.mjs",
        ],
        url,
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
}

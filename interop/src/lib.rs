//! Runs the real Feathers JavaScript clients (installed from npm into `interop/js`)
//! against feathers-rs servers started in the test process.
//!
//! Install the clients once with `npm ci --prefix interop/js`; the README's test
//! command does it. A missing `node` or missing packages fail the tests loudly.
#![warn(missing_docs, unreachable_pub)]

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::process::Command;

/// The folder holding the JavaScript side of the interop tests.
pub fn js_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("js")
}

/// How long one JavaScript test file may run.
pub const NODE_TIMEOUT: Duration = Duration::from_secs(120);

/// What a node run printed.
#[derive(Debug)]
pub struct NodeRun {
    /// What the node process wrote to stdout.
    pub stdout: String,
    /// What it wrote to stderr.
    pub stderr: String,
}

/// Runs `args` with node in `interop/js`, with `FEATHERS_URL` set to `url` and the
/// extra environment given, and panics with everything it printed unless it exits 0
/// within [`NODE_TIMEOUT`].
pub async fn run_node(args: &[&str], url: &str, env: &[(&str, &str)]) -> NodeRun {
    let dir = js_dir();
    assert!(
        dir.join("node_modules/@feathersjs/rest-client").is_dir(),
        "the npm packages for the interop tests are not installed: run `npm ci --prefix interop/js` \
         (the README's test command does this)"
    );
    let mut command = Command::new("node");
    command
        .args(args)
        .current_dir(&dir)
        .env("FEATHERS_URL", url)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let child = match command.spawn() {
        Ok(child) => child,
        Err(err) => {
            panic!("cannot start `node` for the interop tests ({err}); install Node.js 20 or newer")
        }
    };
    let output = match tokio::time::timeout(NODE_TIMEOUT, child.wait_with_output()).await {
        Ok(Ok(output)) => output,
        Ok(Err(err)) => panic!("waiting for node failed: {err}"),
        Err(_) => panic!("node {args:?} did not finish within {NODE_TIMEOUT:?}"),
    };
    let run = NodeRun {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        output.status.success(),
        "node {args:?} failed with {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        run.stdout,
        run.stderr
    );
    run
}

/// Runs a `node:test` file and checks it ran tests and none failed.
pub async fn run_node_tests(file: &str, url: &str) -> NodeRun {
    run_node_tests_with(file, url, &[]).await
}

/// [`run_node_tests`] with extra environment variables.
pub async fn run_node_tests_with(file: &str, url: &str, env: &[(&str, &str)]) -> NodeRun {
    let run = run_node(&["--test", "--test-reporter=spec", file], url, env).await;
    let passed = count_after(&run.stdout, "pass ");
    assert!(
        passed > 0,
        "node --test {file} ran no test\n{}\n{}",
        run.stdout,
        run.stderr
    );
    assert_eq!(count_after(&run.stdout, "fail "), 0, "{}", run.stdout);
    run
}

/// Reads the number after a summary label such as `ℹ pass 12`.
fn count_after(output: &str, label: &str) -> usize {
    output
        .lines()
        .rev()
        .find_map(|line| {
            let at = line.find(label)?;
            line[at + label.len()..].trim().parse::<usize>().ok()
        })
        .unwrap_or(0)
}

pub mod adapter_tests;
pub mod auth_fixtures;
pub mod fixtures;
pub mod redis;

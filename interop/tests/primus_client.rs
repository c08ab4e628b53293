//! The real `@feathersjs/primus-client` 4.x with `primus` 8 and `primus-emitter`
//! against the chat example and the fixtures, with events crossing to Socket.io.

use feathers_runtime::Serve;
use interop::{fixtures, run_node_tests};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn primus_client_calls_every_method_and_shares_events_with_socketio() {
    let server = fixtures::app()
        .listen("127.0.0.1:0")
        .await
        .expect("the server starts");
    let run = run_node_tests("primus-client.test.mjs", &server.url()).await;
    assert!(
        run.stdout.contains("pass 5"),
        "expected 5 passing tests\n{}",
        run.stdout
    );
    server.shutdown().await.expect("the server stops cleanly");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_generated_browser_library_is_served_at_primus_js() {
    let library =
        std::env::temp_dir().join(format!("feathers-rs-primus-{}.js", std::process::id()));
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/primus-client.mjs");
    let script = script.to_string_lossy().into_owned();
    let target = library.to_string_lossy().into_owned();
    interop::run_node(&[&script, &target], "unused", &[]).await;
    let generated = std::fs::read_to_string(&library).expect("the script wrote primus.js");
    assert!(
        generated.contains("\"/primus\""),
        "the pathname is baked in"
    );
    assert!(generated.len() > 50_000, "the whole client library");

    let client = library.clone();
    let server = fixtures::app_with(|builder| {
        builder.configure(|primus: &mut feathers_runtime::PrimusSettings| {
            primus.client = Some(client);
        })
    })
    .listen("127.0.0.1:0")
    .await
    .expect("the server starts");
    let run = interop::run_node(
        &[
            "--input-type=module",
            "-e",
            "const r = await fetch(process.env.FEATHERS_URL + '/primus/primus.js'); \
             console.log(r.status, r.headers.get('content-type')); process.stdout.write(await r.text())",
        ],
        &server.url(),
        &[],
    )
    .await;
    assert!(
        run.stdout
            .starts_with("200 text/javascript; charset=utf-8\n"),
        "{}",
        &run.stdout[..80.min(run.stdout.len())]
    );
    assert!(
        run.stdout.ends_with(&generated),
        "the server serves the generated file unchanged"
    );
    server.shutdown().await.expect("the server stops cleanly");
    let _ = std::fs::remove_file(library);
}

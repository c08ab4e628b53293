//! This server has only the default namespace `/`. A CONNECT to another one is refused
//! as Socket.IO refuses an unknown namespace; events, acks and DISCONNECTs addressed to
//! another namespace are not taken for the default one.

mod engine_client;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use engine_client::{connected_ws, next_text, send};
use feathers_runtime::prelude::*;
use feathers_runtime::MemoryService;

async fn start() -> (App, feathers_runtime::Server, Arc<AtomicUsize>) {
    let app = App::builder()
        .service_at("notes", MemoryService::new())
        .build()
        .expect("app builds");
    let created = Arc::new(AtomicUsize::new(0));
    let counter = created.clone();
    app.service("notes")
        .expect("notes")
        .on("created", move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
    let server = app.listen("127.0.0.1:0").await.expect("listens");
    (app, server, created)
}

#[tokio::test]
async fn connecting_to_an_unknown_namespace_is_refused_with_its_name() {
    let (_app, server, _) = start().await;
    let mut ws = connected_ws(server.local_addr()).await;
    send(&mut ws, "40/admin,").await;
    assert_eq!(
        next_text(&mut ws).await,
        r#"44/admin,{"message":"Invalid namespace"}"#
    );
}

#[tokio::test]
async fn packets_for_another_namespace_are_not_handled_as_the_default_one() {
    let (app, server, created) = start().await;
    let mut ws = connected_ws(server.local_addr()).await;
    send(
        &mut ws,
        r#"42/admin,1["create","notes",{"text":"elsewhere"}]"#,
    )
    .await;
    send(&mut ws, "41/admin,").await;
    send(&mut ws, r#"422["create","notes",{"text":"here"}]"#).await;
    // Only the call for `/` is answered, and the session is still open for it.
    let ack = next_text(&mut ws).await;
    assert!(ack.starts_with("432[null,"), "{ack}");
    assert!(ack.contains("here"), "{ack}");
    assert_eq!(created.load(Ordering::SeqCst), 1);
    let found = app
        .service("notes")
        .expect("notes")
        .find(Params::default())
        .await
        .expect("found");
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
}

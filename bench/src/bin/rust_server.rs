//! The feathers-rs side of `bench/run.sh`: a memory `messages` service (no
//! pagination), every real-time connection in `everybody`, every event published
//! there; the same app as `bench/feathers/server.mjs`. Listens on 127.0.0.1:PORT.

use feathers_runtime::{App, MemoryService, RealtimeApp, Serve};

#[tokio::main]
async fn main() -> feathers_runtime::Result<()> {
    feathers_runtime::init_tracing();
    let app = App::builder()
        .service_at("messages", MemoryService::new())
        .setup(|app| {
            app.on_connection(|connection, app| {
                app.channel("everybody").join(connection);
            });
            app.publish(|_event, app| vec![app.channel("everybody")]);
        })
        .build()?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "3030".to_owned());
    app.serve_at(&format!("127.0.0.1:{port}")).await
}

//! `rust_server` with feathers-sync on: the feathers-rs side of `bench/sync.sh`.
//! Shares its events through the Redis at REDIS_URL on the channel FEATHERS_SYNC_KEY,
//! and listens on 127.0.0.1:PORT.

use feathers_runtime::{App, Error, MemoryService, RealtimeApp, Serve};

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
    let sync = feathers_sync::from_env(&app)?
        .ok_or_else(|| Error::general("REDIS_URL must be set for the sync benchmark"))?;
    sync.subscribed().await;
    let port = std::env::var("PORT").unwrap_or_else(|_| "3030".to_owned());
    app.serve_at(&format!("127.0.0.1:{port}")).await
}

//! The feathers-rs side of `bench/sql.sh`: a `SqlService` at `messages` (no
//! pagination) on the table `messages` of DATABASE_URL, the same service as
//! `bench/feathers-sql/server.mjs`. Listens on 127.0.0.1:PORT.

use feathers_runtime::App;
use feathers_runtime::Serve;
use feathers_sql::SqlService;

#[tokio::main]
async fn main() -> feathers_runtime::Result<()> {
    feathers_runtime::init_tracing();
    let url = std::env::var("DATABASE_URL")
        .map_err(|_| feathers_runtime::Error::general("DATABASE_URL is not set"))?;
    let pool = feathers_sql::connect(&url).await?;
    let messages = SqlService::builder(pool, "messages").build().await?;
    let app = App::builder().service_at("messages", messages).build()?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "3030".to_owned());
    app.serve_at(&format!("127.0.0.1:{port}")).await
}

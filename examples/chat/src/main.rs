//! The chat example's server on HOST:PORT (default 127.0.0.1:3030), with its users and
//! messages in `chat.sqlite` in the working directory, or in the database
//! `DATABASE_URL` names. With `REDIS_URL` set, its events are shared with the other
//! instances on that Redis.

#[tokio::main]
async fn main() -> feathers_runtime::Result<()> {
    feathers_runtime::init_tracing();
    let database_url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| chat::DEFAULT_DATABASE_URL.to_owned());
    let app = chat::app(&database_url).await?;
    // Kept until the server stops.
    let sync = feathers_runtime::sync::from_env(&app)?;
    if sync.is_some() {
        tracing::info!("events are shared with other instances through REDIS_URL");
    }
    feathers_runtime::serve_app(&app).await
}

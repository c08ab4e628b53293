//! The chat example's server on HOST:PORT (default 127.0.0.1:3030), with its messages
//! in `chat.sqlite` in the working directory, or in the database `DATABASE_URL` names.

#[tokio::main]
async fn main() -> feathers_runtime::Result<()> {
    feathers_runtime::init_tracing();
    let database_url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| chat::DEFAULT_DATABASE_URL.to_owned());
    let app = chat::app(&database_url).await?;
    feathers_runtime::serve_app(&app).await
}

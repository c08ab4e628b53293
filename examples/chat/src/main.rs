//! The chat example's server on HOST:PORT (default 127.0.0.1:3030), with its messages
//! in `chat.sqlite` in the working directory, or in the database `DATABASE_URL` names.

#[tokio::main]
async fn main() -> feathers_runtime::Result<()> {
    feathers_runtime::init_tracing();
    let database_url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| chat::DEFAULT_DATABASE_URL.to_owned());
    let app = chat::app(&database_url).await?;
    let host = std::env::var("HOST").unwrap_or_else(|_| "127.0.0.1".to_owned());
    let port = std::env::var("PORT").unwrap_or_else(|_| "3030".to_owned());
    let port: u16 = port.parse().map_err(|_| {
        feathers_runtime::Error::general(format!("PORT must be a port number, found '{port}'"))
    })?;
    let address = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    app.serve_at(&address).await
}

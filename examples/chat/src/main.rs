//! The chat example's server: every service of the `chat` crate, on HOST:PORT
//! (default 127.0.0.1:3030).

// Naming the crate links it, so the services it registers are found at startup.
use chat as _;

#[tokio::main]
async fn main() -> feathers_runtime::Result<()> {
    feathers_runtime::serve().await
}

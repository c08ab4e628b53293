//! `DATABASE_URL` may name PostgreSQL: the app migrates its own schema there and keeps
//! the messages in it. Needs the server `scripts/test` provides (DATABASE_URL).

use feathers_runtime::{json, Params};
use sqlx::Executor;

#[tokio::test]
async fn the_chat_keeps_its_messages_in_postgres() {
    let url = std::env::var("DATABASE_URL")
        .ok()
        .filter(|url| url.starts_with("postgres"))
        .unwrap_or_else(|| {
            panic!(
                "this test needs PostgreSQL and DATABASE_URL does not name a server: run \
                 ./scripts/test, or `source scripts/provision/postgres.sh` before cargo test"
            )
        });
    let schema = format!("chat_test_{}", std::process::id());
    let admin = sqlx::PgPool::connect(&url).await.expect("connects");
    admin
        .execute(format!("CREATE SCHEMA {schema}").as_str())
        .await
        .expect("a schema for the test");
    let separator = if url.contains('?') { '&' } else { '?' };
    let scoped = format!("{url}{separator}options=-c%20search_path%3D{schema}");
    let outcome = async {
        let app = chat::app(&scoped).await?;
        let messages = app.service("messages")?;
        messages
            .create(json!({"text": "in postgres"}), Params::default())
            .await?;
        // A second app on the same database (a restart) sees it.
        let again = chat::app(&scoped).await?;
        again.service("messages")?.find(Params::default()).await
    }
    .await;
    admin
        .execute(format!("DROP SCHEMA {schema} CASCADE").as_str())
        .await
        .expect("the test schema is dropped");
    assert_eq!(
        outcome.expect("the app works"),
        json!([{"id": 1, "text": "in postgres"}])
    );
}

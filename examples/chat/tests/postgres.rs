//! `DATABASE_URL` may name PostgreSQL: the app migrates its own schema there (users and
//! messages) and keeps the messages in it. Needs the server `scripts/test` provides (DATABASE_URL).

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
        let auth =
            || feathers_runtime::auth::AuthConfig::new("a secret for the test, long enough....");
        let app = chat::app_with(&scoped, auth(), Default::default()).await?;
        let messages = app.service("messages")?;
        messages
            .create(json!({"text": "in postgres"}), Params::default())
            .await?;
        // A second app on the same database (a restart) sees it.
        let again = chat::app_with(&scoped, auth(), Default::default()).await?;
        again.service("messages")?.find(Params::default()).await
    }
    .await;
    admin
        .execute(format!("DROP SCHEMA {schema} CASCADE").as_str())
        .await
        .expect("the test schema is dropped");
    let page = outcome.expect("the app works");
    assert_eq!(page["total"], 1, "a find is a page: {page}");
    let listed = &page["data"];
    assert_eq!(listed[0]["id"], json!(1), "{listed}");
    assert_eq!(listed[0]["text"], json!("in postgres"), "{listed}");
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
}

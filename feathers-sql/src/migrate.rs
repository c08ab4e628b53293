//! Running the application's sqlx migrations at startup.

use feathers_core::{Error, Result};
use sqlx::migrate::Migrator;

use crate::pool::SqlPool;

/// Applies the migrations not yet applied, in order, and records them (sqlx's
/// `_sqlx_migrations` table). Pass `&sqlx::migrate!()` (the `migrations` folder of
/// the crate) or `&sqlx::migrate!("path")`. A failed migration is an error naming it;
/// the database keeps the migrations applied before it.
///
/// ```no_run
/// # async fn demo() -> feathers_runtime::Result<()> {
/// let pool = feathers_sql::connect("sqlite://chat.sqlite").await?;
/// feathers_sql::migrate(&pool, &sqlx::migrate!("tests/migrations/sqlite")).await?; // your folder
/// # Ok(()) }
/// ```
pub async fn migrate(pool: &SqlPool, migrator: &Migrator) -> Result<()> {
    let outcome = match pool {
        SqlPool::Sqlite(pool) => migrator.run(pool).await,
        SqlPool::Postgres(pool) => migrator.run(pool).await,
    };
    outcome.map_err(|err| Error::general(format!("the database migrations failed: {err}")))
}

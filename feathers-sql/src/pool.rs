//! [`SqlPool`]: the connection pool of a SQL service, SQLite or PostgreSQL, and
//! [`connect`] / [`connect_with`] to open one from a URL with [`PoolSettings`].

use std::str::FromStr;
use std::time::Duration;

use feathers_core::{Error, Result};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

use sqlx::Connection;

use crate::dialect::Dialect;

/// How long a PostgreSQL connection may have been idle before the pool checks it
/// (one round trip) before handing it out.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(1);

/// A connection pool to SQLite or PostgreSQL. Cloning is cheap (sqlx pools are shared).
#[derive(Clone, Debug)]
pub enum SqlPool {
    /// A SQLite database (the library is compiled in: nothing to install).
    Sqlite(SqlitePool),
    /// A PostgreSQL server.
    Postgres(PgPool),
}

impl SqlPool {
    /// The SQL dialect of this pool.
    pub fn dialect(&self) -> Dialect {
        match self {
            SqlPool::Sqlite(_) => Dialect::Sqlite,
            SqlPool::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Closes every connection.
    pub async fn close(&self) {
        match self {
            SqlPool::Sqlite(pool) => pool.close().await,
            SqlPool::Postgres(pool) => pool.close().await,
        }
    }
}

impl From<SqlitePool> for SqlPool {
    fn from(pool: SqlitePool) -> SqlPool {
        SqlPool::Sqlite(pool)
    }
}

impl From<PgPool> for SqlPool {
    fn from(pool: PgPool) -> SqlPool {
        SqlPool::Postgres(pool)
    }
}

impl From<&SqlPool> for SqlPool {
    fn from(pool: &SqlPool) -> SqlPool {
        pool.clone()
    }
}

/// How a pool waits for the database. A call that cannot get a connection in time is
/// a 503 `Unavailable`, so a database that is down or unreachable answers quickly
/// instead of holding every request (sqlx's own default wait is 30 s).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PoolSettings {
    /// The longest a statement waits for a connection: for a free one when all are
    /// busy, or for a new one to open, which on PostgreSQL includes connecting and
    /// logging in, so this is also the connect timeout. Opening the pool
    /// ([`connect_with`]) waits as long for its first connection. Default
    /// [`PoolSettings::DEFAULT_ACQUIRE_TIMEOUT`].
    pub acquire_timeout: Duration,
}

impl PoolSettings {
    /// 5 s: a healthy database on a local network connects in milliseconds and a busy
    /// pool frees a connection in well under a second, so 5 s only runs out when the
    /// database is down, unreachable or overloaded. It is also below the usual 10-30 s
    /// of client and load-balancer timeouts, so the client sees the 503, not a
    /// timeout of its own.
    pub const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

    /// Sets [`acquire_timeout`](Self::acquire_timeout).
    pub fn acquire_timeout(mut self, timeout: Duration) -> PoolSettings {
        self.acquire_timeout = timeout;
        self
    }
}

impl Default for PoolSettings {
    fn default() -> PoolSettings {
        PoolSettings {
            acquire_timeout: PoolSettings::DEFAULT_ACQUIRE_TIMEOUT,
        }
    }
}

/// Opens a pool from a URL with the default [`PoolSettings`]: `postgres://..` (or
/// `postgresql://..`) for PostgreSQL, `sqlite://path`, `sqlite:path` or
/// `sqlite::memory:` for SQLite. A SQLite file is created when missing and opened in
/// WAL mode, with foreign keys on.
///
/// ```no_run
/// # async fn demo() -> feathers_runtime::Result<()> {
/// let pool = feathers_sql::connect("sqlite://chat.sqlite").await?;
/// # Ok(()) }
/// ```
pub async fn connect(url: &str) -> Result<SqlPool> {
    connect_with(url, PoolSettings::default()).await
}

/// Opens a pool from a URL (as [`connect`] reads it) with these settings.
///
/// ```no_run
/// use std::time::Duration;
/// use feathers_sql::PoolSettings;
///
/// # async fn demo() -> feathers_runtime::Result<()> {
/// let settings = PoolSettings::default().acquire_timeout(Duration::from_secs(2));
/// let pool = feathers_sql::connect_with("postgres://app@db/app", settings).await?;
/// # Ok(()) }
/// ```
pub async fn connect_with(url: &str, settings: PoolSettings) -> Result<SqlPool> {
    let failed = |err: sqlx::Error| {
        Error::general(format!("cannot open the database {}: {err}", redacted(url)))
    };
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            // sqlx pings every connection it hands out by default: a second round trip
            // per statement. A connection is pinged only after a pause, when the
            // server may have gone away meanwhile; one broken under load fails its
            // statement and is replaced.
            .test_before_acquire(false)
            .before_acquire(|connection, meta| {
                Box::pin(async move {
                    if meta.idle_for > IDLE_BEFORE_PING {
                        connection.ping().await?;
                    }
                    Ok(true)
                })
            })
            .acquire_timeout(settings.acquire_timeout)
            .connect(url)
            .await
            .map_err(failed)?;
        return Ok(SqlPool::Postgres(pool));
    }
    if url.starts_with("sqlite:") {
        let memory = url.contains(":memory:") || url.contains("mode=memory");
        let mut options = SqliteConnectOptions::from_str(url)
            .map_err(failed)?
            .create_if_missing(true)
            .foreign_keys(true);
        if !memory {
            options = options.journal_mode(SqliteJournalMode::Wal);
        }
        // An in-memory database lives in one connection: the pool must keep exactly
        // that one open.
        let pool_options = if memory {
            SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
        } else {
            // A connection to a file cannot hang up: no ping before each statement.
            SqlitePoolOptions::new()
                .max_connections(8)
                .test_before_acquire(false)
        };
        let pool = pool_options
            .acquire_timeout(settings.acquire_timeout)
            .connect_with(options)
            .await
            .map_err(failed)?;
        return Ok(SqlPool::Sqlite(pool));
    }
    Err(Error::general(format!(
        "unsupported database URL {}: expected postgres://.. or sqlite:..",
        redacted(url)
    )))
}

/// The URL without its password, for messages.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            redacted("postgres://ann:secret@db:5432/x"),
            "postgres://ann:***@db:5432/x"
        );
        assert_eq!(redacted("postgres://db/x"), "postgres://db/x");
        assert_eq!(redacted("sqlite://chat.sqlite"), "sqlite://chat.sqlite");
    }
}

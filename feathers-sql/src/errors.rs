//! Database errors as Feathers errors. What the client may know (a constraint the data
//! broke, naming the column where the database says which) becomes a 400 or 409; a
//! database that cannot be reached (no connection in time, a refused or broken
//! connection, a server shutting down) is a 503 Unavailable, for a client to retry;
//! the database's own text is logged and never sent: anything else is a 500
//! GeneralError with a generic message.

use feathers_core::Error;
use sqlx::error::ErrorKind;

/// The Feathers error for a failed statement on `table`.
pub(crate) fn database_error(table: &str, err: sqlx::Error) -> Error {
    if is_unavailable(&err) {
        tracing::warn!(table, error = %err, "database unavailable");
        return Error::unavailable("The database is unavailable; try again later");
    }
    if let sqlx::Error::Database(db) = &err {
        let column = constraint_column(db.as_ref());
        let named = |what: &str| match &column {
            Some(column) => format!("{what} ('{column}')"),
            None => what.to_owned(),
        };
        let answer = match db.kind() {
            ErrorKind::UniqueViolation => Some(Error::conflict(named(
                "A record with the same unique value already exists",
            ))),
            ErrorKind::NotNullViolation => Some(Error::bad_request(named(
                "A required field is missing or null",
            ))),
            ErrorKind::ForeignKeyViolation => Some(Error::bad_request(
                "The data refers to a record that does not exist, or is still referred to",
            )),
            ErrorKind::CheckViolation => {
                Some(Error::bad_request("The data breaks a check of the table"))
            }
            _ if db.code().is_some_and(|code| code.starts_with("22")) => Some(Error::bad_request(
                "Invalid value: the database cannot store or compare it in that column",
            )),
            _ => None,
        };
        if let Some(answer) = answer {
            tracing::debug!(table, error = %err, "statement refused");
            return answer;
        }
    }
    tracing::error!(table, error = %err, "database error");
    Error::general("Internal database error")
}

/// Whether the error says the database cannot be reached now, rather than that the
/// statement failed: no connection within the pool's acquire timeout, a closed pool,
/// a network or TLS failure (refused, reset, cut), a crashed SQLite worker, or one of
/// PostgreSQL's connection-exception (08xxx), shutdown (57P01-57P03) or
/// too-many-connections (53300) codes.
fn is_unavailable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03" | "53300")
        }),
        _ => false,
    }
}

/// The column a constraint error names, where the database tells.
fn constraint_column(db: &dyn sqlx::error::DatabaseError) -> Option<String> {
    if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
        return pg.column().map(str::to_owned);
    }
    // SQLite: "NOT NULL constraint failed: table.column"
    let message = db.message();
    let (_, names) = message.split_once("failed: ")?;
    let first = names.split(',').next()?.trim();
    first.rsplit('.').next().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::database_error;
    use feathers_core::ErrorKind;

    #[test]
    fn an_unreachable_database_is_a_503_without_its_text() {
        let refused = std::io::Error::new(
            std::io::ErrorKind::ConnectionRefused,
            "connection refused by 10.0.0.7:5432",
        );
        let errors = [
            sqlx::Error::PoolTimedOut,
            sqlx::Error::PoolClosed,
            sqlx::Error::Io(refused),
            sqlx::Error::Tls("certificate expired".into()),
            sqlx::Error::WorkerCrashed,
        ];
        for err in errors {
            let described = err.to_string();
            let answer = database_error("people", err);
            assert_eq!(answer.kind(), ErrorKind::Unavailable, "{described}");
            assert_eq!(answer.code(), 503);
            assert_eq!(
                answer.message(),
                "The database is unavailable; try again later"
            );
        }
    }

    #[test]
    fn other_failures_stay_generic_500s() {
        let answer = database_error("people", sqlx::Error::RowNotFound);
        assert_eq!(answer.code(), 500);
        assert_eq!(answer.message(), "Internal database error");
    }
}

//! Database errors as Feathers errors. What the client may know (a constraint the data
//! broke, naming the column where the database says which) becomes a 400 or 409; the
//! database's own text is logged and never sent: anything else is a 500 GeneralError
//! with a generic message.

use feathers_core::Error;
use sqlx::error::ErrorKind;

/// The Feathers error for a failed statement on `table`.
pub(crate) fn database_error(table: &str, err: sqlx::Error) -> Error {
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

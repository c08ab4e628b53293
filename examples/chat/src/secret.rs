//! The secret that signs the chat's login tokens: `FEATHERS_AUTH_SECRET` when it is set
//! (so several instances accept each other's tokens), else a strong random secret made
//! on first start and kept in a file beside the SQLite database (`chat.secret` beside
//! `chat.sqlite`; in the working directory for other databases), so logins survive
//! restarts without any configuration.

use std::path::{Path, PathBuf};

use feathers_runtime::auth::secret_from_file;
use feathers_runtime::Result;

/// The environment variable that names the secret.
pub const SECRET_VARIABLE: &str = "FEATHERS_AUTH_SECRET";

/// The secret for the app on `database_url`, logging where it comes from.
pub fn auth_secret(database_url: &str) -> Result<String> {
    if let Ok(secret) = std::env::var(SECRET_VARIABLE) {
        tracing::info!("login tokens are signed with the secret in {SECRET_VARIABLE}");
        return Ok(secret);
    }
    let path = secret_path(database_url);
    let (secret, made) = secret_from_file(&path)?;
    if made {
        tracing::info!(
            "made a new secret for login tokens, kept in {} (set {SECRET_VARIABLE} to share one between instances)",
            path.display()
        );
    } else {
        tracing::info!(
            "login tokens are signed with the secret kept in {}",
            path.display()
        );
    }
    Ok(secret)
}

/// Where the secret file of the app on `database_url` is: beside a SQLite database
/// file, with the extension `secret`; else `chat.secret` in the working directory.
pub fn secret_path(database_url: &str) -> PathBuf {
    let file = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or(rest))
        .filter(|path| !path.is_empty() && !path.contains(":memory:"));
    match file {
        Some(path) => Path::new(path).with_extension("secret"),
        None => PathBuf::from("chat.secret"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_lives_beside_a_sqlite_file() {
        assert_eq!(
            secret_path("sqlite://chat.sqlite"),
            PathBuf::from("chat.secret")
        );
        assert_eq!(
            secret_path("sqlite:///tmp/x/db.sqlite?mode=rwc"),
            PathBuf::from("/tmp/x/db.secret")
        );
        assert_eq!(secret_path("sqlite::memory:"), PathBuf::from("chat.secret"));
        assert_eq!(
            secret_path("postgres://u@h/db"),
            PathBuf::from("chat.secret")
        );
    }
}

//! Making and keeping a secret for apps that start without one.

use std::path::Path;

use feathers_core::{Error, Result};

/// A new random secret: 48 random bytes as 96 hex digits.
pub fn generate_secret() -> Result<String> {
    let mut bytes = [0u8; 48];
    getrandom::fill(&mut bytes)
        .map_err(|err| Error::general(format!("no random numbers for a secret: {err}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The secret kept in the file at `path`, made and written there (readable by the
/// owner only) when the file does not exist. Returns the secret and whether it was
/// just made.
pub fn secret_from_file(path: &Path) -> Result<(String, bool)> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let secret = text.trim().to_owned();
            if secret.len() < crate::config::MIN_SECRET_BYTES {
                return Err(Error::general(format!(
                    "the secret in {} is shorter than {} bytes; delete the file to make a new one",
                    path.display(),
                    crate::config::MIN_SECRET_BYTES
                )));
            }
            Ok((secret, false))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            let secret = generate_secret()?;
            write_private(path, &secret).map_err(|err| {
                Error::general(format!(
                    "cannot write the secret to {}: {err}",
                    path.display()
                ))
            })?;
            Ok((secret, true))
        }
        Err(err) => Err(Error::general(format!(
            "cannot read the secret in {}: {err}",
            path.display()
        ))),
    }
}

fn write_private(path: &Path, secret: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(secret.as_bytes())?;
    file.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_made_once_and_kept() {
        let dir = std::env::temp_dir().join(format!("feathers-auth-secret-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("this must succeed");
        let path = dir.join("secret");
        let _ = std::fs::remove_file(&path);
        let (first, made) = secret_from_file(&path).expect("this must succeed");
        assert!(made);
        assert_eq!(first.len(), 96);
        let (second, made) = secret_from_file(&path).expect("this must succeed");
        assert!(!made);
        assert_eq!(first, second);
        assert_ne!(first, generate_secret().expect("this must succeed"));
        std::fs::remove_dir_all(&dir).expect("this must succeed");
    }
}

//! Password hashes: argon2id for new hashes, bcrypt (`$2a$`, `$2b$`, `$2y$`: what
//! Feathers' bcryptjs stores) accepted and marked for an upgrade.
//!
//! Argon2id parameters: 19 MiB of memory, 2 passes, 1 lane, a 16-byte random salt and
//! a 32-byte output (the OWASP recommendation, and the `argon2` crate's defaults).
//! The hash is stored in the PHC string form `$argon2id$v=19$m=19456,t=2,p=1$...`, so
//! hashes made under other parameters keep verifying and are upgraded at login.
//!
//! The app hashes and verifies on [`PasswordWorkers`]: a fixed number of threads, each
//! reusing one 19 MiB block, with a bounded queue in front of them.

mod memory;
mod workers;

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use feathers_core::{Error, Result};

pub use memory::HashMemory;
pub use workers::{HashingOptions, HashingStats, PasswordWorkers};

/// Memory cost in KiB.
pub const ARGON2_MEMORY_KIB: u32 = 19 * 1024;
/// Passes over the memory.
pub const ARGON2_ITERATIONS: u32 = 2;
/// Parallel lanes.
pub const ARGON2_LANES: u32 = 1;
/// Bytes of output.
const OUTPUT_BYTES: usize = 32;

fn hasher() -> Result<Argon2<'static>> {
    let params = Params::new(
        ARGON2_MEMORY_KIB,
        ARGON2_ITERATIONS,
        ARGON2_LANES,
        Some(OUTPUT_BYTES),
    )
    .map_err(|err| internal("argon2 parameters", err))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn internal(what: &str, err: impl std::fmt::Display) -> Error {
    tracing::error!("{what}: {err}");
    Error::general("Could not process the password")
}

/// Hashes `password` with argon2id and a fresh random salt (blocking, and it takes
/// 19 MiB for the time it runs: apps hash on [`PasswordWorkers`] instead).
pub fn hash_password(password: &str) -> Result<String> {
    hash_password_with(password, &mut HashMemory::new())
}

/// [`hash_password`] in `memory`, which is kept for the next hash.
pub fn hash_password_with(password: &str, memory: &mut HashMemory) -> Result<String> {
    let mut raw_salt = [0u8; 16];
    getrandom::fill(&mut raw_salt).map_err(|err| internal("random salt", err))?;
    let salt = SaltString::encode_b64(&raw_salt).map_err(|err| internal("salt", err))?;
    let mut output = [0u8; OUTPUT_BYTES];
    hasher()?
        .hash_password_into_with_memory(
            password.as_bytes(),
            &raw_salt,
            &mut output,
            memory.blocks(),
        )
        .map_err(|err| internal("hashing a password", err))?;
    let output =
        argon2::password_hash::Output::new(&output).map_err(|err| internal("hash output", err))?;
    Ok(format!(
        "$argon2id$v=19$m={ARGON2_MEMORY_KIB},t={ARGON2_ITERATIONS},p={ARGON2_LANES}${}${output}",
        salt.as_str()
    ))
}

/// What checking a password against a stored hash found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verified {
    /// The password does not match (or the hash is not one we read).
    No,
    /// It matches, and the hash is current.
    Yes,
    /// It matches, and the hash should be replaced by a fresh argon2id one (bcrypt, or
    /// argon2 under other parameters).
    YesRehash,
}

/// Checks `password` against `hash` (blocking).
pub fn verify_password(password: &str, hash: &str) -> Verified {
    verify_password_with(password, hash, &mut HashMemory::new())
}

/// [`verify_password`], a current argon2id hash computed in `memory` (hashes under
/// other parameters take memory of their own, once, before their upgrade).
pub fn verify_password_with(password: &str, hash: &str, memory: &mut HashMemory) -> Verified {
    if is_bcrypt(hash) {
        return match bcrypt::verify(password, hash) {
            Ok(true) => Verified::YesRehash,
            _ => Verified::No,
        };
    }
    let Ok(parsed) = PasswordHash::new(hash) else {
        return Verified::No;
    };
    if is_current(&parsed) {
        return match verify_current(password, &parsed, memory) {
            true => Verified::Yes,
            false => Verified::No,
        };
    }
    let Ok(argon) = hasher() else {
        return Verified::No;
    };
    match argon.verify_password(password.as_bytes(), &parsed) {
        Ok(()) => Verified::YesRehash,
        Err(_) => Verified::No,
    }
}

/// A current argon2id hash recomputed in `memory`; outputs compared in constant time.
fn verify_current(password: &str, parsed: &PasswordHash<'_>, memory: &mut HashMemory) -> bool {
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    if expected.len() != OUTPUT_BYTES {
        return false;
    }
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let Ok(argon) = hasher() else {
        return false;
    };
    let mut output = [0u8; OUTPUT_BYTES];
    if argon
        .hash_password_into_with_memory(
            password.as_bytes(),
            salt_bytes,
            &mut output,
            memory.blocks(),
        )
        .is_err()
    {
        return false;
    }
    argon2::password_hash::Output::new(&output).is_ok_and(|output| output == expected)
}

fn is_bcrypt(hash: &str) -> bool {
    ["$2a$", "$2b$", "$2y$"]
        .iter()
        .any(|prefix| hash.starts_with(prefix))
}

fn is_current(hash: &PasswordHash<'_>) -> bool {
    if hash.algorithm.as_str() != "argon2id" || hash.version != Some(0x13) {
        return false;
    }
    let param = |name: &str| hash.params.get_decimal(name);
    param("m") == Some(ARGON2_MEMORY_KIB)
        && param("t") == Some(ARGON2_ITERATIONS)
        && param("p") == Some(ARGON2_LANES)
}

/// A hash of a random password, made once: checking a login for an unknown user
/// against it costs what checking a real user's password costs.
pub(crate) fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let mut secret = [0u8; 24];
        let _ = getrandom::fill(&mut secret);
        let password: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        hash_password(&password).unwrap_or_default()
    })
}

/// [`hash_password`] on the process's shared [`PasswordWorkers`] (default
/// [`HashingOptions`]); an app with authentication hashes on its own.
pub async fn hash_password_async(password: String) -> Result<String> {
    PasswordWorkers::shared().hash(password).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_hashes_verify_and_are_current() {
        let hash = hash_password("correct horse").expect("this must succeed");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert_eq!(verify_password("correct horse", &hash), Verified::Yes);
        assert_eq!(verify_password("wrong horse", &hash), Verified::No);
        assert_ne!(
            hash,
            hash_password("correct horse").expect("this must succeed"),
            "salted"
        );
    }

    #[test]
    fn bcrypt_hashes_from_feathers_verify_and_ask_for_a_rehash() {
        for version in [bcrypt::Version::TwoA, bcrypt::Version::TwoB] {
            let hash = bcrypt::hash_with_result("secret", 4)
                .expect("this must succeed")
                .format_for_version(version);
            assert!(hash.starts_with("$2a$") || hash.starts_with("$2b$"));
            assert_eq!(verify_password("secret", &hash), Verified::YesRehash);
            assert_eq!(verify_password("other", &hash), Verified::No);
        }
    }

    #[test]
    fn argon2_under_other_parameters_asks_for_a_rehash() {
        let params = Params::new(8 * 1024, 1, 1, None).expect("this must succeed");
        let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let salt = SaltString::encode_b64(&[7u8; 16]).expect("this must succeed");
        let hash = argon2::password_hash::PasswordHasher::hash_password(&weak, b"pw", &salt)
            .expect("this must succeed")
            .to_string();
        assert_eq!(verify_password("pw", &hash), Verified::YesRehash);
    }

    #[test]
    fn our_hashes_are_standard_phc_strings() {
        let hash = hash_password("pw").expect("this must succeed");
        let parsed = PasswordHash::new(&hash).expect("this must succeed");
        assert!(Argon2::default().verify_password(b"pw", &parsed).is_ok());
        assert!(Argon2::default()
            .verify_password(b"other", &parsed)
            .is_err());
    }

    #[test]
    fn one_memory_serves_many_hashes() {
        let mut memory = HashMemory::new();
        let first = hash_password_with("a", &mut memory).expect("this must succeed");
        let second = hash_password_with("b", &mut memory).expect("this must succeed");
        assert_eq!(
            verify_password_with("a", &first, &mut memory),
            Verified::Yes
        );
        assert_eq!(
            verify_password_with("b", &second, &mut memory),
            Verified::Yes
        );
        assert_eq!(
            verify_password_with("a", &second, &mut memory),
            Verified::No
        );
    }

    #[test]
    fn garbage_hashes_never_match() {
        assert_eq!(verify_password("pw", ""), Verified::No);
        assert_eq!(verify_password("pw", "pw"), Verified::No);
        assert_eq!(verify_password("pw", "$2b$10$short"), Verified::No);
        assert_eq!(verify_password("pw", dummy_hash()), Verified::No);
    }
}

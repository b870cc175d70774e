//! Password hashes: argon2id with the crate's recommended parameters, computed off the
//! async runtime. A sign-in for an unknown login still costs one verification, so the
//! time taken does not tell which logins exist.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::error::AppError;

/// A hash of a password nobody has (made once, with a random salt), verified against
/// when the login is unknown.
fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("no account has this password").unwrap_or_default())
}

/// The argon2id PHC string of `password`.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Hashes on a blocking thread.
pub async fn hash_async(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .map_err(|e| AppError::Internal(format!("hashing task: {e}")))?
        .map_err(|e| AppError::Internal(format!("hashing: {e}")))
}

/// Whether `password` matches `stored` (or, with no stored hash, spends the same time and
/// says no). A stored value that is not a PHC string never matches.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| decoy().to_owned());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        known && matches
    })
    .await
    .map_err(|e| AppError::Internal(format!("verifying task: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_argon2id_salted_and_verifies_only_its_password() {
        let first = hash("correct horse battery").unwrap_or_default();
        let second = hash("correct horse battery").unwrap_or_default();
        assert!(first.starts_with("$argon2id$"));
        assert_ne!(first, second, "salted");
        let parsed = PasswordHash::new(&first);
        assert!(parsed.is_ok());
        if let Ok(parsed) = parsed {
            let argon = Argon2::default();
            assert!(
                argon
                    .verify_password(b"correct horse battery", &parsed)
                    .is_ok()
            );
            assert!(argon.verify_password(b"wrong", &parsed).is_err());
        }
    }

    #[test]
    fn the_decoy_is_a_valid_hash() {
        assert!(PasswordHash::new(decoy()).is_ok());
    }
}

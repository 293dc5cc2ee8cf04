//! Password hashing with argon2id (OWASP parameters: m=19 MiB, t=2, p=1).
//!
//! Each hash holds 19 MiB for tens of milliseconds, so the number running at once is bounded
//! by a semaphore, and the number waiting for a turn is bounded too: a login flood gets
//! "busy" answers instead of exhausting memory.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

/// Why hashing did not happen.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Too many hashes are running or waiting.
    #[error("the server is busy, try again in a moment")]
    Busy,
    /// argon2 or the blocking pool failed.
    #[error("password hashing failed")]
    Failed,
}

/// Hashes and verifies passwords with a bound on concurrent work.
#[derive(Clone)]
pub struct Hasher {
    running: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
}

fn argon2() -> Argon2<'static> {
    // 19 MiB, 2 passes, 1 lane: the OWASP recommendation for argon2id. The values are
    // constants within argon2's accepted ranges, so `Params::new` cannot fail.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash of a random password, verified against when the username does not exist, so a
/// wrong username costs as much time as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_now("not-a-real-password-0f3a").unwrap_or_default())
}

fn hash_now(password: &str) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|_| HashError::Failed)?;
    let salt = SaltString::encode_b64(&salt).map_err(|_| HashError::Failed)?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| HashError::Failed)
}

fn verify_now(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

impl Hasher {
    /// At most `running` hashes at once and `max_waiting` queued behind them.
    pub fn new(running: usize, max_waiting: usize) -> Hasher {
        Hasher {
            running: Arc::new(Semaphore::new(running.max(1))),
            waiting: Arc::new(AtomicUsize::new(0)),
            max_waiting,
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(HashError::Busy);
        }
        let permit = self.running.clone().acquire_owned().await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let permit = permit.map_err(|_| HashError::Failed)?;
        let out = tokio::task::spawn_blocking(move || {
            let out = job();
            drop(permit);
            out
        })
        .await
        .map_err(|_| HashError::Failed)?;
        Ok(out)
    }

    /// Hashes a new password into a PHC string.
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        self.run(move || hash_now(&password)).await?
    }

    /// Checks a password against a stored PHC string; with `None` (no such user) it does the
    /// same work against a dummy hash and answers false.
    pub async fn verify(&self, password: String, phc: Option<String>) -> Result<bool, HashError> {
        self.run(move || match phc {
            Some(phc) => verify_now(&password, &phc),
            None => {
                verify_now(&password, dummy_hash());
                false
            }
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let h = Hasher::new(1, 4);
        let phc = h.hash("correct horse".into()).await.expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(h
            .verify("correct horse".into(), Some(phc.clone()))
            .await
            .expect("verify"));
        assert!(!h
            .verify("wrong horse".into(), Some(phc))
            .await
            .expect("verify"));
        assert!(!h.verify("anything".into(), None).await.expect("verify"));
    }

    #[tokio::test]
    async fn a_flood_beyond_the_queue_is_told_busy() {
        let h = Hasher::new(1, 2);
        let jobs: Vec<_> = (0..6).map(|_| h.hash("password1".into())).collect();
        let results = futures_util::future::join_all(jobs).await;
        let busy = results
            .iter()
            .filter(|r| matches!(r, Err(HashError::Busy)))
            .count();
        let done = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(
            (done, busy),
            (3, 3),
            "one runs, two wait, the rest are refused"
        );
    }
}

//! Password hashing with argon2id (OWASP parameters: m=19 MiB, t=2, p=1).
//!
//! Each hash needs 19 MiB. Hashing runs on a few threads of its own, each reusing one
//! memory area (`workers`), so memory stays bounded however many log-ins arrive; jobs beyond
//! the threads wait in a bounded queue, and a flood past it gets "busy" answers.

mod workers;

use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::oneshot;

use workers::{Refused, Workers};

/// Why hashing did not happen.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Too many hashes are running or waiting.
    #[error("the server is busy, try again in a moment")]
    Busy,
    /// argon2 or the hashing threads failed.
    #[error("password hashing failed")]
    Failed,
}

/// The largest memory cost a stored hash may ask for (64 MiB, in 1 KiB blocks): ours is
/// 19 MiB; a bigger one is not from this server and is not worth the memory.
const MAX_BLOCKS: usize = 64 * 1024;

/// Hashes and verifies passwords on a fixed pool of threads.
#[derive(Clone)]
pub struct Hasher {
    workers: std::sync::Arc<Workers>,
}

fn params() -> Params {
    // 19 MiB, 2 passes, 1 lane: the OWASP recommendation for argon2id. The values are
    // constants within argon2's accepted ranges, so `Params::new` cannot fail.
    Params::new(19 * 1024, 2, 1, None).unwrap_or_default()
}

/// A hash of a random password, verified against when the username does not exist, so a
/// wrong username costs as much time as a wrong password.
fn dummy_hash(memory: &mut Vec<Block>) -> String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(d) = DUMMY.get() {
        return d.clone();
    }
    let made = hash_now("not-a-real-password-0f3a", memory).unwrap_or_default();
    DUMMY.get_or_init(|| made).clone()
}

/// `memory` sized for `params`, grown once and then reused.
fn area<'m>(memory: &'m mut Vec<Block>, params: &Params) -> Option<&'m mut [Block]> {
    let blocks = params.block_count();
    if blocks > MAX_BLOCKS {
        return None;
    }
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    Some(&mut memory[..blocks])
}

/// The raw argon2id output of `password` with `salt` under `params`.
fn raw(
    password: &str,
    salt: &[u8],
    params: Params,
    memory: &mut Vec<Block>,
) -> Result<Output, HashError> {
    let len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let area = area(memory, &params).ok_or(HashError::Failed)?;
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    Output::init_with(len, |out| {
        argon2
            .hash_password_into_with_memory(password.as_bytes(), salt, out, &mut *area)
            .map_err(|_| argon2::password_hash::Error::Crypto)
    })
    .map_err(|_| HashError::Failed)
}

fn hash_now(password: &str, memory: &mut Vec<Block>) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|_| HashError::Failed)?;
    let salt_b64 = SaltString::encode_b64(&salt).map_err(|_| HashError::Failed)?;
    let params = params();
    let output = raw(password, &salt, params.clone(), memory)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: (&params).try_into().map_err(|_| HashError::Failed)?,
        salt: Some(salt_b64.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `phc` (argon2id only), in constant time.
fn verify_now(password: &str, phc: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let argon2id = parsed.algorithm == Algorithm::Argon2id.ident()
        && parsed
            .version
            .is_none_or(|v| v == u32::from(Version::V0x13));
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let mut buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut buf) else {
        return false;
    };
    argon2id && raw(password, salt, params, memory).is_ok_and(|got| got == expected)
}

impl Hasher {
    /// `threads` hashing threads, and at most `max_waiting` jobs queued behind them.
    pub fn new(threads: usize, max_waiting: usize) -> Hasher {
        Hasher {
            workers: std::sync::Arc::new(Workers::start(threads, max_waiting)),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let (tx, rx) = oneshot::channel();
        let submitted = self.workers.submit(Box::new(move |memory| {
            let _ = tx.send(job(memory));
        }));
        match submitted {
            Ok(()) => rx.await.map_err(|_| HashError::Failed),
            Err(Refused::Full) => Err(HashError::Busy),
            Err(Refused::Gone) => Err(HashError::Failed),
        }
    }

    /// Hashes a new password into a PHC string.
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        self.run(move |memory| hash_now(&password, memory)).await?
    }

    /// Checks a password against a stored PHC string; with `None` (no such user) it does the
    /// same work against a dummy hash and answers false.
    pub async fn verify(&self, password: String, phc: Option<String>) -> Result<bool, HashError> {
        self.run(move |memory| match phc {
            Some(phc) => verify_now(&password, &phc, memory),
            None => {
                let dummy = dummy_hash(memory);
                verify_now(&password, &dummy, memory);
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
    async fn hashes_from_the_argon2_crate_verify_and_the_other_way_round() {
        use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
        let theirs = Argon2::new(Algorithm::Argon2id, Version::V0x13, params());
        let salt = SaltString::encode_b64(b"sixteen byte slt").expect("salt");
        let stored = theirs
            .hash_password(b"old password", &salt)
            .expect("hash")
            .to_string();
        let h = Hasher::new(1, 4);
        assert!(h
            .verify("old password".into(), Some(stored.clone()))
            .await
            .expect("verify"));
        assert!(!h
            .verify("old passworD".into(), Some(stored))
            .await
            .expect("verify"));
        let ours = h.hash("new password".into()).await.expect("hash");
        let parsed = PasswordHash::new(&ours).expect("phc");
        assert!(theirs.verify_password(b"new password", &parsed).is_ok());
    }

    #[tokio::test]
    async fn a_stored_hash_of_another_kind_is_refused() {
        let h = Hasher::new(1, 4);
        let argon2i = "$argon2i$v=19$m=19456,t=2,p=1$c2l4dGVlbiBieXRlIHNsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        let huge = "$argon2id$v=19$m=4000000,t=2,p=1$c2l4dGVlbiBieXRlIHNsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        for phc in [argon2i, huge, "not a hash"] {
            assert!(
                !h.verify("x".into(), Some(phc.into()))
                    .await
                    .expect("verify"),
                "{phc}"
            );
        }
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

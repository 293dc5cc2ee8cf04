//! Accounts and sessions.

use rusqlite::{params, OptionalExtension};

use super::{now_ms, Store, StoreError, StoreResult};
use hearth_shared::session::UserPublic;
use hearth_shared::UserId;

/// A user row with the password hash, for login.
#[derive(Debug, Clone)]
pub struct StoredUser {
    /// The public part.
    pub public: UserPublic,
    /// The argon2 PHC string.
    pub password_hash: String,
}

fn public(id: u32, username: String) -> UserPublic {
    UserPublic {
        id: UserId(id),
        username,
    }
}

impl Store {
    /// Creates an account; `Exists` if the username is taken (case-insensitively).
    pub async fn create_user(
        &self,
        username: String,
        password_hash: String,
    ) -> StoreResult<UserPublic> {
        self.call(move |db| {
            let inserted = db.execute(
                "INSERT INTO users (username, password_hash, created_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT(username) DO NOTHING",
                params![username, password_hash, now_ms()],
            )?;
            if inserted == 0 {
                return Err(StoreError::Exists);
            }
            Ok(public(db.last_insert_rowid() as u32, username))
        })
        .await
    }

    /// Finds a user by username (case-insensitive, otherwise exact).
    pub async fn user_by_name(&self, username: String) -> StoreResult<Option<StoredUser>> {
        self.call(move |db| {
            Ok(db
                .query_row(
                    "SELECT id, username, password_hash FROM users WHERE username = ?1",
                    params![username],
                    |r| {
                        Ok(StoredUser {
                            public: public(r.get(0)?, r.get(1)?),
                            password_hash: r.get(2)?,
                        })
                    },
                )
                .optional()?)
        })
        .await
    }

    /// A user by id.
    pub async fn user(&self, id: UserId) -> StoreResult<Option<UserPublic>> {
        self.call(move |db| {
            Ok(db
                .query_row(
                    "SELECT id, username FROM users WHERE id = ?1",
                    params![id.0],
                    |r| Ok(public(r.get(0)?, r.get(1)?)),
                )
                .optional()?)
        })
        .await
    }

    /// Stores a new session for `user`.
    pub async fn create_session(
        &self,
        token_hash: Vec<u8>,
        user: UserId,
        expires_ms: u64,
    ) -> StoreResult<()> {
        self.call(move |db| {
            db.execute(
                "INSERT INTO sessions (token_hash, user_id, expires_ms) VALUES (?1, ?2, ?3)",
                params![token_hash, user.0, expires_ms],
            )?;
            Ok(())
        })
        .await
    }

    /// The user of an unexpired session.
    pub async fn session_user(&self, token_hash: Vec<u8>) -> StoreResult<Option<UserPublic>> {
        self.call(move |db| {
            Ok(db
                .query_row(
                    "SELECT u.id, u.username FROM sessions s JOIN users u ON u.id = s.user_id
                     WHERE s.token_hash = ?1 AND s.expires_ms > ?2",
                    params![token_hash, now_ms()],
                    |r| Ok(public(r.get(0)?, r.get(1)?)),
                )
                .optional()?)
        })
        .await
    }

    /// Ends a session (log out); also drops every expired session.
    pub async fn delete_session(&self, token_hash: Vec<u8>) -> StoreResult<()> {
        self.call(move |db| {
            db.execute(
                "DELETE FROM sessions WHERE token_hash = ?1",
                params![token_hash],
            )?;
            db.execute(
                "DELETE FROM sessions WHERE expires_ms <= ?1",
                params![now_ms()],
            )?;
            Ok(())
        })
        .await
    }
}

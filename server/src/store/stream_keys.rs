//! Stream keys: the bearer token a user gives OBS to publish a broadcast (WHIP). One per
//! user; making a new one replaces the old, and revoking it deletes it. Only its SHA-256 is
//! stored, like a session's.

use rusqlite::{params, OptionalExtension};

use super::{now_ms, Store, StoreResult};
use hearth_shared::session::UserPublic;
use hearth_shared::UserId;

impl Store {
    /// Gives `user` a stream key with this hash, in place of any they had; returns when.
    pub async fn set_stream_key(&self, user: UserId, key_hash: Vec<u8>) -> StoreResult<u64> {
        self.call(move |db| {
            let now = now_ms();
            db.execute(
                "INSERT INTO stream_keys (user_id, key_hash, created_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT (user_id) DO UPDATE
                 SET key_hash = excluded.key_hash, created_ms = excluded.created_ms",
                params![user.0, key_hash, now],
            )?;
            Ok(now)
        })
        .await
    }

    /// Deletes `user`'s stream key; whether they had one.
    pub async fn revoke_stream_key(&self, user: UserId) -> StoreResult<bool> {
        self.call(move |db| {
            let n = db.execute(
                "DELETE FROM stream_keys WHERE user_id = ?1",
                params![user.0],
            )?;
            Ok(n > 0)
        })
        .await
    }

    /// When `user`'s stream key was made, if they have one.
    pub async fn stream_key_made(&self, user: UserId) -> StoreResult<Option<u64>> {
        self.call(move |db| {
            Ok(db
                .query_row(
                    "SELECT created_ms FROM stream_keys WHERE user_id = ?1",
                    params![user.0],
                    |r| r.get(0),
                )
                .optional()?)
        })
        .await
    }

    /// Whose stream key has this hash.
    pub async fn stream_key_user(&self, key_hash: Vec<u8>) -> StoreResult<Option<UserPublic>> {
        self.call(move |db| {
            Ok(db
                .query_row(
                    "SELECT u.id, u.username FROM stream_keys k JOIN users u ON u.id = k.user_id
                     WHERE k.key_hash = ?1",
                    params![key_hash],
                    |r| {
                        Ok(UserPublic {
                            id: UserId(r.get(0)?),
                            username: r.get(1)?,
                        })
                    },
                )
                .optional()?)
        })
        .await
    }
}

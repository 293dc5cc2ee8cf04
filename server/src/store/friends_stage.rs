//! What a broadcast to friends needs of the database when its host or a viewer comes back
//! with its word after a lost connection: who of the host's friends it names, and whether
//! the broadcast already ended (an entry of it stored), which no word can undo.

use rusqlite::params;

use super::friends::FRIEND_IDS;
use super::messages::call_entry_id;
use super::{Store, StoreResult};
use hearth_shared::call::CallId;
use hearth_shared::session::UserPublic;
use hearth_shared::UserId;

impl Store {
    /// Those of `ids` who are `me`'s friends now, with their names.
    pub async fn friends_among(
        &self,
        me: UserId,
        ids: Vec<UserId>,
    ) -> StoreResult<Vec<UserPublic>> {
        self.call(move |db| {
            let mut stmt = db.prepare_cached(&format!(
                "SELECT id, username FROM users WHERE id IN ({FRIEND_IDS})"
            ))?;
            let rows = stmt.query_map(params![me.0], |r| {
                Ok(UserPublic {
                    id: UserId(r.get(0)?),
                    username: r.get(1)?,
                })
            })?;
            let friends: Vec<UserPublic> = rows.collect::<rusqlite::Result<_>>()?;
            Ok(friends
                .into_iter()
                .filter(|f| ids.contains(&f.id))
                .collect())
        })
        .await
    }

    /// Whether `host`'s broadcast to friends `call_id` left an entry with any friend: it
    /// ended.
    pub async fn friends_broadcast_recorded(
        &self,
        host: UserId,
        call_id: &CallId,
    ) -> StoreResult<bool> {
        let client_id = call_entry_id(call_id);
        self.call(move |db| {
            let found = db
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM friendships f JOIN messages m
                       ON m.conversation_id = f.conversation_id AND m.author_id = ?1
                      AND m.client_id = ?2 WHERE f.user_a = ?1 OR f.user_b = ?1)",
                )?
                .query_row(params![host.0, client_id], |r| r.get(0))?;
            Ok(found)
        })
        .await
    }
}

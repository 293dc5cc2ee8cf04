//! Friend requests, friendships and the direct conversations that come with them.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{members, now_ms, ordered, Store, StoreError, StoreResult};
use hearth_shared::friends::{Friend, Roster};
use hearth_shared::session::UserPublic;
use hearth_shared::{ConversationId, Seq, UserId};

/// What a friend request led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestOutcome {
    /// The request is waiting for the other user.
    Sent(UserId),
    /// They had already asked: you are friends now.
    BecameFriends(UserId),
}

fn are_friends(db: &Connection, a: u32, b: u32) -> rusqlite::Result<bool> {
    let (a, b) = ordered(a, b);
    Ok(db
        .query_row(
            "SELECT friends FROM friendships WHERE user_a = ?1 AND user_b = ?2",
            params![a, b],
            |r| r.get::<_, bool>(0),
        )
        .optional()?
        .unwrap_or(false))
}

fn befriend(tx: &Transaction, a: u32, b: u32) -> rusqlite::Result<()> {
    tx.execute(
        "DELETE FROM friend_requests WHERE (from_id = ?1 AND to_id = ?2) OR (from_id = ?2 AND to_id = ?1)",
        params![a, b],
    )?;
    let (a, b) = ordered(a, b);
    let again = tx.execute(
        "UPDATE friendships SET friends = 1 WHERE user_a = ?1 AND user_b = ?2",
        params![a, b],
    )?;
    if again == 0 {
        // First time friends: their direct conversation, with both as members for good.
        tx.execute(
            "INSERT INTO conversations (kind, created_ms) VALUES ('direct', ?1)",
            params![now_ms()],
        )?;
        let conv = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO friendships (user_a, user_b, conversation_id, friends)
             VALUES (?1, ?2, ?3, 1)",
            params![a, b, conv],
        )?;
        for user in [a, b] {
            members::add(tx, conv as u32, user, 0)?;
        }
    }
    Ok(())
}

/// The ids of `?1`'s friends now (friendships that stand).
pub(super) const FRIEND_IDS: &str =
    "SELECT CASE WHEN user_a = ?1 THEN user_b ELSE user_a END FROM friendships
     WHERE (user_a = ?1 OR user_b = ?1) AND friends = 1";

/// Requests one user may have waiting for them: more sign-ups cannot bury their list.
pub const MAX_WAITING_FOR_ONE: u32 = 100;
/// Unanswered requests one user may have sent.
pub const MAX_SENT_UNANSWERED: u32 = 50;

/// Refuses a new request when `to` has too many waiting or `from` too many unanswered.
fn check_room(db: &Connection, from: u32, to: u32) -> StoreResult<()> {
    let count = |sql: &str, id: u32| -> rusqlite::Result<u32> {
        db.query_row(sql, params![id], |r| r.get(0))
    };
    if count("SELECT COUNT(*) FROM friend_requests WHERE to_id = ?1", to)? >= MAX_WAITING_FOR_ONE {
        return Err(StoreError::Conflict(
            "they have too many friend requests waiting; try again later",
        ));
    }
    if count(
        "SELECT COUNT(*) FROM friend_requests WHERE from_id = ?1",
        from,
    )? >= MAX_SENT_UNANSWERED
    {
        return Err(StoreError::Conflict(
            "you have too many friend requests waiting for an answer; cancel some first",
        ));
    }
    Ok(())
}

/// Whether `from` has a request waiting at `to`.
fn request_exists(db: &Connection, from: u32, to: u32) -> rusqlite::Result<bool> {
    db.query_row(
        "SELECT 1 FROM friend_requests WHERE from_id = ?1 AND to_id = ?2",
        params![from, to],
        |_| Ok(()),
    )
    .optional()
    .map(|row| row.is_some())
}

fn request(db: &mut Connection, from: u32, username: &str) -> StoreResult<RequestOutcome> {
    let tx = db.transaction()?;
    let to: u32 = tx
        .query_row(
            "SELECT id FROM users WHERE username = ?1",
            params![username],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(StoreError::NoSuchUser)?;
    if to == from {
        return Err(StoreError::Conflict("you cannot befriend yourself"));
    }
    if are_friends(&tx, from, to)? {
        return Err(StoreError::Conflict("you are already friends"));
    }
    let outcome = if request_exists(&tx, to, from)? {
        befriend(&tx, from, to)?;
        RequestOutcome::BecameFriends(UserId(to))
    } else {
        if !request_exists(&tx, from, to)? {
            check_room(&tx, from, to)?;
        }
        tx.execute(
            "INSERT INTO friend_requests (from_id, to_id, created_ms) VALUES (?1, ?2, ?3)
             ON CONFLICT DO NOTHING",
            params![from, to, now_ms()],
        )?;
        RequestOutcome::Sent(UserId(to))
    };
    tx.commit()?;
    Ok(outcome)
}

fn delete_request(db: &Connection, from: u32, to: u32) -> StoreResult<()> {
    let n = db.execute(
        "DELETE FROM friend_requests WHERE from_id = ?1 AND to_id = ?2",
        params![from, to],
    )?;
    if n == 0 {
        return Err(StoreError::Conflict("there is no such friend request"));
    }
    Ok(())
}

fn users(db: &Connection, sql: &str, me: u32) -> rusqlite::Result<Vec<UserPublic>> {
    let mut stmt = db.prepare(sql)?;
    let rows = stmt.query_map(params![me], |r| {
        Ok(UserPublic {
            id: UserId(r.get(0)?),
            username: r.get(1)?,
        })
    })?;
    rows.collect()
}

fn friends(db: &Connection, me: u32) -> rusqlite::Result<Vec<Friend>> {
    let mut stmt = db.prepare(
        "SELECT u.id, u.username, c.id, c.last_seq,
                (SELECT COUNT(*) FROM messages m
                  WHERE m.conversation_id = c.id AND m.author_id != ?1
                    AND m.seq > COALESCE((SELECT read FROM marks k
                                          WHERE k.conversation_id = c.id AND k.user_id = ?1), 0))
         FROM friendships f
         JOIN conversations c ON c.id = f.conversation_id
         JOIN users u ON u.id = CASE WHEN f.user_a = ?1 THEN f.user_b ELSE f.user_a END
         WHERE (f.user_a = ?1 OR f.user_b = ?1) AND f.friends = 1
         ORDER BY u.username",
    )?;
    let rows = stmt.query_map(params![me], |r| {
        Ok(Friend {
            user: UserPublic {
                id: UserId(r.get(0)?),
                username: r.get(1)?,
            },
            online: false,
            conversation: ConversationId(r.get(2)?),
            last_seq: Seq(r.get(3)?),
            unread: r.get(4)?,
        })
    })?;
    rows.collect()
}

impl Store {
    /// Sends a friend request by exact username, or accepts theirs if they already asked.
    pub async fn request_friend(
        &self,
        from: UserId,
        username: String,
    ) -> StoreResult<RequestOutcome> {
        self.call(move |db| request(db, from.0, &username)).await
    }

    /// Accepts the request `from` sent to `me`.
    pub async fn accept_friend(&self, me: UserId, from: UserId) -> StoreResult<()> {
        self.call(move |db| {
            let tx = db.transaction()?;
            delete_request(&tx, from.0, me.0)?;
            befriend(&tx, me.0, from.0)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// Deletes the request `from` sent to `to` (decline when `to` is you, cancel when `from` is).
    pub async fn drop_request(&self, from: UserId, to: UserId) -> StoreResult<()> {
        self.call(move |db| delete_request(db, from.0, to.0)).await
    }

    /// Ends a friendship; the conversation and its history stay.
    pub async fn remove_friend(&self, me: UserId, other: UserId) -> StoreResult<()> {
        self.call(move |db| {
            let (a, b) = ordered(me.0, other.0);
            let n = db.execute(
                "UPDATE friendships SET friends = 0 WHERE user_a = ?1 AND user_b = ?2 AND friends = 1",
                params![a, b],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("you are not friends"));
            }
            Ok(())
        })
        .await
    }

    /// Friends (presence left offline for the caller to fill in) and requests both ways.
    pub async fn roster(&self, me: UserId) -> StoreResult<Roster> {
        self.call(move |db| {
            Ok(Roster {
                friends: friends(db, me.0)?,
                incoming: users(
                    db,
                    "SELECT u.id, u.username FROM friend_requests r JOIN users u ON u.id = r.from_id
                     WHERE r.to_id = ?1 ORDER BY r.created_ms",
                    me.0,
                )?,
                outgoing: users(
                    db,
                    "SELECT u.id, u.username FROM friend_requests r JOIN users u ON u.id = r.to_id
                     WHERE r.from_id = ?1 ORDER BY r.created_ms",
                    me.0,
                )?,
            })
        })
        .await
    }

    /// The ids of `me`'s friends.
    pub async fn friend_ids(&self, me: UserId) -> StoreResult<Vec<UserId>> {
        self.call(move |db| {
            let mut stmt = db.prepare_cached(FRIEND_IDS)?;
            let ids = stmt.query_map(params![me.0], |r| Ok(UserId(r.get(0)?)))?;
            Ok(ids.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    /// `me`'s friends and `me`, last: who may see a broadcast to `me`'s friends (and whose
    /// broadcasts to friends `me` may see).
    pub async fn friends_and_self(&self, me: UserId) -> StoreResult<Vec<UserId>> {
        let mut ids = self.friend_ids(me).await?;
        ids.push(me);
        Ok(ids)
    }
}

impl Store {
    /// The other members of `conversation`, if `me` may speak there now (a member, and in a
    /// direct conversation still a friend): whom a typing notice goes to.
    pub async fn audience(
        &self,
        me: UserId,
        conversation: ConversationId,
    ) -> StoreResult<Vec<UserId>> {
        self.call(move |db| {
            let seat = members::speaking_seat(db, me.0, conversation.0)?;
            Ok(seat.others.into_iter().map(UserId).collect())
        })
        .await
    }
}

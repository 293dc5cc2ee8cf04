//! Who is in a conversation, and what that lets them do: the one place the store decides
//! whether a user may read, post in or hear about a conversation.
//!
//! A direct conversation has its two friends as members for good; posting in it needs the
//! friendship to stand, reading does not. A non-member gets `NotInConversation` whether or
//! not the conversation exists.

use rusqlite::{params, Connection, OptionalExtension};

use super::{StoreError, StoreResult};

/// What a member may see of a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Seat {
    /// The other members.
    pub others: Vec<u32>,
    /// The member sees the messages after this one.
    pub since: u32,
}

/// `me`'s seat in `conv`, if they are a member (friends or not: for reading and marks).
pub(super) fn seat(db: &Connection, me: u32, conv: u32) -> StoreResult<Seat> {
    let since: Option<u32> = db
        .prepare_cached(
            "SELECT since_seq FROM members WHERE conversation_id = ?1 AND user_id = ?2",
        )?
        .query_row(params![conv, me], |r| r.get(0))
        .optional()?;
    let since = since.ok_or(StoreError::NotInConversation)?;
    Ok(Seat {
        others: others(db, me, conv)?,
        since,
    })
}

/// The members of `conv` other than `me`, longest-standing first.
fn others(db: &Connection, me: u32, conv: u32) -> rusqlite::Result<Vec<u32>> {
    db.prepare_cached(
        "SELECT user_id FROM members WHERE conversation_id = ?1 AND user_id != ?2
         ORDER BY joined_ms, user_id",
    )?
    .query_map(params![conv, me], |r| r.get(0))?
    .collect()
}

/// `me`'s seat in `conv` if they may post there now: a member, and in a direct
/// conversation still a friend of the other. Membership, friendship and the other members
/// in one query: this runs for every post.
pub(super) fn speaking_seat(db: &Connection, me: u32, conv: u32) -> StoreResult<Seat> {
    let mut stmt = db.prepare_cached(
        "SELECT m.user_id, m.since_seq, f.friends FROM members m
         LEFT JOIN friendships f ON f.conversation_id = m.conversation_id
         WHERE m.conversation_id = ?1
         ORDER BY m.joined_ms, m.user_id",
    )?;
    let mut rows = stmt.query(params![conv])?;
    let (mut others, mut mine) = (Vec::new(), None);
    while let Some(r) = rows.next()? {
        let user: u32 = r.get(0)?;
        if user == me {
            mine = Some((r.get::<_, u32>(1)?, r.get::<_, Option<bool>>(2)?));
        } else {
            others.push(user);
        }
    }
    match mine {
        None => Err(StoreError::NotInConversation),
        Some((_, Some(false))) => Err(StoreError::NotFriends),
        Some((since, _)) => Ok(Seat { others, since }),
    }
}

/// Adds `user` to `conv`, seeing the messages after `since`. Each member joins strictly
/// after the one before (`joined_ms` is bumped past a tie), so "longest-standing" is defined.
pub(super) fn add(db: &Connection, conv: u32, user: u32, since: u32) -> rusqlite::Result<()> {
    db.execute(
        "INSERT INTO members (conversation_id, user_id, since_seq, joined_ms)
         VALUES (?1, ?2, ?3, MAX(?4, (SELECT COALESCE(MAX(joined_ms), 0) + 1 FROM members
                                      WHERE conversation_id = ?1)))
         ON CONFLICT DO NOTHING",
        params![conv, user, since, super::now_ms()],
    )?;
    Ok(())
}

//! Rooms: conversations of 2 to `max` members, made by one person among their friends.
//!
//! The rules: only a friend of yours can be added to a room you are in; the owner renames it
//! and removes members; anyone can leave, and an owner who leaves hands the room to the
//! longest-standing member; the last one out deletes it. A member sees the messages posted
//! after they were added. A non-member gets `NotInConversation`, the same as for a room that
//! does not exist.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{members, now_ms, ordered, Store, StoreError, StoreResult};
use hearth_shared::rooms::{Room, MAX_ROOM_NAME_CHARS};
use hearth_shared::session::UserPublic;
use hearth_shared::{ConversationId, Seq, UserId};

/// A room as `me` sees it (their unread count).
pub type RoomInfo = Room;

/// A name trimmed and checked: 1 to `MAX_ROOM_NAME_CHARS` characters, no control characters.
fn room_name(name: &str) -> StoreResult<String> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_ROOM_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(StoreError::Conflict(
            "a room name is 1 to 64 characters, without control characters",
        ));
    }
    Ok(name.to_owned())
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

/// The room `conv` as `me` sees it, if `me` is a member of it (and it is a room).
pub(super) fn room(db: &Connection, me: u32, conv: u32) -> StoreResult<RoomInfo> {
    let row: Option<(String, Option<u32>, u32, u32)> = db
        .prepare_cached(
            "SELECT c.name, c.owner_id, c.last_seq,
                    (SELECT COUNT(*) FROM messages g
                      WHERE g.conversation_id = c.id AND g.author_id != ?2
                        AND g.seq > MAX(m.since_seq, COALESCE(
                            (SELECT read FROM marks k
                              WHERE k.conversation_id = c.id AND k.user_id = ?2), 0)))
             FROM conversations c
             JOIN members m ON m.conversation_id = c.id AND m.user_id = ?2
             WHERE c.id = ?1 AND c.kind = 'room'",
        )?
        .query_row(params![conv, me], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let (name, owner, last_seq, unread) = row.ok_or(StoreError::NotInConversation)?;
    let mut stmt = db.prepare_cached(
        "SELECT u.id, u.username FROM members m JOIN users u ON u.id = m.user_id
         WHERE m.conversation_id = ?1 ORDER BY m.joined_ms, m.user_id",
    )?;
    let members = stmt
        .query_map(params![conv], |r| {
            Ok(UserPublic {
                id: UserId(r.get(0)?),
                username: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Room {
        id: ConversationId(conv),
        name,
        owner: UserId(owner.unwrap_or(0)),
        members,
        last_seq: Seq(last_seq),
        unread,
    })
}

fn create(
    tx: &Transaction,
    owner: u32,
    name: &str,
    others: &[UserId],
    max: usize,
) -> StoreResult<RoomInfo> {
    let name = room_name(name)?;
    let mut others: Vec<u32> = others.iter().map(|u| u.0).filter(|&u| u != owner).collect();
    others.sort_unstable();
    others.dedup();
    if others.is_empty() || others.len() + 1 > max {
        return Err(StoreError::Conflict(
            "a room has 2 to the server's maximum members",
        ));
    }
    for &u in &others {
        if !are_friends(tx, owner, u)? {
            return Err(StoreError::NotFriends);
        }
    }
    tx.execute(
        "INSERT INTO conversations (kind, name, owner_id, created_ms) VALUES ('room', ?1, ?2, ?3)",
        params![name, owner, now_ms()],
    )?;
    let conv = tx.last_insert_rowid() as u32;
    // The owner first, so that they stay the longest-standing member.
    members::add(tx, conv, owner, 0)?;
    for u in others {
        members::add(tx, conv, u, 0)?;
    }
    room(tx, owner, conv)
}

fn add(tx: &Transaction, me: u32, conv: u32, user: u32, max: usize) -> StoreResult<RoomInfo> {
    let before = room(tx, me, conv)?;
    if before.member_ids().contains(&UserId(user)) {
        return Err(StoreError::Conflict("they are already in this room"));
    }
    if !are_friends(tx, me, user)? {
        return Err(StoreError::NotFriends);
    }
    if before.members.len() >= max {
        return Err(StoreError::Conflict("this room is full"));
    }
    let last: u32 = tx.query_row(
        "SELECT last_seq FROM conversations WHERE id = ?1",
        params![conv],
        |r| r.get(0),
    )?;
    members::add(tx, conv, user, last)?;
    room(tx, me, conv)
}

fn remove(tx: &Transaction, owner: u32, conv: u32, user: u32) -> StoreResult<RoomInfo> {
    let before = room(tx, owner, conv)?;
    if before.owner != UserId(owner) {
        return Err(StoreError::Conflict(
            "only the room's owner can remove members",
        ));
    }
    if user == owner {
        return Err(StoreError::Conflict("to go, leave the room"));
    }
    let n = tx.execute(
        "DELETE FROM members WHERE conversation_id = ?1 AND user_id = ?2",
        params![conv, user],
    )?;
    // Their marks go with them: the room no longer shows them as having read anything.
    tx.execute(
        "DELETE FROM marks WHERE conversation_id = ?1 AND user_id = ?2",
        params![conv, user],
    )?;
    if n == 0 {
        return Err(StoreError::Conflict("they are not in this room"));
    }
    room(tx, owner, conv)
}

/// What leaving a room left behind.
#[derive(Debug, PartialEq)]
pub struct Left {
    /// Who was in it just before, the leaver included.
    pub members: Vec<UserId>,
    /// The room after (None when the leaver was the last member, and the room is gone with
    /// its messages).
    pub room: Option<RoomInfo>,
}

/// `me` leaves.
fn leave(tx: &Transaction, me: u32, conv: u32) -> StoreResult<Left> {
    let before = room(tx, me, conv)?;
    let members = before.member_ids();
    tx.execute(
        "DELETE FROM members WHERE conversation_id = ?1 AND user_id = ?2",
        params![conv, me],
    )?;
    tx.execute(
        "DELETE FROM marks WHERE conversation_id = ?1 AND user_id = ?2",
        params![conv, me],
    )?;
    let Some(&heir) = members.iter().find(|&&u| u != UserId(me)) else {
        tx.execute("DELETE FROM conversations WHERE id = ?1", params![conv])?;
        return Ok(Left {
            members,
            room: None,
        });
    };
    if before.owner == UserId(me) {
        tx.execute(
            "UPDATE conversations SET owner_id = ?2 WHERE id = ?1",
            params![conv, heir.0],
        )?;
    }
    let room = room(tx, heir.0, conv)?;
    Ok(Left {
        members,
        room: Some(room),
    })
}

impl Store {
    /// Makes a room named `name` with `owner` and `others` (friends of the owner), at most
    /// `max` members in all.
    pub async fn create_room(
        &self,
        owner: UserId,
        name: String,
        others: Vec<UserId>,
        max: usize,
    ) -> StoreResult<RoomInfo> {
        self.transact(move |tx| create(tx, owner.0, &name, &others, max))
            .await
    }

    /// `me` (a member) adds `user` (a friend of theirs); they see what is posted from now on.
    pub async fn add_member(
        &self,
        me: UserId,
        room: ConversationId,
        user: UserId,
        max: usize,
    ) -> StoreResult<RoomInfo> {
        self.transact(move |tx| add(tx, me.0, room.0, user.0, max))
            .await
    }

    /// The owner removes `user`.
    pub async fn remove_member(
        &self,
        owner: UserId,
        room: ConversationId,
        user: UserId,
    ) -> StoreResult<RoomInfo> {
        self.transact(move |tx| remove(tx, owner.0, room.0, user.0))
            .await
    }

    /// `me` leaves the room; the room after, or None if it is gone.
    pub async fn leave_room(&self, me: UserId, room: ConversationId) -> StoreResult<Left> {
        self.transact(move |tx| leave(tx, me.0, room.0)).await
    }

    /// The owner renames the room.
    pub async fn rename_room(
        &self,
        owner: UserId,
        room_id: ConversationId,
        name: String,
    ) -> StoreResult<RoomInfo> {
        self.transact(move |tx| {
            let name = room_name(&name)?;
            if room(tx, owner.0, room_id.0)?.owner != owner {
                return Err(StoreError::Conflict("only the room's owner can rename it"));
            }
            tx.execute(
                "UPDATE conversations SET name = ?2 WHERE id = ?1",
                params![room_id.0, name],
            )?;
            room(tx, owner.0, room_id.0)
        })
        .await
    }

    /// The room `conv` as member `me` sees it; `NotInConversation` for a non-member, the
    /// same as for a room that does not exist.
    pub async fn room(&self, me: UserId, conv: ConversationId) -> StoreResult<RoomInfo> {
        self.call(move |db| room(db, me.0, conv.0)).await
    }

    /// Every room `me` is in, by name.
    pub async fn rooms(&self, me: UserId) -> StoreResult<Vec<RoomInfo>> {
        self.call(move |db| {
            let mut stmt = db.prepare(
                "SELECT c.id FROM conversations c
                 JOIN members m ON m.conversation_id = c.id AND m.user_id = ?1
                 WHERE c.kind = 'room' ORDER BY c.name COLLATE NOCASE, c.id",
            )?;
            let ids = stmt
                .query_map(params![me.0], |r| r.get::<_, u32>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            ids.into_iter().map(|id| room(db, me.0, id)).collect()
        })
        .await
    }
}

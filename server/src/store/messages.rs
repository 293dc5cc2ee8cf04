//! Chat messages: idempotent, gap-free posting, catch-up, history pages and read marks.

use rusqlite::{params, Connection, OptionalExtension};

use super::members::seat;
use super::seats::Seats;
use super::{now_ms, Store, StoreError, StoreResult};
use hearth_shared::call::{CallId, CallRecord};
use hearth_shared::chat::Message;
use hearth_shared::{ClientMsgId, ConversationId, Seq, UserId};

/// The result of a post.
#[derive(Debug, Clone)]
pub struct PostOutcome {
    /// The stored message (the earlier one, for a repeated client id).
    pub message: Message,
    /// The other members of the conversation (who else sees it posted).
    pub others: Vec<UserId>,
    /// False when this client id had been stored before.
    pub is_new: bool,
}

/// A message's columns, in `row_to_message`'s order (a macro, for `concat!`).
macro_rules! columns {
    () => {
        "conversation_id, seq, author_id, client_id, text, sent_ms, call"
    };
}
const COLUMNS: &str = columns!();

fn row_to_message(r: &rusqlite::Row) -> rusqlite::Result<Message> {
    let call: Option<String> = r.get(6)?;
    Ok(Message {
        conversation: ConversationId(r.get(0)?),
        seq: Seq(r.get(1)?),
        author: UserId(r.get(2)?),
        client_id: ClientMsgId(r.get(3)?),
        text: r.get(4)?,
        call: call.and_then(|c| serde_json::from_str(&c).ok()),
        sent_at_ms: r.get(5)?,
    })
}

/// The client id of call `call_id`'s entry: in a namespace no client's can take (`:` is not
/// in their alphabet, see `ClientMsgId::is_valid`).
pub(super) fn call_entry_id(call_id: &CallId) -> String {
    format!("call:{}", call_id.0)
}

/// What to store: text from a person, or a call's entry.
pub(super) enum Body {
    Text(String),
    Call(CallRecord),
}

/// What checking a post found: a new post to write, or its earlier copy (a retry).
pub(super) enum Checked {
    /// Not stored before: `write_post` writes it.
    New(NewPost),
    /// This client id was stored before: the earlier message is the answer.
    Stored(PostOutcome),
}

/// A post that passed its checks, ready to be written (`write_post`).
pub(super) struct NewPost {
    author: u32,
    conv: u32,
    client_id: String,
    text: String,
    call: Option<CallRecord>,
    /// The call entry as stored (JSON).
    call_json: Option<String>,
    others: Vec<UserId>,
}

/// Checks a post inside the caller's transaction (`tx`) and writes nothing: who may post
/// there (from `seats`, refreshed by the caller for this transaction), and whether this
/// client id was stored before (then the earlier message is the answer). Every refusal of
/// a post happens here, before anything is written, so a batch needs no savepoint per post.
pub(super) fn check_post(
    tx: &Connection,
    author: u32,
    conv: u32,
    client_id: String,
    body: Body,
    seats: &mut Seats,
) -> StoreResult<Checked> {
    // Text needs the right to speak now; a call's entry only membership (the call was
    // checked when it started, and its end is recorded even if they parted since).
    let others: Vec<UserId> = match body {
        Body::Text(_) => seats.speaking(tx, author, conv)?,
        Body::Call(_) => seat(tx, author, conv)?,
    }
    .others
    .into_iter()
    .map(UserId)
    .collect();
    let existing = tx
        .prepare_cached(concat!(
            "SELECT ",
            columns!(),
            " FROM messages WHERE conversation_id = ?1 AND author_id = ?2 AND client_id = ?3"
        ))?
        .query_row(params![conv, author, client_id], row_to_message)
        .optional()?;
    if let Some(message) = existing {
        return Ok(Checked::Stored(PostOutcome {
            message,
            others,
            is_new: false,
        }));
    }
    let (text, call) = match body {
        Body::Text(t) => (t, None),
        Body::Call(c) => (String::new(), Some(c)),
    };
    let call_json =
        (call.as_ref().map(serde_json::to_string).transpose()).map_err(|_| StoreError::Task)?;
    Ok(Checked::New(NewPost {
        author,
        conv,
        client_id,
        text,
        call,
        call_json,
        others,
    }))
}

/// Writes a checked post in the caller's transaction: the next `seq` of its conversation,
/// the message, and the author's own marks. An error here is SQLite's, and leaves the
/// transaction half-written: the caller rolls it back.
pub(super) fn write_post(tx: &Connection, p: NewPost) -> rusqlite::Result<PostOutcome> {
    let seq: u32 = tx
        .prepare_cached(
            "UPDATE conversations SET last_seq = last_seq + 1 WHERE id = ?1 RETURNING last_seq",
        )?
        .query_row(params![p.conv], |r| r.get(0))?;
    let sent_ms = now_ms();
    tx.prepare_cached(concat!(
        "INSERT INTO messages (",
        columns!(),
        ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    ))?
    .execute(params![
        p.conv,
        seq,
        p.author,
        p.client_id,
        p.text,
        sent_ms,
        p.call_json
    ])?;
    // Your own message is read by you (and a new seq is past any mark).
    tx.prepare_cached(
        "INSERT INTO marks (conversation_id, user_id, delivered, read) VALUES (?1, ?2, ?3, ?3)
         ON CONFLICT DO UPDATE SET delivered = MAX(delivered, excluded.delivered),
                                   read = MAX(read, excluded.read)",
    )?
    .execute(params![p.conv, p.author, seq])?;
    let message = Message {
        conversation: ConversationId(p.conv),
        seq: Seq(seq),
        author: UserId(p.author),
        client_id: ClientMsgId(p.client_id),
        text: p.text,
        call: p.call,
        sent_at_ms: sent_ms,
    };
    Ok(PostOutcome {
        message,
        others: p.others,
        is_new: true,
    })
}

/// Raises `user`'s marks in `conv` to at least `delivered` and `read`; returns the marks and
/// whether they moved (a mark that does not move is not written).
fn bump_marks(
    db: &Connection,
    conv: u32,
    user: u32,
    delivered: u32,
    read: u32,
) -> rusqlite::Result<(u32, u32, bool)> {
    // Cached, as every statement of a post: parsing SQL cost more than running it.
    let old: Option<(u32, u32)> = db
        .prepare_cached(
            "SELECT delivered, read FROM marks WHERE conversation_id = ?1 AND user_id = ?2",
        )?
        .query_row(params![conv, user], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((d, r)) = old.filter(|&(d, r)| delivered <= d && read <= r) {
        return Ok((d, r, false));
    }
    db.prepare_cached(
        "INSERT INTO marks (conversation_id, user_id, delivered, read) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO UPDATE SET delivered = MAX(delivered, excluded.delivered),
                                   read = MAX(read, excluded.read)
         RETURNING delivered, read",
    )?
    .query_row(params![conv, user, delivered, read], |r| {
        Ok((r.get(0)?, r.get(1)?, true))
    })
}

/// A member's marks after `Store::mark`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    /// Delivered up to.
    pub delivered: Seq,
    /// Read up to.
    pub read: Seq,
    /// The other members (who are told when the marks move).
    pub others: Vec<UserId>,
    /// Whether either mark moved (else nothing was written and nobody needs telling).
    pub moved: bool,
}

impl Store {
    /// Stores a message from `author` (who must be allowed to speak there: a member, and in a
    /// direct conversation a friend of the other), or returns
    /// the one stored earlier under the same client id.
    pub async fn post(
        &self,
        author: UserId,
        conv: ConversationId,
        client_id: ClientMsgId,
        text: String,
    ) -> StoreResult<PostOutcome> {
        self.posts
            .post(author.0, conv.0, client_id.0, Body::Text(text))
            .await
    }

    /// Stores a call's entry, authored by the caller, once per call id. Its client id is in a
    /// namespace no client's can take (`:` is not in their alphabet, see
    /// `ClientMsgId::is_valid`), so no post can stand in for the entry.
    pub async fn record_call(
        &self,
        caller: UserId,
        conv: ConversationId,
        call_id: CallId,
        record: CallRecord,
    ) -> StoreResult<PostOutcome> {
        let client_id = call_entry_id(&call_id);
        self.posts
            .post(caller.0, conv.0, client_id, Body::Call(record))
            .await
    }

    /// Whether call `call_id` has its entry in `conv` (so it ended).
    pub async fn call_recorded(&self, conv: ConversationId, call_id: &CallId) -> StoreResult<bool> {
        let client_id = call_entry_id(call_id);
        self.call(move |db| {
            let found: Option<u32> = db
                .query_row(
                    "SELECT 1 FROM messages WHERE conversation_id = ?1 AND client_id = ?2",
                    params![conv.0, client_id],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(found.is_some())
        })
        .await
    }

    /// The conversation of two friends; `NotFriends` unless they are friends now.
    pub async fn conversation_of_friends(
        &self,
        a: UserId,
        b: UserId,
    ) -> StoreResult<ConversationId> {
        self.call(move |db| {
            let (lo, hi) = super::ordered(a.0, b.0);
            let row: Option<(u32, bool)> = db
                .query_row(
                    "SELECT conversation_id, friends FROM friendships WHERE user_a = ?1 AND user_b = ?2",
                    params![lo, hi],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            match row {
                Some((id, true)) => Ok(ConversationId(id)),
                _ => Err(StoreError::NotFriends),
            }
        })
        .await
    }

    /// Up to `limit` messages after `after`, oldest first, if `me` is a member.
    pub async fn messages_after(
        &self,
        me: UserId,
        conv: ConversationId,
        after: Seq,
        limit: u32,
    ) -> StoreResult<Vec<Message>> {
        self.call(move |db| {
            let since = seat(db, me.0, conv.0)?.since;
            let mut stmt = db.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM messages WHERE conversation_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"
            ))?;
            let after = after.0.max(since);
            let rows = stmt.query_map(params![conv.0, after, limit], row_to_message)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    /// A page of history, newest first, and whether older messages exist.
    pub async fn history(
        &self,
        me: UserId,
        conv: ConversationId,
        before: Option<Seq>,
        limit: u32,
    ) -> StoreResult<(Vec<Message>, bool)> {
        self.call(move |db| {
            let since = seat(db, me.0, conv.0)?.since;
            let before = before.map_or(u32::MAX, |s| s.0);
            let mut stmt = db.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM messages WHERE conversation_id = ?1 AND seq < ?2 AND seq > ?3
                 ORDER BY seq DESC LIMIT ?4"
            ))?;
            let rows = stmt.query_map(params![conv.0, before, since, limit], row_to_message)?;
            let messages: Vec<Message> = rows.collect::<rusqlite::Result<_>>()?;
            let has_more = messages.last().is_some_and(|m| m.seq.0 > since + 1);
            Ok((messages, has_more))
        })
        .await
    }

    /// Raises `me`'s delivered and read marks (never lowers them, never past the last
    /// message). Returns the marks after the change and the other members.
    pub async fn mark(
        &self,
        me: UserId,
        conv: ConversationId,
        delivered: Seq,
        read: Seq,
    ) -> StoreResult<Marked> {
        self.call(move |db| {
            let others = seat(db, me.0, conv.0)?.others;
            let last: u32 = db.query_row(
                "SELECT last_seq FROM conversations WHERE id = ?1",
                params![conv.0],
                |r| r.get(0),
            )?;
            let read = read.0.min(last);
            let delivered = delivered.0.max(read).min(last);
            let (d, r, moved) = bump_marks(db, conv.0, me.0, delivered, read)?;
            Ok(Marked {
                delivered: Seq(d),
                read: Seq(r),
                others: others.into_iter().map(UserId).collect(),
                moved,
            })
        })
        .await
    }

    /// Every member's marks in every conversation of `me`, as (conversation, user, delivered,
    /// read).
    pub async fn marks_for(
        &self,
        me: UserId,
    ) -> StoreResult<Vec<(ConversationId, UserId, Seq, Seq)>> {
        self.call(move |db| {
            let mut stmt = db.prepare(
                "SELECT k.conversation_id, k.user_id, k.delivered, k.read FROM marks k
                 JOIN members m ON m.conversation_id = k.conversation_id AND m.user_id = ?1",
            )?;
            let rows = stmt.query_map(params![me.0], |r| {
                Ok((
                    ConversationId(r.get(0)?),
                    UserId(r.get(1)?),
                    Seq(r.get(2)?),
                    Seq(r.get(3)?),
                ))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }
}

#[cfg(test)]
mod tests;

//! The schema and its migrations, applied in order and recorded in `user_version`.
//! A migration never changes once released: a new one follows it.

use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created_ms    INTEGER NOT NULL
);
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_ms INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE friend_requests (
    from_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    to_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (from_id, to_id)
);
CREATE INDEX friend_requests_to ON friend_requests(to_id);
-- One row per pair that is or ever was friends (user_a < user_b); the conversation stays
-- when a friendship ends, so its history comes back if they become friends again.
CREATE TABLE conversations (
    id       INTEGER PRIMARY KEY,
    user_a   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    user_b   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    friends  INTEGER NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0,
    UNIQUE (user_a, user_b)
);
CREATE INDEX conversations_b ON conversations(user_b);
CREATE TABLE messages (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    author_id       INTEGER NOT NULL,
    client_id       TEXT NOT NULL,
    text            TEXT NOT NULL,
    sent_ms         INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, seq),
    UNIQUE (conversation_id, author_id, client_id)
) WITHOUT ROWID;
CREATE TABLE marks (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL,
    delivered       INTEGER NOT NULL DEFAULT 0,
    read            INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id)
) WITHOUT ROWID;
"#,
    r#"
-- A call's entry in the conversation: JSON of hearth_shared::call::CallRecord.
ALTER TABLE messages ADD COLUMN call TEXT;
"#,
    r#"
-- Friendships, conversations and members apart, so that a conversation can hold more than
-- two people (a room). A direct conversation belongs to one pair of friends (`friendships`)
-- and keeps its two members for good; a room has a name, an owner and its members.
CREATE TABLE conversations_v3 (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('direct', 'room')),
    name       TEXT,
    owner_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    last_seq   INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL DEFAULT 0
);
INSERT INTO conversations_v3 (id, kind, last_seq)
    SELECT id, 'direct', last_seq FROM conversations;
-- One row per pair that is or ever was friends (user_a < user_b); the conversation stays
-- when a friendship ends, so its history comes back if they become friends again.
CREATE TABLE friendships (
    user_a          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    user_b          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL UNIQUE REFERENCES conversations(id) ON DELETE CASCADE,
    friends         INTEGER NOT NULL,
    PRIMARY KEY (user_a, user_b)
) WITHOUT ROWID;
CREATE INDEX friendships_b ON friendships(user_b);
INSERT INTO friendships (user_a, user_b, conversation_id, friends)
    SELECT user_a, user_b, id, friends FROM conversations;
-- Who is in a conversation now. A member sees the messages after `since_seq` (0 for a
-- direct conversation; a room's last message when they were added).
CREATE TABLE members (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    since_seq       INTEGER NOT NULL DEFAULT 0,
    joined_ms       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id)
) WITHOUT ROWID;
CREATE INDEX members_user ON members(user_id);
INSERT INTO members (conversation_id, user_id)
    SELECT id, user_a FROM conversations UNION ALL SELECT id, user_b FROM conversations;
DROP TABLE conversations;
ALTER TABLE conversations_v3 RENAME TO conversations;
"#,
    r#"
-- A user's stream key, for publishing a broadcast from OBS (WHIP): one each, revocable.
-- Only its SHA-256 is kept, as for sessions.
CREATE TABLE stream_keys (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    key_hash   BLOB NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL
);
"#,
    r#"
-- The client ids' index led by the client id, not the conversation. Clients make ids that
-- start with the time (see `ClientMsgId`), so new entries land on the index's last page:
-- a batch of posts writes one page of it, not one per conversation.
CREATE TABLE messages_v5 (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    author_id       INTEGER NOT NULL,
    client_id       TEXT NOT NULL,
    text            TEXT NOT NULL,
    sent_ms         INTEGER NOT NULL,
    call            TEXT,
    PRIMARY KEY (conversation_id, seq)
) WITHOUT ROWID;
INSERT INTO messages_v5 (conversation_id, seq, author_id, client_id, text, sent_ms, call)
    SELECT conversation_id, seq, author_id, client_id, text, sent_ms, call FROM messages;
DROP TABLE messages;
ALTER TABLE messages_v5 RENAME TO messages;
CREATE UNIQUE INDEX messages_client ON messages (client_id, author_id, conversation_id);
"#,
];

/// Applies every migration the database has not seen yet, each in its own transaction.
///
/// Foreign keys are off while they run (a migration that rebuilds a table drops the old
/// one, which with them on would cascade into its children) and checked before they go
/// back on: a migration that left a dangling reference fails here, not later.
pub fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let done: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if done >= MIGRATIONS.len() {
        return Ok(());
    }
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let result = apply(conn, done);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    result
}

fn apply(conn: &Connection, done: usize) -> rusqlite::Result<()> {
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let ran = conn.execute_batch(&format!("BEGIN; {sql}; PRAGMA user_version = {};", i + 1));
        if let Err(e) = ran {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
        let dangling: i64 =
            conn.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if dangling > 0 {
            conn.execute_batch("ROLLBACK")?;
            return Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                Some(format!(
                    "migration {} left {dangling} dangling references",
                    i + 1
                )),
            ));
        }
        conn.execute_batch("COMMIT")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;

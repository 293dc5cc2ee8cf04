//! The schema and its migrations, applied in order and recorded in `user_version`.

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
];

/// Applies every migration the database has not seen yet.
pub fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let done: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        conn.execute_batch(&format!(
            "BEGIN; {sql}; PRAGMA user_version = {}; COMMIT;",
            i + 1
        ))?;
    }
    Ok(())
}

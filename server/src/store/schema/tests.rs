//! Migrations on a database that has data: nothing lost, nothing dangling.

use super::{migrate, MIGRATIONS};
use rusqlite::{params, Connection};

/// A database at `version`, with foreign keys on as `Store::open` has them.
fn at_version(version: usize) -> Connection {
    let conn = Connection::open_in_memory().expect("open");
    conn.pragma_update(None, "foreign_keys", "ON").expect("fk");
    for (i, sql) in MIGRATIONS.iter().take(version).enumerate() {
        conn.execute_batch(&format!(
            "BEGIN; {sql}; PRAGMA user_version = {}; COMMIT;",
            i + 1
        ))
        .expect("old migration");
    }
    conn
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).expect(sql)
}

#[test]
fn version_2_pairs_become_direct_conversations_with_two_members_and_keep_their_messages() {
    let conn = at_version(2);
    for (id, name) in [(1, "alice"), (2, "bob"), (3, "carol")] {
        conn.execute(
            "INSERT INTO users (id, username, password_hash, created_ms) VALUES (?1, ?2, 'h', 0)",
            params![id, name],
        )
        .expect("user");
    }
    // alice-bob friends with two messages; alice-carol parted after one.
    conn.execute_batch(
        "INSERT INTO conversations (id, user_a, user_b, friends, last_seq) VALUES (7, 1, 2, 1, 2), (8, 1, 3, 0, 1);
         INSERT INTO messages (conversation_id, seq, author_id, client_id, text, sent_ms)
             VALUES (7, 1, 1, 'a', 'hi', 1), (7, 2, 2, 'b', 'hey', 2), (8, 1, 3, 'c', 'bye', 3);
         INSERT INTO marks (conversation_id, user_id, delivered, read) VALUES (7, 2, 2, 1);",
    )
    .expect("data");

    migrate(&conn).expect("migrate");

    let version: usize = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("v");
    assert_eq!(version, MIGRATIONS.len());
    assert_eq!(
        count(&conn, "SELECT COUNT(*) FROM messages"),
        3,
        "no message lost"
    );
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM marks"), 1);
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM conversations WHERE kind = 'direct' AND last_seq > 0"
        ),
        2
    );
    assert_eq!(
        count(&conn, "SELECT last_seq FROM conversations WHERE id = 7"),
        2,
        "seq continues where it was"
    );
    assert_eq!(
        count(&conn, "SELECT friends FROM friendships WHERE user_a = 1 AND user_b = 3 AND conversation_id = 8"),
        0,
        "a past friendship stays past"
    );
    assert_eq!(
        count(&conn, "SELECT COUNT(*) FROM members WHERE conversation_id = 7 AND user_id IN (1, 2) AND since_seq = 0"),
        2,
        "both friends are members and see the whole history"
    );
    assert_eq!(
        count(&conn, "SELECT COUNT(*) FROM pragma_foreign_key_check"),
        0
    );
    let fk: i64 = conn
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .expect("fk");
    assert_eq!(fk, 1, "foreign keys are back on");
    // The children still point at the rebuilt table: deleting a conversation cascades.
    conn.execute("DELETE FROM conversations WHERE id = 8", [])
        .expect("delete");
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM messages WHERE conversation_id = 8"
        ),
        0
    );
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM members WHERE conversation_id = 8"
        ),
        0
    );
}

#[test]
fn migrating_twice_changes_nothing() {
    let conn = at_version(0);
    migrate(&conn).expect("first");
    migrate(&conn).expect("second");
    let version: usize = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("v");
    assert_eq!(version, MIGRATIONS.len());
}

#[test]
fn version_5_keeps_every_message_and_still_refuses_a_client_id_twice() {
    let conn = at_version(4);
    conn.execute_batch(
        "INSERT INTO users (id, username, password_hash, created_ms) VALUES (1, 'alice', 'h', 0), (2, 'bob', 'h', 0);
         INSERT INTO conversations (id, kind, last_seq) VALUES (7, 'direct', 3);
         INSERT INTO messages (conversation_id, seq, author_id, client_id, text, sent_ms, call)
             VALUES (7, 1, 1, 'a', 'hi', 1, NULL), (7, 2, 2, 'a', 'hey', 2, NULL),
                    (7, 3, 1, 'call:x', '', 3, '{\"kind\":\"voice\"}');",
    )
    .expect("data");

    migrate(&conn).expect("migrate");

    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM messages WHERE conversation_id = 7 AND call IS NOT NULL"
        ),
        1,
        "the call entry keeps its record"
    );
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM messages"), 3);
    let again = conn.execute(
        "INSERT INTO messages (conversation_id, seq, author_id, client_id, text, sent_ms)
         VALUES (7, 4, 1, 'a', 'hi again', 4)",
        [],
    );
    assert!(
        again.is_err(),
        "one author's client id is stored once per conversation"
    );
    conn.execute(
        "INSERT INTO messages (conversation_id, seq, author_id, client_id, text, sent_ms)
         VALUES (7, 4, 1, 'b', 'new', 4)",
        [],
    )
    .expect("a new client id is stored");
    // The retry lookup of a post goes through the client id's index, not a scan.
    let plan: String = conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT seq FROM messages
             WHERE conversation_id = 7 AND author_id = 1 AND client_id = 'a'",
            [],
            |r| r.get(3),
        )
        .expect("plan");
    assert!(plan.contains("messages_client"), "{plan}");
}

//! The posting thread's memory of who may post where. Every post needs its author's seat
//! (member, still a friend, the other members to tell); reading it from the database was
//! the largest part of a post after the commit itself (bench/relay profile: 16 % of the
//! posting thread). Seats read once are kept until membership may have changed.
//!
//! "May have changed" is decided by the database, not by the code that changes it:
//! temporary triggers on this connection count every row inserted, updated or deleted in
//! `members` and `friendships`, and every conversation deleted (cascades included; a post
//! updates its conversation's `last_seq`, which changes no seat), in a temporary table, and
//! a batch that finds the count moved forgets every seat. Nothing that changes who may post
//! can forget to say so.

use std::collections::HashMap;

use rusqlite::Connection;

use super::members::{speaking_seat, Seat};
use super::StoreResult;

/// Seats kept at most; past it the memory starts again (a bound, not an LRU: it is rare).
const MAX_SEATS: usize = 20_000;

/// Creates the counter and its triggers on `db` (temporary: this connection only, made
/// again at every start).
pub(super) fn install(db: &Connection) -> rusqlite::Result<()> {
    let mut sql = String::from(
        "CREATE TEMP TABLE seats_epoch (n INTEGER NOT NULL);
         INSERT INTO temp.seats_epoch VALUES (0);",
    );
    let watched = [
        ("members", "INSERT"),
        ("members", "UPDATE"),
        ("members", "DELETE"),
        ("friendships", "INSERT"),
        ("friendships", "UPDATE"),
        ("friendships", "DELETE"),
        ("conversations", "DELETE"),
    ];
    for (table, event) in watched {
        sql.push_str(&format!(
            "CREATE TEMP TRIGGER seats_{table}_{event} AFTER {event} ON main.{table}
             BEGIN UPDATE seats_epoch SET n = n + 1; END;"
        ));
    }
    db.execute_batch(&sql)
}

/// Seats by (author, conversation), valid while the counter reads `epoch`.
#[derive(Default)]
pub(super) struct Seats {
    epoch: i64,
    known: HashMap<(u32, u32), Seat>,
}

impl Seats {
    /// Forgets every seat if membership changed since they were read. Called with the
    /// connection held, at the start of each batch: nothing else writes until it ends.
    pub fn refresh(&mut self, db: &Connection) -> rusqlite::Result<()> {
        let epoch: i64 = db
            .prepare_cached("SELECT n FROM temp.seats_epoch")?
            .query_row([], |r| r.get(0))?;
        if epoch != self.epoch {
            self.known.clear();
            self.epoch = epoch;
        }
        Ok(())
    }

    /// `me`'s seat in `conv` if they may post there now (see `members::speaking_seat`).
    /// A refusal is not kept: it is read again next time.
    pub fn speaking(&mut self, db: &Connection, me: u32, conv: u32) -> StoreResult<Seat> {
        if let Some(seat) = self.known.get(&(me, conv)) {
            return Ok(seat.clone());
        }
        let seat = speaking_seat(db, me, conv)?;
        if self.known.len() >= MAX_SEATS {
            self.known.clear();
        }
        self.known.insert((me, conv), seat.clone());
        Ok(seat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        let db = Connection::open_in_memory().expect("open");
        super::super::schema::migrate(&db).expect("migrate");
        install(&db).expect("install");
        db
    }

    fn epoch(db: &Connection) -> i64 {
        db.query_row("SELECT n FROM temp.seats_epoch", [], |r| r.get(0))
            .expect("epoch")
    }

    #[test]
    fn every_change_to_who_may_post_moves_the_counter() {
        let db = db();
        db.execute_batch(
            "PRAGMA foreign_keys = ON;
             INSERT INTO users (id, username, password_hash, created_ms) VALUES
                 (1, 'a', 'x', 0), (2, 'b', 'x', 0);",
        )
        .expect("users");
        db.execute_batch("INSERT INTO conversations (id, kind) VALUES (7, 'direct')")
            .expect("conversation");
        let before = epoch(&db);
        let steps = [
            "INSERT INTO friendships (user_a, user_b, conversation_id, friends) VALUES (1, 2, 7, 1)",
            "INSERT INTO members (conversation_id, user_id) VALUES (7, 1), (7, 2)",
            "UPDATE friendships SET friends = 0",
            "DELETE FROM members WHERE user_id = 2",
            // No trigger on users: only the cascade to members and friendships counts.
            "DELETE FROM users WHERE id = 1",
            "DELETE FROM conversations WHERE id = 7",
        ];
        let mut last = before;
        for step in steps {
            db.execute_batch(step).expect(step);
            let now = epoch(&db);
            assert!(now > last, "{step} did not move the counter");
            last = now;
        }
        db.execute_batch("INSERT INTO conversations (id, kind) VALUES (8, 'room')")
            .expect("conversation");
        db.execute_batch("UPDATE conversations SET last_seq = last_seq + 1")
            .expect("post");
        assert_eq!(epoch(&db), last, "a post changes no seat");
    }

    #[test]
    fn a_seat_is_forgotten_when_the_counter_moves() {
        let mut seats = Seats::default();
        seats.known.insert(
            (1, 7),
            Seat {
                others: vec![2],
                since: 0,
            },
        );
        let db = db();
        seats.refresh(&db).expect("refresh");
        assert_eq!(seats.known.len(), 1, "no change yet");
        db.execute_batch("UPDATE temp.seats_epoch SET n = n + 1")
            .expect("bump");
        seats.refresh(&db).expect("refresh");
        assert!(seats.known.is_empty());
    }
}

//! Rate limits on every client command: a token bucket per command class, one set per
//! connection (no lock: the connection's task owns it) and one per user across all their
//! connections (shared). A command goes ahead only if both buckets of its class have a
//! token; otherwise it is answered `rate_limited` with how long to wait, and does nothing.
//! The classes and numbers are in `docs/protocol.md`.

pub mod bucket;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bucket::{Bucket, Rule};
use hearth_shared::call::ClientCall;
use hearth_shared::chat::ClientChat;
use hearth_shared::session::ClientSession;
use hearth_shared::{ClientMsg, UserId};

/// Kinds of command that share a budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// `ping`.
    Ping,
    /// `post`.
    Post,
    /// `typing`.
    Typing,
    /// `delivered` and `read`.
    Receipt,
    /// `sync` and `history`.
    Fetch,
    /// Every friends command.
    Friends,
    /// Starting, answering, ending and resuming calls.
    CallSetup,
    /// What flows during a call: descriptions, candidates, media and recording states.
    CallSignal,
}

const fn rule(burst: f64, per_sec: f64) -> Rule {
    Rule { burst, per_sec }
}

impl Class {
    const ALL: [Class; 8] = [
        Class::Ping,
        Class::Post,
        Class::Typing,
        Class::Receipt,
        Class::Fetch,
        Class::Friends,
        Class::CallSetup,
        Class::CallSignal,
    ];

    /// The class of a command (`hello` is the handshake's, never limited here).
    pub fn of(msg: &ClientMsg) -> Class {
        match msg {
            ClientMsg::Session(ClientSession::Ping | ClientSession::Hello { .. }) => Class::Ping,
            ClientMsg::Chat(c) => match c {
                ClientChat::Post { .. } => Class::Post,
                ClientChat::Typing { .. } => Class::Typing,
                ClientChat::Delivered { .. } | ClientChat::Read { .. } => Class::Receipt,
                ClientChat::Sync { .. } | ClientChat::History { .. } => Class::Fetch,
            },
            // Rooms change as rarely as friendships, and cost as much.
            ClientMsg::Friends(_) | ClientMsg::Rooms(_) => Class::Friends,
            ClientMsg::Call(c) => match c {
                ClientCall::Description { .. }
                | ClientCall::Candidate { .. }
                | ClientCall::Rejected { .. }
                | ClientCall::Media { .. }
                | ClientCall::Recording { .. }
                | ClientCall::SeesViaSfu { .. }
                | ClientCall::Shows { .. }
                | ClientCall::SfuDescription { .. } => Class::CallSignal,
                _ => Class::CallSetup,
            },
        }
    }

    /// The budget of one connection.
    pub fn per_connection(self) -> Rule {
        match self {
            Class::Ping => rule(5.0, 1.0),
            Class::Post => rule(60.0, 10.0),
            Class::Typing => rule(5.0, 1.0),
            Class::Receipt => rule(30.0, 5.0),
            Class::Fetch => rule(10.0, 2.0),
            Class::Friends => rule(10.0, 0.2),
            Class::CallSetup => rule(10.0, 0.5),
            Class::CallSignal => rule(200.0, 50.0),
        }
    }

    /// The budget of one user, all connections together.
    pub fn per_user(self) -> Rule {
        match self {
            Class::Ping => rule(20.0, 4.0),
            Class::Post => rule(100.0, 15.0),
            Class::Typing => rule(10.0, 2.0),
            Class::Receipt => rule(60.0, 10.0),
            Class::Fetch => rule(20.0, 4.0),
            Class::Friends => rule(15.0, 0.3),
            Class::CallSetup => rule(15.0, 1.0),
            Class::CallSignal => rule(300.0, 100.0),
        }
    }

    fn index(self) -> usize {
        Class::ALL.iter().position(|c| *c == self).unwrap_or(0)
    }

    /// Words for the refusal.
    pub fn what(self) -> &'static str {
        match self {
            Class::Ping => "pings",
            Class::Post => "messages",
            Class::Typing => "typing notices",
            Class::Receipt => "read receipts",
            Class::Fetch => "history requests",
            Class::Friends => "friend requests and changes",
            Class::CallSetup => "calls",
            Class::CallSignal => "call signals",
        }
    }
}

/// How long a refused post holds back the posts after it (unless it comes back first).
const HOLD: Duration = Duration::from_secs(10);

/// One connection's buckets.
pub struct ConnLimits {
    buckets: [Bucket; 8],
    /// The first post refused for want of a token, and until when later posts wait for it.
    held: Option<(String, Instant)>,
}

/// `r` with its burst and rate multiplied by `scale`.
fn scaled(r: Rule, scale: f64) -> Rule {
    rule(r.burst * scale, r.per_sec * scale)
}

/// Every user's buckets; cheap to clone.
#[derive(Clone)]
pub struct UserLimits {
    buckets: Arc<Mutex<HashMap<(UserId, Class), Bucket>>>,
    scale: f64,
}

impl Default for UserLimits {
    fn default() -> Self {
        UserLimits::new(1.0)
    }
}

impl UserLimits {
    /// The budgets above multiplied by `scale` (load tests raise them; 1 is the default).
    pub fn new(scale: f64) -> UserLimits {
        UserLimits {
            buckets: Arc::default(),
            scale,
        }
    }

    fn conn_rule(&self, class: Class) -> Rule {
        scaled(class.per_connection(), self.scale)
    }

    fn user_rule(&self, class: Class) -> Rule {
        scaled(class.per_user(), self.scale)
    }

    /// A new connection's buckets, full as of `now`.
    pub fn connection(&self, now: Instant) -> ConnLimits {
        ConnLimits {
            buckets: Class::ALL.map(|c| Bucket::full(self.conn_rule(c), now)),
            held: None,
        }
    }

    /// `admit` for a post with `client_id`, keeping the connection's posts in order: once a
    /// post is refused, later ones are refused too until it is sent again (or `HOLD`
    /// passes), so a token that refills in between cannot let a later message overtake it.
    pub fn admit_post(
        &self,
        conn: &mut ConnLimits,
        user: UserId,
        client_id: &str,
        now: Instant,
    ) -> Result<(), Duration> {
        let held = conn
            .held
            .as_ref()
            .filter(|(_, until)| now < *until)
            .map(|(first, _)| first != client_id);
        if held == Some(true) {
            let wait = conn.buckets[Class::Post.index()].wait(self.conn_rule(Class::Post), now);
            return Err(wait.max(Duration::from_millis(100)));
        }
        match self.admit(conn, user, Class::Post, now) {
            Ok(()) => {
                conn.held = None;
                Ok(())
            }
            Err(wait) => {
                if held.is_none() {
                    conn.held = Some((client_id.to_owned(), now + HOLD));
                }
                Err(wait)
            }
        }
    }

    /// Takes a token of `class` from the connection's and the user's buckets if both have
    /// one; otherwise takes nothing and says how long to wait.
    pub fn admit(
        &self,
        conn: &mut ConnLimits,
        user: UserId,
        class: Class,
        now: Instant,
    ) -> Result<(), Duration> {
        let (conn_rule, user_rule) = (self.conn_rule(class), self.user_rule(class));
        let mine = &mut conn.buckets[class.index()];
        let conn_wait = mine.wait(conn_rule, now);
        let mut all = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if all.len() > 10_000 {
            let scale = self.scale;
            all.retain(|(_, c), b| !b.is_full(scaled(c.per_user(), scale), now));
        }
        let theirs = all
            .entry((user, class))
            .or_insert_with(|| Bucket::full(user_rule, now));
        let user_wait = theirs.wait(user_rule, now);
        let wait = conn_wait.max(user_wait);
        if wait > Duration::ZERO {
            return Err(wait);
        }
        mine.take();
        theirs.take();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_shared::chat::ClientChat;
    use hearth_shared::{ConversationId, Seq};

    fn read() -> ClientMsg {
        ClientMsg::Chat(ClientChat::Read {
            conversation: ConversationId(1),
            seq: Seq(1),
        })
    }

    #[test]
    fn a_connection_gets_its_burst_then_waits() {
        let t0 = Instant::now();
        let users = UserLimits::default();
        let mut conn = users.connection(t0);
        let class = Class::of(&read());
        assert_eq!(class, Class::Receipt);
        for _ in 0..30 {
            assert!(users.admit(&mut conn, UserId(1), class, t0).is_ok());
        }
        let wait = users
            .admit(&mut conn, UserId(1), class, t0)
            .expect_err("limited");
        assert_eq!(wait, Duration::from_millis(200));
        assert!(
            users.admit(&mut conn, UserId(1), Class::Post, t0).is_ok(),
            "classes apart"
        );
    }

    #[test]
    fn a_refused_post_holds_back_the_later_ones_until_it_is_sent_again() {
        let t0 = Instant::now();
        let users = UserLimits::new(0.05); // a burst of 3 posts, one every 2 s
        let mut conn = users.connection(t0);
        for id in ["a", "b", "c"] {
            assert!(users.admit_post(&mut conn, UserId(1), id, t0).is_ok());
        }
        assert!(users.admit_post(&mut conn, UserId(1), "d", t0).is_err());
        let refilled = t0 + Duration::from_secs(3);
        assert!(
            users
                .admit_post(&mut conn, UserId(1), "e", refilled)
                .is_err(),
            "e may not overtake d, though a token is back"
        );
        assert!(users
            .admit_post(&mut conn, UserId(1), "d", refilled)
            .is_ok());
        let later = refilled + Duration::from_secs(2);
        assert!(
            users.admit_post(&mut conn, UserId(1), "e", later).is_ok(),
            "then e goes"
        );
        let much_later = later + HOLD + Duration::from_secs(60);
        assert!(users
            .admit_post(&mut conn, UserId(1), "z", much_later)
            .is_ok());
    }

    #[test]
    fn many_connections_of_one_user_share_the_user_budget() {
        let t0 = Instant::now();
        let users = UserLimits::default();
        let mut admitted = 0;
        for _ in 0..16 {
            let mut conn = users.connection(t0);
            while users
                .admit(&mut conn, UserId(1), Class::Friends, t0)
                .is_ok()
            {
                admitted += 1;
            }
        }
        assert_eq!(admitted, 15, "the user's burst, not 16 connections' worth");
        let mut other = users.connection(t0);
        assert!(
            users
                .admit(&mut other, UserId(2), Class::Friends, t0)
                .is_ok(),
            "users apart"
        );
    }
}

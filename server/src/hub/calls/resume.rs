//! Calls that outlive a connection: a member whose connection to the server was lost (a
//! network change, a server restart) says "I am still in this call" when it is back, and the
//! call goes on, media having flowed browser to browser all along. After a restart the hub
//! has forgotten the call: it is rebuilt from the first member's word, and only confirmed
//! (and so recorded in the conversation) when the other member says the same.

use std::time::{Duration, Instant};

use super::{Call, CallError, Calls, Out, Party, Phase};
use crate::hub::ConnId;
use hearth_shared::call::EndReason;
use hearth_shared::call::{CallId, CallKind, ServerCall};
use hearth_shared::session::UserPublic;
use hearth_shared::ConversationId;

/// How long an answered call waits for a member whose connection was lost.
pub const RESUME_GRACE: Duration = Duration::from_secs(30);

/// A member's word that they are still in a call, as the connection handler has checked it
/// (the two are friends; this is their conversation).
#[derive(Debug, Clone)]
pub struct Resume {
    /// The call.
    pub id: CallId,
    /// Who says so, on which tab.
    pub by: Party,
    /// Who says so.
    pub me: UserPublic,
    /// The other member.
    pub peer: UserPublic,
    /// Whether `me` placed the call.
    pub caller: bool,
    /// Voice or video.
    pub kind: CallKind,
    /// Their conversation.
    pub conversation: ConversationId,
    /// Seconds since it was answered, by `me`'s clock.
    pub seconds: u32,
}

impl Resume {
    fn since(&self, now: Instant) -> Instant {
        now.checked_sub(Duration::from_secs(self.seconds.into()))
            .unwrap_or(now)
    }

    /// Whether `call` is the call this member describes: same members in the same roles.
    fn describes(&self, call: &Call) -> bool {
        let (caller, callee) = if self.caller {
            (self.me.id, self.peer.id)
        } else {
            (self.peer.id, self.me.id)
        };
        call.caller.id == caller && call.callee.id == callee && call.kind == self.kind
    }

    fn rebuilt(&self, now: Instant) -> Call {
        let (caller, callee) = if self.caller {
            (self.me.clone(), self.peer.clone())
        } else {
            (self.peer.clone(), self.me.clone())
        };
        let conn = Some(self.by.conn);
        Call {
            id: self.id.clone(),
            kind: self.kind,
            conversation: self.conversation,
            caller_conn: if self.caller { conn } else { None },
            callee_conn: if self.caller { None } else { conn },
            caller,
            callee,
            phase: Phase::Active {
                since: self.since(now),
            },
            lost_since: Some(now),
            confirmed: false,
        }
    }
}

impl Calls {
    /// A tab's connection closed. A ringing call it held ends as disconnected, and so does
    /// an answered one when the tab said goodbye (`clean`: the page closed). An answered
    /// call whose connection was merely lost (a network change, a server restart) waits
    /// [`RESUME_GRACE`] for that member to come back.
    pub fn disconnect(&mut self, conn: ConnId, clean: bool, now: Instant) -> Vec<Out> {
        let mut out = self.disconnect_room(conn, clean, now);
        let held: Vec<CallId> = self
            .calls
            .values()
            .filter(|c| c.holds(conn))
            .map(|c| c.id.clone())
            .collect();
        for id in held {
            let Some(call) = self.calls.get_mut(&id) else {
                continue;
            };
            if clean || !matches!(call.phase, Phase::Active { .. }) {
                out.extend(self.end(&id, EndReason::Disconnected, now));
                continue;
            }
            if call.caller_conn == Some(conn) {
                call.caller_conn = None;
            }
            if call.callee_conn == Some(conn) {
                call.callee_conn = None;
            }
            call.lost_since.get_or_insert(now);
        }
        out
    }

    /// A member is back in call `r.id` on tab `r.by.conn`. When both members are connected
    /// again, both get `Resumed` and send their state again.
    pub fn resume(&mut self, r: Resume, now: Instant) -> Result<Vec<Out>, CallError> {
        match self.by_user.get(&r.me.id) {
            Some(id) if *id != r.id => return Err(CallError::AlreadyInCall),
            _ => {}
        }
        let Some(call) = self.calls.get_mut(&r.id) else {
            // Forgotten (a restart): rebuilt from this member's word.
            self.by_user.insert(r.me.id, r.id.clone());
            self.calls.insert(r.id.clone(), r.rebuilt(now));
            return Ok(Vec::new());
        };
        if !r.describes(call) || !matches!(call.phase, Phase::Active { .. }) {
            return Err(CallError::NoSuchCall);
        }
        if r.caller {
            call.caller_conn = Some(r.by.conn);
        } else {
            call.callee_conn = Some(r.by.conn);
        }
        if !call.confirmed {
            // The other member's word: the call really happened. Its length is the
            // shorter of the two accounts.
            call.confirmed = true;
            if let Phase::Active { since } = call.phase {
                call.phase = Phase::Active {
                    since: since.max(r.since(now)),
                };
            }
            self.by_user.insert(r.me.id, r.id.clone());
        }
        let (Some(a), Some(b)) = (call.caller_conn, call.callee_conn) else {
            return Ok(Vec::new());
        };
        call.lost_since = None;
        let resumed = ServerCall::Resumed {
            call_id: r.id.clone(),
        };
        Ok(vec![Out::Conn(a, resumed.clone()), Out::Conn(b, resumed)])
    }
}

#[cfg(test)]
mod tests {
    use super::super::Invite;
    use super::*;
    use hearth_shared::call::CallOutcome;
    use hearth_shared::{ReqId, UserId};

    const A: ConnId = ConnId(10);
    const B: ConnId = ConnId(20);
    const A2: ConnId = ConnId(11);
    const B2: ConnId = ConnId(21);

    fn user(id: u32, name: &str) -> UserPublic {
        UserPublic {
            id: UserId(id),
            username: name.into(),
        }
    }

    fn word(me: u32, conn: ConnId, caller: bool, seconds: u32) -> Resume {
        let (alice, bob) = (user(1, "alice"), user(2, "bob"));
        let (me, peer) = if me == 1 { (alice, bob) } else { (bob, alice) };
        Resume {
            id: CallId("x".into()),
            by: Party { user: me.id, conn },
            me,
            peer,
            caller,
            kind: CallKind::Video,
            conversation: ConversationId(7),
            seconds,
        }
    }

    /// alice called bob, who answered on tab B at `now`.
    fn answered(now: Instant) -> Calls {
        let mut calls = Calls::new(Duration::from_secs(45));
        let inv = Invite {
            req_id: ReqId(1),
            caller: user(1, "alice"),
            conn: A,
            callee: user(2, "bob"),
            kind: CallKind::Video,
            conversation: ConversationId(7),
            id: CallId("x".into()),
        };
        calls.invite(inv, now).expect("invite");
        calls
            .accept(
                Party {
                    user: UserId(2),
                    conn: B,
                },
                &CallId("x".into()),
                now,
            )
            .expect("accept");
        calls
    }

    fn resumed_to(outs: &[Out]) -> Vec<ConnId> {
        outs.iter()
            .filter_map(|o| match o {
                Out::Conn(c, ServerCall::Resumed { .. }) => Some(*c),
                _ => None,
            })
            .collect()
    }

    fn record(outs: &[Out]) -> Option<CallOutcome> {
        outs.iter().find_map(|o| match o {
            Out::Record { record, .. } => Some(record.outcome),
            _ => None,
        })
    }

    fn signal(to_from: ConnId, user: u32) -> Party {
        Party {
            user: UserId(user),
            conn: to_from,
        }
    }

    #[test]
    fn a_lost_connection_keeps_the_call_and_the_member_comes_back_on_a_new_tab() {
        let t0 = Instant::now();
        let mut calls = answered(t0);
        assert!(
            calls.disconnect(B, false, t0).is_empty(),
            "no end, no record"
        );
        let msg = ServerCall::Recording {
            call_id: CallId("x".into()),
            from: None,
            on: true,
        };
        assert_eq!(
            calls.relay(signal(A, 1), &CallId("x".into()), None, msg.clone()),
            Ok(vec![]),
            "signaling to the missing member is dropped, not refused"
        );
        let outs = calls.resume(word(2, B2, false, 9), t0 + Duration::from_secs(10));
        assert_eq!(resumed_to(&outs.expect("resumed")), vec![A, B2]);
        assert_eq!(
            calls.relay(signal(A, 1), &CallId("x".into()), None, msg.clone()),
            Ok(vec![Out::Conn(B2, msg)])
        );
        // Hanging up later records the whole call, once.
        let outs = calls
            .hangup(
                signal(B2, 2),
                &CallId("x".into()),
                t0 + Duration::from_secs(60),
            )
            .expect("hang up");
        assert_eq!(record(&outs), Some(CallOutcome::Completed { seconds: 60 }));
    }

    #[test]
    fn a_member_who_does_not_come_back_within_the_grace_ends_the_call() {
        let t0 = Instant::now();
        let mut calls = answered(t0);
        calls.disconnect(B, false, t0);
        assert!(calls
            .tick(t0 + RESUME_GRACE - Duration::from_secs(1))
            .is_empty());
        let outs = calls.tick(t0 + RESUME_GRACE);
        assert!(outs.contains(&Out::Conn(
            A,
            ServerCall::Ended {
                call_id: CallId("x".into()),
                reason: EndReason::Disconnected
            }
        )));
        assert_eq!(
            record(&outs),
            Some(CallOutcome::Completed { seconds: 30 }),
            "they did talk"
        );
    }

    #[test]
    fn after_a_restart_the_call_is_rebuilt_from_both_members_words() {
        let t0 = Instant::now();
        let mut calls = Calls::new(Duration::from_secs(45));
        let outs = calls.resume(word(1, A2, true, 62), t0).expect("first word");
        assert!(outs.is_empty(), "bob is not back yet");
        let outs = calls
            .resume(word(2, B2, false, 60), t0 + Duration::from_secs(2))
            .expect("second word");
        assert_eq!(resumed_to(&outs), vec![A2, B2]);
        assert_eq!(calls.call_of(UserId(2)), Some(&CallId("x".into())));
        let outs = calls
            .hangup(
                signal(A2, 1),
                &CallId("x".into()),
                t0 + Duration::from_secs(10),
            )
            .expect("hang up");
        // The shorter account: bob said 60 s at t0 + 2 s, so answered at t0 - 58 s.
        assert_eq!(record(&outs), Some(CallOutcome::Completed { seconds: 68 }));
    }

    #[test]
    fn one_word_alone_makes_no_entry_and_a_mismatch_is_refused() {
        let t0 = Instant::now();
        let mut calls = Calls::new(Duration::from_secs(45));
        calls
            .resume(word(1, A2, true, 300), t0)
            .expect("first word");
        // bob cannot claim the same call with the roles swapped.
        assert_eq!(
            calls.resume(word(2, B2, true, 300), t0),
            Err(CallError::NoSuchCall)
        );
        let outs = calls.tick(t0 + RESUME_GRACE);
        assert_eq!(record(&outs), None, "nothing shows this call happened");
        assert_eq!(calls.call_of(UserId(1)), None);
    }

    #[test]
    fn a_member_in_another_call_cannot_resume_this_one() {
        let t0 = Instant::now();
        let mut calls = answered(t0);
        let mut other = word(1, A2, true, 5);
        other.id = CallId("y".into());
        assert_eq!(calls.resume(other, t0), Err(CallError::AlreadyInCall));
    }
}

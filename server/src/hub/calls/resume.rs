//! Calls that outlive a connection: a member whose connection to the server was lost (a
//! network change, a server restart) says "I am still in this call" when it is back, and the
//! call goes on, media having flowed browser to browser all along. After a restart the hub
//! has forgotten the call: it is rebuilt from the first member's word, and only confirmed
//! (and so recorded in the conversation) when the other member says the same.

use std::time::{Duration, Instant};

use super::call::{Call, Members, Seat};
use super::{CallError, Calls, Out, Party};
use hearth_shared::call::{CallId, CallKind, ServerCall, Via};
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

    /// The two members, the caller first.
    fn pair(&self) -> [UserPublic; 2] {
        if self.caller {
            [self.me.clone(), self.peer.clone()]
        } else {
            [self.peer.clone(), self.me.clone()]
        }
    }

    /// Whether `call` is the call this member describes: same members in the same roles.
    fn describes(&self, call: &Call) -> bool {
        let [caller, callee] = self.pair();
        call.is_from_to(caller.id, callee.id) && call.kind == self.kind
    }

    /// The call as this member describes it: answered, they on their tab, the other's
    /// place kept (away) until they say the same.
    fn rebuilt(&self, now: Instant) -> Call {
        let pair = self.pair();
        let since = self.since(now);
        let seats = pair
            .iter()
            .map(|m| match m.id == self.me.id {
                true => Seat::on(m.clone(), self.by.conn, since),
                false => Seat::kept(m.clone(), now),
            })
            .collect();
        Call {
            id: self.id.clone(),
            conversation: self.conversation,
            kind: self.kind,
            started_by: pair[0].id,
            members: Members::Pair(pair),
            host: None,
            via: Via::Mesh,
            started: since,
            answered: Some(since),
            unconfirmed: true,
            seats,
            took_part: Vec::new(),
            ringing: Vec::new(),
        }
    }
}

impl Calls {
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
        if !r.describes(call) || call.answered.is_none() {
            return Err(CallError::NoSuchCall);
        }
        let seat = call.seat_of_user(r.me.id).ok_or(CallError::NoSuchCall)?;
        seat.conn = r.by.conn;
        seat.away = None;
        if call.unconfirmed {
            // The other member's word: the call really happened. Its length is the
            // shorter of the two accounts.
            call.unconfirmed = false;
            call.answered = call.answered.map(|a| a.max(r.since(now)));
            self.by_user.insert(r.me.id, r.id.clone());
        }
        if call.seats.iter().any(|s| s.away.is_some()) {
            return Ok(Vec::new());
        }
        let resumed = ServerCall::Resumed {
            call_id: r.id.clone(),
        };
        Ok(call
            .seats
            .iter()
            .map(|s| Out::Conn(s.conn, resumed.clone()))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Invite;
    use super::*;
    use crate::hub::ConnId;
    use hearth_shared::call::{CallOutcome, EndReason};
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
    fn each_lost_connection_has_its_own_grace() {
        let t0 = Instant::now();
        let mut calls = answered(t0);
        calls.disconnect(A, false, t0);
        calls.disconnect(B, false, t0 + Duration::from_secs(10));
        let back = calls.resume(word(1, A2, true, 20), t0 + Duration::from_secs(20));
        assert_eq!(resumed_to(&back.expect("alice back")), vec![], "bob is not");
        assert!(
            calls.tick(t0 + RESUME_GRACE).is_empty(),
            "alice's own loss no longer counts; bob's grace runs from his"
        );
        let outs = calls.tick(t0 + Duration::from_secs(10) + RESUME_GRACE);
        assert!(outs.contains(&Out::Conn(
            A2,
            ServerCall::Ended {
                call_id: CallId("x".into()),
                reason: EndReason::Disconnected
            }
        )));
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

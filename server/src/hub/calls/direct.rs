//! A direct call: one friend calls the other like a phone. It rings every tab of the callee,
//! says "busy" when they are in a call, answers instead when both call each other at once,
//! stops ringing the callee's other tabs when one answers ("answered elsewhere"), and ends
//! for both when either hangs up. The caller sits down when they call, the callee when they
//! answer.

use std::time::Instant;

use super::call::{Call, Members, Seat};
use super::{CallError, Calls, Out, Party, RESUME_GRACE};
use crate::hub::ConnId;
use hearth_shared::call::{
    CallId, CallInfo, CallKind, CallOutcome, CallRecord, EndReason, ServerCall, Via,
};
use hearth_shared::session::UserPublic;
use hearth_shared::{ConversationId, ReqId, UserId};

/// An invitation, as the connection handler has checked it (friends, conversation).
#[derive(Debug, Clone)]
pub struct Invite {
    /// The request to answer.
    pub req_id: ReqId,
    /// Who calls.
    pub caller: UserPublic,
    /// From which tab.
    pub conn: ConnId,
    /// Whom.
    pub callee: UserPublic,
    /// Voice or video.
    pub kind: CallKind,
    /// Their conversation.
    pub conversation: ConversationId,
    /// A fresh id for the call.
    pub id: CallId,
}

impl Call {
    /// A direct call from `caller` (on `conn`) to `callee`, ringing from `now`.
    fn ring(inv: &Invite, now: Instant) -> Call {
        Call {
            id: inv.id.clone(),
            conversation: inv.conversation,
            kind: inv.kind,
            members: Members::Pair([inv.caller.clone(), inv.callee.clone()]),
            host: None,
            via: Via::Mesh,
            started_by: inv.caller.id,
            started: now,
            answered: None,
            unconfirmed: false,
            seats: vec![Seat::on(inv.caller.clone(), inv.conn, now)],
            took_part: Vec::new(),
            ringing: vec![inv.callee.id],
        }
    }

    /// The two members of a direct call, the caller first.
    pub(super) fn pair(&self) -> Option<&[UserPublic; 2]> {
        match &self.members {
            Members::Pair(pair) => Some(pair),
            Members::Room(_) | Members::Friends(_) => None,
        }
    }

    /// Whether this direct call is between `a` and `b`, `a` calling.
    pub(super) fn is_from_to(&self, a: UserId, b: UserId) -> bool {
        self.pair()
            .is_some_and(|[caller, callee]| caller.id == a && callee.id == b)
    }

    /// The call as a member sees it: with `peer`, the other member.
    fn info_with(&self, peer: &UserPublic) -> CallInfo {
        CallInfo {
            id: self.id.clone(),
            peer: peer.clone(),
            kind: self.kind,
            conversation: self.conversation,
        }
    }

    /// The tab of the other participant, for signaling: `Ok(None)` while theirs is lost,
    /// `Err` unless `conn` is a tab of an answered call.
    fn other_conn(&self, conn: ConnId) -> Result<Option<ConnId>, CallError> {
        let me = self.seat_of(conn).ok_or(CallError::NoSuchCall)?;
        if self.answered.is_none() {
            return Err(CallError::NotAnswered);
        }
        Ok(self
            .seats
            .iter()
            .find(|s| s.user.id != me.user.id && s.away.is_none())
            .map(|s| s.conn))
    }
}

impl Calls {
    /// Rings the callee, or tells the caller "busy", or (when the callee is already ringing
    /// the caller) answers that call instead, so two people calling each other at once end up
    /// in exactly one call.
    pub fn invite(&mut self, inv: Invite, now: Instant) -> Result<Vec<Out>, CallError> {
        if let Some(existing) = self.by_user.get(&inv.caller.id).cloned() {
            return self.crossed(inv, &existing, now);
        }
        let call = Call::ring(&inv, now);
        let mut out = vec![Out::Conn(
            inv.conn,
            ServerCall::Outgoing {
                req_id: inv.req_id,
                call: call.info_with(&inv.callee),
            },
        )];
        if self.by_user.contains_key(&inv.callee.id) {
            out.push(Out::Conn(
                inv.conn,
                ServerCall::Ended {
                    call_id: inv.id.clone(),
                    reason: EndReason::Busy,
                },
            ));
            out.push(record(&call, CallOutcome::Busy));
            return Ok(out);
        }
        out.push(Out::User(
            inv.callee.id,
            ServerCall::Incoming {
                call: call.info_with(&inv.caller),
            },
        ));
        self.by_user.insert(inv.caller.id, inv.id.clone());
        self.by_user.insert(inv.callee.id, inv.id.clone());
        self.calls.insert(inv.id, call);
        Ok(out)
    }

    /// The caller of `inv` is already in call `existing`: when that is the callee ringing
    /// them, it is answered; anything else is refused.
    fn crossed(
        &mut self,
        inv: Invite,
        existing: &CallId,
        now: Instant,
    ) -> Result<Vec<Out>, CallError> {
        let call = self
            .direct(existing)
            .filter(|c| c.is_from_to(inv.callee.id, inv.caller.id) && c.answered.is_none())
            .ok_or(CallError::AlreadyInCall)?;
        let mut out = vec![Out::Conn(
            inv.conn,
            ServerCall::Outgoing {
                req_id: inv.req_id,
                call: call.info_with(&inv.callee),
            },
        )];
        let by = Party {
            user: inv.caller.id,
            conn: inv.conn,
        };
        out.extend(self.accept(by, existing, now)?);
        Ok(out)
    }

    fn ringing_for_callee(&mut self, by: Party, id: &CallId) -> Result<&mut Call, CallError> {
        let call = self
            .calls
            .get_mut(id)
            .filter(|c| !c.is_room() && c.pair().is_some_and(|p| p[1].id == by.user))
            .ok_or(CallError::NoSuchCall)?;
        match call.answered {
            None => Ok(call),
            Some(_) => Err(CallError::WrongState),
        }
    }

    /// Answers on tab `by.conn`: both tabs start WebRTC; the callee's other tabs stop ringing.
    pub fn accept(&mut self, by: Party, id: &CallId, now: Instant) -> Result<Vec<Out>, CallError> {
        let call = self.ringing_for_callee(by, id)?;
        let caller_conn = call
            .seats
            .first()
            .filter(|s| s.away.is_none())
            .ok_or(CallError::NoSuchCall)?
            .conn;
        let callee = call.pair().ok_or(CallError::NoSuchCall)?[1].clone();
        call.answered = Some(now);
        call.ringing.clear();
        call.seats.push(Seat::on(callee, by.conn, now));
        let connected = |polite| ServerCall::Connected {
            call_id: id.clone(),
            polite,
        };
        Ok(vec![
            Out::Conn(caller_conn, connected(false)),
            Out::Conn(by.conn, connected(true)),
            Out::UserExcept(
                by.user,
                by.conn,
                ServerCall::Ended {
                    call_id: id.clone(),
                    reason: EndReason::AnsweredElsewhere,
                },
            ),
        ])
    }

    /// The callee refuses a ringing direct call.
    pub(super) fn decline_direct(
        &mut self,
        by: Party,
        id: &CallId,
        now: Instant,
    ) -> Result<Vec<Out>, CallError> {
        self.ringing_for_callee(by, id)?;
        Ok(self.end_direct(id, EndReason::Declined, now))
    }

    /// Either member ends a direct call (see [`Calls::hangup`]).
    pub(super) fn hangup_direct(
        &mut self,
        by: Party,
        id: &CallId,
        now: Instant,
    ) -> Result<Vec<Out>, CallError> {
        let call = self.direct(id).ok_or(CallError::NoSuchCall)?;
        let seated = call.seat_of(by.conn).is_some_and(|s| s.user.id == by.user);
        let reason = match call.answered {
            None if seated => EndReason::Cancelled,
            None if call.ringing.contains(&by.user) => EndReason::Declined,
            Some(_) if seated => EndReason::HungUp,
            _ => return Err(CallError::NoSuchCall),
        };
        Ok(self.end_direct(id, reason, now))
    }

    /// Signaling to the other participant of a direct call (see [`Calls::relay`]).
    pub(super) fn relay_direct(
        &self,
        by: Party,
        id: &CallId,
        msg: ServerCall,
    ) -> Result<Vec<Out>, CallError> {
        let call = self.direct(id).ok_or(CallError::NoSuchCall)?;
        Ok(call
            .other_conn(by.conn)?
            .map(|to| Out::Conn(to, msg))
            .into_iter()
            .collect())
    }

    /// Direct calls held by tab `conn`, which closed: a ringing one ends, and so does an
    /// answered one when the tab said goodbye; otherwise its participant is away for
    /// [`RESUME_GRACE`].
    pub(super) fn disconnect_direct(
        &mut self,
        conn: ConnId,
        clean: bool,
        now: Instant,
    ) -> Vec<Out> {
        let held: Vec<CallId> = self
            .calls
            .values()
            .filter(|c| !c.is_room() && c.seat_of(conn).is_some())
            .map(|c| c.id.clone())
            .collect();
        let mut out = Vec::new();
        for id in held {
            let Some(call) = self.calls.get_mut(&id) else {
                continue;
            };
            if clean || call.answered.is_none() {
                out.extend(self.end_direct(&id, EndReason::Disconnected, now));
                continue;
            }
            for seat in call.seats.iter_mut().filter(|s| s.conn == conn) {
                seat.away.get_or_insert(now);
            }
        }
        out
    }

    /// Direct calls that rang for longer than the timeout end as missed; answered ones
    /// whose participant has not come back within the grace, as disconnected.
    pub(super) fn tick_direct(&mut self, now: Instant) -> Vec<Out> {
        let timeout = self.ring_timeout;
        let over: Vec<(CallId, EndReason)> = self
            .calls
            .values()
            .filter(|c| !c.is_room())
            .filter_map(|c| match c.answered {
                None if now.duration_since(c.started) >= timeout => {
                    Some((c.id.clone(), EndReason::Missed))
                }
                Some(_) if !c.away_for(RESUME_GRACE, now).is_empty() => {
                    Some((c.id.clone(), EndReason::Disconnected))
                }
                _ => None,
            })
            .collect();
        over.iter()
            .flat_map(|(id, why)| self.end_direct(id, *why, now))
            .collect()
    }

    /// Ends a direct call for both members and records it in their conversation.
    pub(super) fn end_direct(&mut self, id: &CallId, reason: EndReason, now: Instant) -> Vec<Out> {
        if self.direct(id).is_none() {
            return Vec::new();
        }
        let Some(call) = self.calls.remove(id) else {
            return Vec::new();
        };
        if let Some(pair) = call.pair() {
            for member in pair {
                self.by_user.remove(&member.id);
            }
        }
        let ended = ServerCall::Ended {
            call_id: id.clone(),
            reason,
        };
        let mut out: Vec<Out> = call
            .seats
            .iter()
            .filter(|s| s.away.is_none())
            .map(|s| Out::Conn(s.conn, ended.clone()))
            .collect();
        out.extend(call.ringing.iter().map(|&u| Out::User(u, ended.clone())));
        out.extend(call.seats.iter().map(|s| Out::Left {
            call_id: id.clone(),
            user: s.user.id,
        }));
        let outcome = match (call.answered, reason) {
            (Some(since), _) => CallOutcome::Completed {
                seconds: now.duration_since(since).as_secs() as u32,
            },
            (None, EndReason::Declined) => CallOutcome::Declined,
            (None, EndReason::Missed) => CallOutcome::Missed,
            (None, _) => CallOutcome::Cancelled,
        };
        // A call rebuilt from one member's word alone leaves no entry: nothing shows it
        // happened.
        if !call.unconfirmed {
            out.push(record(&call, outcome));
        }
        out
    }
}

/// The entry a direct call leaves in its conversation.
fn record(call: &Call, outcome: CallOutcome) -> Out {
    Out::Record {
        conversation: call.conversation,
        caller: call.started_by,
        call_id: call.id.clone(),
        record: CallRecord {
            kind: call.kind,
            outcome,
            participants: Vec::new(),
            broadcast: false,
        },
    }
}

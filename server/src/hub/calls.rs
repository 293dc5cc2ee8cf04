//! Calls as a pure state machine (str0m's sans-IO idea): commands and the current time go
//! in, deliveries and call records come out. No sockets, no clock, no database, so every
//! rule (busy, ring timeout, both calling at once, answered elsewhere, disconnect) is a plain
//! unit test.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::ConnId;
use hearth_shared::call::{
    CallId, CallInfo, CallKind, CallOutcome, CallRecord, EndReason, ServerCall,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Ringing { since: Instant },
    Active { since: Instant },
}

#[derive(Debug, Clone)]
struct Call {
    id: CallId,
    kind: CallKind,
    conversation: ConversationId,
    caller: UserPublic,
    /// The caller's tab; `None` while its connection is lost (see `resume`).
    caller_conn: Option<ConnId>,
    callee: UserPublic,
    /// The answering tab; `None` while ringing, or while its connection is lost.
    callee_conn: Option<ConnId>,
    phase: Phase,
    /// Since when a member's connection has been lost in an answered call.
    lost_since: Option<Instant>,
    /// Both members vouch for the call: always, except for a call rebuilt after a restart
    /// from one member's word, until the other says the same.
    confirmed: bool,
}

impl Call {
    fn info_for(&self, user: UserId) -> CallInfo {
        let peer = if user == self.caller.id {
            &self.callee
        } else {
            &self.caller
        };
        CallInfo {
            id: self.id.clone(),
            peer: peer.clone(),
            kind: self.kind,
            conversation: self.conversation,
        }
    }

    /// Whether `conn` is one of the call's tabs.
    fn holds(&self, conn: ConnId) -> bool {
        self.caller_conn == Some(conn) || self.callee_conn == Some(conn)
    }

    /// The tab of the other member, for signaling: `Ok(None)` while theirs is lost, `Err`
    /// unless `conn` is a tab of an answered call.
    fn other_conn(&self, conn: ConnId) -> Result<Option<ConnId>, CallError> {
        if !matches!(self.phase, Phase::Active { .. }) {
            return Err(if self.caller_conn == Some(conn) {
                CallError::NotAnswered
            } else {
                CallError::NoSuchCall
            });
        }
        if self.caller_conn == Some(conn) {
            Ok(self.callee_conn)
        } else if self.callee_conn == Some(conn) {
            Ok(self.caller_conn)
        } else {
            Err(CallError::NoSuchCall)
        }
    }
}

/// Every live call.
#[derive(Debug)]
pub struct Calls {
    calls: HashMap<CallId, Call>,
    /// Room calls (see `room`).
    rooms: HashMap<CallId, room::RoomCall>,
    by_room: HashMap<ConversationId, CallId>,
    /// Who is in which call, direct or room: one at a time.
    by_user: HashMap<UserId, CallId>,
    ring_timeout: Duration,
}

impl Calls {
    /// No calls; unanswered calls end as missed after `ring_timeout`.
    pub fn new(ring_timeout: Duration) -> Calls {
        Calls {
            calls: HashMap::new(),
            rooms: HashMap::new(),
            by_room: HashMap::new(),
            by_user: HashMap::new(),
            ring_timeout,
        }
    }

    /// The call `user` is in, if any.
    pub fn call_of(&self, user: UserId) -> Option<&CallId> {
        self.by_user.get(&user)
    }

    /// Rings the callee, or tells the caller "busy", or (when the callee is already ringing
    /// the caller) answers that call instead, so two people calling each other at once end up
    /// in exactly one call.
    pub fn invite(&mut self, inv: Invite, now: Instant) -> Result<Vec<Out>, CallError> {
        if let Some(existing) = self.by_user.get(&inv.caller.id).cloned() {
            let crossed = self.calls.get(&existing).is_some_and(|c| {
                c.caller.id == inv.callee.id
                    && c.callee.id == inv.caller.id
                    && matches!(c.phase, Phase::Ringing { .. })
            });
            if !crossed {
                return Err(CallError::AlreadyInCall);
            }
            let call = self.calls.get(&existing).ok_or(CallError::NoSuchCall)?;
            let mut out = vec![Out::Conn(
                inv.conn,
                ServerCall::Outgoing {
                    req_id: inv.req_id,
                    call: call.info_for(inv.caller.id),
                },
            )];
            out.extend(self.accept(
                Party {
                    user: inv.caller.id,
                    conn: inv.conn,
                },
                &existing,
                now,
            )?);
            return Ok(out);
        }
        let call = Call {
            id: inv.id.clone(),
            kind: inv.kind,
            conversation: inv.conversation,
            caller: inv.caller.clone(),
            caller_conn: Some(inv.conn),
            callee: inv.callee.clone(),
            callee_conn: None,
            phase: Phase::Ringing { since: now },
            lost_since: None,
            confirmed: true,
        };
        let mut out = vec![Out::Conn(
            inv.conn,
            ServerCall::Outgoing {
                req_id: inv.req_id,
                call: call.info_for(inv.caller.id),
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
                call: call.info_for(inv.callee.id),
            },
        ));
        self.by_user.insert(inv.caller.id, inv.id.clone());
        self.by_user.insert(inv.callee.id, inv.id.clone());
        self.calls.insert(inv.id, call);
        Ok(out)
    }

    fn ringing_for_callee(&mut self, by: Party, id: &CallId) -> Result<&mut Call, CallError> {
        let call = self
            .calls
            .get_mut(id)
            .filter(|c| c.callee.id == by.user)
            .ok_or(CallError::NoSuchCall)?;
        match call.phase {
            Phase::Ringing { .. } => Ok(call),
            Phase::Active { .. } => Err(CallError::WrongState),
        }
    }

    /// Answers on tab `by.conn`: both tabs start WebRTC; the callee's other tabs stop ringing.
    pub fn accept(&mut self, by: Party, id: &CallId, now: Instant) -> Result<Vec<Out>, CallError> {
        let call = self.ringing_for_callee(by, id)?;
        let caller_conn = call.caller_conn.ok_or(CallError::NoSuchCall)?;
        call.phase = Phase::Active { since: now };
        call.callee_conn = Some(by.conn);
        Ok(vec![
            Out::Conn(
                caller_conn,
                ServerCall::Connected {
                    call_id: id.clone(),
                    polite: false,
                },
            ),
            Out::Conn(
                by.conn,
                ServerCall::Connected {
                    call_id: id.clone(),
                    polite: true,
                },
            ),
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

    /// Refuses a ringing call.
    pub fn decline(&mut self, by: Party, id: &CallId, now: Instant) -> Result<Vec<Out>, CallError> {
        if self.is_room_call(id) {
            return self.decline_room(by, id);
        }
        self.ringing_for_callee(by, id)?;
        Ok(self.end(id, EndReason::Declined, now))
    }

    /// Ends a call: a cancel while ringing (caller), a decline while ringing (callee), a
    /// hang-up once answered (either member, from the tab in the call, even while the
    /// other's connection is lost).
    pub fn hangup(&mut self, by: Party, id: &CallId, now: Instant) -> Result<Vec<Out>, CallError> {
        if self.is_room_call(id) {
            return self.leave_room(by, id, EndReason::HungUp, now);
        }
        let call = self.calls.get(id).ok_or(CallError::NoSuchCall)?;
        let reason = match call.phase {
            Phase::Ringing { .. } if call.caller_conn == Some(by.conn) => EndReason::Cancelled,
            Phase::Ringing { .. } if by.user == call.callee.id => EndReason::Declined,
            Phase::Active { .. } if call.holds(by.conn) => EndReason::HungUp,
            _ => return Err(CallError::NoSuchCall),
        };
        Ok(self.end(id, reason, now))
    }

    /// Passes signaling to the other member's tab; only between the two tabs in the call.
    /// While the other's connection is lost it is dropped: both send their state again when
    /// the call is whole (`Resumed`). In a room call it goes to the participant `to` names
    /// (media and recording state: to every other participant), naming its sender.
    pub fn relay(
        &self,
        by: Party,
        id: &CallId,
        to: Option<UserId>,
        msg: ServerCall,
    ) -> Result<Vec<Out>, CallError> {
        if self.is_room_call(id) {
            return self.relay_room(by, id, to, msg);
        }
        let call = self.calls.get(id).ok_or(CallError::NoSuchCall)?;
        Ok(call
            .other_conn(by.conn)?
            .map(|to| Out::Conn(to, msg))
            .into_iter()
            .collect())
    }

    /// Ends calls that rang for longer than the timeout, as missed, and answered calls
    /// whose member has not come back within the grace, as disconnected.
    pub fn tick(&mut self, now: Instant) -> Vec<Out> {
        let timeout = self.ring_timeout;
        let due = |c: &&Call| match c.phase {
            Phase::Ringing { since } => now.duration_since(since) >= timeout,
            Phase::Active { .. } => c
                .lost_since
                .is_some_and(|t| now.duration_since(t) >= RESUME_GRACE),
        };
        let over: Vec<(CallId, EndReason)> = self
            .calls
            .values()
            .filter(due)
            .map(|c| {
                let why = match c.phase {
                    Phase::Ringing { .. } => EndReason::Missed,
                    Phase::Active { .. } => EndReason::Disconnected,
                };
                (c.id.clone(), why)
            })
            .collect();
        let mut out: Vec<Out> = over
            .iter()
            .flat_map(|(id, why)| self.end(id, *why, now))
            .collect();
        out.extend(self.tick_rooms(now));
        out
    }

    fn end(&mut self, id: &CallId, reason: EndReason, now: Instant) -> Vec<Out> {
        let Some(call) = self.calls.remove(id) else {
            return Vec::new();
        };
        self.by_user.remove(&call.caller.id);
        self.by_user.remove(&call.callee.id);
        let ended = ServerCall::Ended {
            call_id: id.clone(),
            reason,
        };
        let mut out: Vec<Out> = call
            .caller_conn
            .map(|c| Out::Conn(c, ended.clone()))
            .into_iter()
            .collect();
        let outcome = match call.phase {
            Phase::Active { since } => {
                out.extend(call.callee_conn.map(|c| Out::Conn(c, ended)));
                CallOutcome::Completed {
                    seconds: now.duration_since(since).as_secs() as u32,
                }
            }
            Phase::Ringing { .. } => {
                out.push(Out::User(call.callee.id, ended));
                match reason {
                    EndReason::Declined => CallOutcome::Declined,
                    EndReason::Missed => CallOutcome::Missed,
                    _ => CallOutcome::Cancelled,
                }
            }
        };
        // A call rebuilt from one member's word alone leaves no entry: nothing shows it
        // happened.
        if call.confirmed {
            out.push(record(&call, outcome));
        }
        out
    }
}

fn record(call: &Call, outcome: CallOutcome) -> Out {
    Out::Record {
        conversation: call.conversation,
        caller: call.caller.id,
        call_id: call.id.clone(),
        record: CallRecord {
            kind: call.kind,
            outcome,
            participants: Vec::new(),
        },
    }
}

mod friendship;
mod out;
mod resume;
mod room;
#[cfg(test)]
mod tests;

pub use out::{CallError, Out, Party};
pub use resume::{Resume, RESUME_GRACE};
pub use room::{JoinRoom, Rejoin};

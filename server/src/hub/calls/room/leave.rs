//! Leaving a room call, and the ways a call loses its participants: a lost connection, a
//! member leaving or removed from the room, a ring nobody answered. The last one out ends it
//! and leaves its entry in the room.

use std::time::Instant;

use super::super::call::Members;
use super::super::{CallError, Calls, Out, Party};
use super::Place;
use crate::hub::ConnId;
use hearth_shared::call::{CallId, CallOutcome, CallRecord, EndReason, ServerCall};
use hearth_shared::session::UserPublic;
use hearth_shared::{ConversationId, UserId};

impl Calls {
    /// The participant on tab `by.conn` leaves; the call ends with its last participant.
    pub(in crate::hub::calls) fn leave_room(
        &mut self,
        by: Party,
        id: &CallId,
        reason: EndReason,
        now: Instant,
    ) -> Result<Vec<Out>, CallError> {
        let call = self.room(id).ok_or(CallError::NoSuchCall)?;
        let user = call.seat_of(by.conn).ok_or(CallError::NoSuchCall)?.user.id;
        self.unseat(id, user, reason, now)
    }

    /// `user` is out of call `id`: their tab is told why, the others that they left.
    pub(in crate::hub::calls) fn unseat(
        &mut self,
        id: &CallId,
        user: UserId,
        reason: EndReason,
        now: Instant,
    ) -> Result<Vec<Out>, CallError> {
        let call = (self.calls.get_mut(id))
            .filter(|c| c.is_room())
            .ok_or(CallError::NoSuchCall)?;
        let seat = call
            .seats
            .iter()
            .find(|s| s.user.id == user)
            .ok_or(CallError::NoSuchCall)?
            .clone();
        call.seats.retain(|s| s.user.id != user);
        self.by_user.remove(&user);
        let mut out = vec![
            Out::Conn(
                seat.conn,
                ServerCall::Ended {
                    call_id: id.clone(),
                    reason,
                },
            ),
            Out::Left {
                call_id: id.clone(),
                user,
            },
        ];
        // A broadcast ends with its host: its viewers are told that, not that she left.
        if call.seats.is_empty() || call.host == Some(user) {
            out.extend(self.end_room(id, now));
            return Ok(out);
        }
        for other in (call.seats.iter()).filter(|s| call.hears_of(s.user.id, user)) {
            out.push(Out::Conn(
                other.conn,
                ServerCall::PeerLeft {
                    call_id: id.clone(),
                    user: seat.user.id,
                },
            ));
        }
        out.extend(call.snapshot(Some(call.info())));
        Ok(out)
    }

    /// Room calls after a tab's connection closed: a goodbye leaves the call; a lost
    /// connection keeps the place for `REJOIN_GRACE` (see `rejoin`).
    pub(in crate::hub::calls) fn disconnect_room(
        &mut self,
        conn: ConnId,
        clean: bool,
        now: Instant,
    ) -> Vec<Out> {
        if !clean {
            self.away_from_room(conn, now);
            return Vec::new();
        }
        let held: Vec<(CallId, UserId)> = self
            .calls
            .values()
            .filter(|c| c.is_room())
            .filter_map(|c| c.seat_of(conn).map(|s| (c.id.clone(), s.user.id)))
            .collect();
        held.into_iter()
            .flat_map(|(id, user)| {
                let by = Party { user, conn };
                self.leave_room(by, &id, EndReason::Disconnected, now)
                    .unwrap_or_default()
            })
            .collect()
    }

    /// `user` is no longer a member of `room` (removed, or left it): out of its call and
    /// its ring at once; the others are told.
    pub fn left_room(&mut self, room: ConversationId, user: UserId, now: Instant) -> Vec<Out> {
        let Some(id) = self.by_place.get(&Place::Room(room)).cloned() else {
            return Vec::new();
        };
        let Some(call) = self.room_mut(&id) else {
            return Vec::new();
        };
        if let Members::Room(members) = &mut call.members {
            members.retain(|&m| m != user);
        }
        let mut out: Vec<Out> = call
            .stop_ringing(user, EndReason::Removed)
            .into_iter()
            .collect();
        if call.seats.iter().any(|s| s.user.id == user) {
            out.extend(
                self.unseat(&id, user, EndReason::Removed, now)
                    .unwrap_or_default(),
            );
        } else {
            out.extend(call.snapshot(Some(call.info())));
        }
        out
    }

    /// Room calls whose ring timed out: the ring stops; a call nobody joined ends as missed.
    pub(in crate::hub::calls) fn tick_rooms(&mut self, now: Instant) -> Vec<Out> {
        let mut out = self.expire_away(now);
        let timeout = self.ring_timeout;
        let due: Vec<CallId> = self
            .calls
            .values()
            .filter(|c| c.is_room() && now.duration_since(c.started) >= timeout)
            .filter(|c| c.answered.is_none() || !c.ringing.is_empty())
            .map(|c| c.id.clone())
            .collect();
        for id in due {
            let Some(call) = self.room_mut(&id) else {
                continue;
            };
            if call.answered.is_none() {
                out.extend(self.end_room(&id, now));
                continue;
            }
            for user in call.ringing.clone() {
                out.extend(call.stop_ringing(user, EndReason::Missed));
            }
        }
        out
    }

    /// Ends a room call: whoever is still in it or still rung is told, every member sees
    /// it gone, and its entry goes into the room.
    fn end_room(&mut self, id: &CallId, now: Instant) -> Vec<Out> {
        if self.room(id).is_none() {
            return Vec::new();
        }
        let Some(mut call) = self.calls.remove(id) else {
            return Vec::new();
        };
        self.by_place.remove(&call.place());
        let mut out = Vec::new();
        let reason = match call.host {
            Some(_) => EndReason::BroadcastEnded,
            None => EndReason::Missed,
        };
        for seat in std::mem::take(&mut call.seats) {
            self.by_user.remove(&seat.user.id);
            out.push(Out::Conn(
                seat.conn,
                ServerCall::Ended {
                    call_id: id.clone(),
                    reason,
                },
            ));
            out.push(Out::Left {
                call_id: id.clone(),
                user: seat.user.id,
            });
        }
        for user in call.ringing.clone() {
            out.extend(call.stop_ringing(user, EndReason::Missed));
        }
        out.extend(call.snapshot(None));
        // One participant's word alone does not make a call that happened.
        if call.unconfirmed {
            return out;
        }
        let outcome = match call.answered {
            Some(since) => CallOutcome::Completed {
                seconds: now.duration_since(since).as_secs() as u32,
            },
            None => CallOutcome::Missed,
        };
        let record = |participants: Vec<String>| CallRecord {
            kind: call.kind,
            outcome,
            participants,
            broadcast: call.host.is_some(),
        };
        let names = |users: &[UserPublic]| users.iter().map(|u| u.username.clone()).collect();
        let is_host = |u: &&UserPublic| Some(u.id) == call.host;
        match (&call.members, call.took_part.iter().find(is_host)) {
            // A broadcast to friends belongs to no conversation: each viewer's conversation
            // with the host gets "alice was live, 5:00 — watched by bob".
            (Members::Friends(_), Some(host)) => {
                for viewer in call.took_part.iter().filter(|u| !is_host(u)) {
                    out.push(Out::RecordWithFriend {
                        friend: viewer.id,
                        caller: host.id,
                        call_id: call.id.clone(),
                        record: record(names(&[host.clone(), viewer.clone()])),
                    });
                }
            }
            (Members::Friends(_), None) => {}
            _ => out.push(Out::Record {
                conversation: call.conversation,
                caller: call.started_by,
                call_id: call.id.clone(),
                record: record(match outcome {
                    CallOutcome::Completed { .. } => names(&call.took_part),
                    _ => Vec::new(),
                }),
            }),
        }
        out
    }
}

//! Calls as a pure state machine (str0m's sans-IO idea): commands and the current time go
//! in, deliveries and call records come out. No sockets, no clock, no database, so every
//! rule (busy, ring timeout, both calling at once, answered elsewhere, disconnect, a room's
//! participants coming and going) is a plain unit test.
//!
//! Every call, direct or in a room, is one [`call::Call`]: a conversation's call with its
//! participants. The phone's rules of a direct call live in `direct`, a room's in `room`;
//! what happens to a participant whose connection is lost, in `resume` and `room::rejoin`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::ConnId;
use call::Call;
use hearth_shared::call::{CallId, EndReason, ServerCall};
use hearth_shared::UserId;

/// Every live call.
#[derive(Debug)]
pub struct Calls {
    calls: HashMap<CallId, Call>,
    /// The call of each room that has one, and the broadcast to friends of each host live.
    by_place: HashMap<Place, CallId>,
    /// Who is in which call, direct or room: one at a time.
    by_user: HashMap<UserId, CallId>,
    ring_timeout: Duration,
}

impl Calls {
    /// No calls; unanswered calls end as missed after `ring_timeout`.
    pub fn new(ring_timeout: Duration) -> Calls {
        Calls {
            calls: HashMap::new(),
            by_place: HashMap::new(),
            by_user: HashMap::new(),
            ring_timeout,
        }
    }

    /// The call `user` is in, if any.
    pub fn call_of(&self, user: UserId) -> Option<&CallId> {
        self.by_user.get(&user)
    }

    /// Whether `id` is a room call.
    pub fn is_room_call(&self, id: &CallId) -> bool {
        self.calls.get(id).is_some_and(Call::is_room)
    }

    /// Refuses a ringing call.
    pub fn decline(&mut self, by: Party, id: &CallId, now: Instant) -> Result<Vec<Out>, CallError> {
        if self.is_room_call(id) {
            return self.decline_room(by, id);
        }
        self.decline_direct(by, id, now)
    }

    /// Leaves a call: in a direct call a cancel while ringing (caller), a decline while
    /// ringing (callee) or a hang-up once answered (either, from the tab in the call, even
    /// while the other's connection is lost), each ending it; in a room call, leaving it
    /// to the others.
    pub fn hangup(&mut self, by: Party, id: &CallId, now: Instant) -> Result<Vec<Out>, CallError> {
        if self.is_room_call(id) {
            return self.leave_room(by, id, EndReason::HungUp, now);
        }
        self.hangup_direct(by, id, now)
    }

    /// Passes signaling between the participants on their tabs in the call, and to nobody
    /// else. In a direct call it goes to the other participant (dropped while their
    /// connection is lost: both send their state again when the call is whole, `Resumed`).
    /// In a room call it goes to the participant `to` names (media and recording state: to
    /// every other participant), naming its sender.
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
        if matches!(msg, ServerCall::SeesViaSfu { .. }) {
            // A direct call has no relay to be seen through.
            return Err(CallError::WrongState);
        }
        self.relay_direct(by, id, msg)
    }

    /// A tab's connection closed. A goodbye (`clean`: the page closed) takes its
    /// participant out of their call; a lost connection (a network change, a server
    /// restart) keeps their place for a grace (see `resume` and `room::rejoin`), except in a
    /// direct call that still rings, which ends.
    pub fn disconnect(&mut self, conn: ConnId, clean: bool, now: Instant) -> Vec<Out> {
        let mut out = self.disconnect_room(conn, clean, now);
        out.extend(self.disconnect_direct(conn, clean, now));
        out
    }

    /// Ends the rings nobody answered within the timeout (a direct call, or a room call
    /// nobody joined, as missed) and takes out the participants whose connection has been
    /// lost for longer than the grace.
    pub fn tick(&mut self, now: Instant) -> Vec<Out> {
        let mut out = self.tick_direct(now);
        out.extend(self.tick_rooms(now));
        out
    }

    /// The participant on tab `conn` of call `id` on the relay (or a room's mesh, which may
    /// move there), if that tab is in it.
    pub fn seated(&self, conn: ConnId, id: &CallId) -> Option<UserId> {
        self.relayable(id)?.seat_of(conn).map(|s| s.user.id)
    }

    /// Whether `user`'s media in call `id` goes to the others: not a broadcast's viewer's.
    pub fn sends(&self, id: &CallId, user: UserId) -> bool {
        (self.calls.get(id)).is_some_and(|c| c.host.is_none_or(|h| h == user))
    }

    /// The others of call `id` whose media `user` receives (those who send), and whether
    /// they send pictures (a video call).
    pub fn senders_to(&self, id: &CallId, user: UserId) -> (Vec<UserId>, bool) {
        let Some(call) = self.calls.get(id) else {
            return (Vec::new(), false);
        };
        let from = (call.seats.iter())
            .map(|s| s.user.id)
            .filter(|u| *u != user && self.sends(id, *u))
            .collect();
        (from, call.kind == hearth_shared::call::CallKind::Video)
    }

    /// For `shows`: the participant on tab `conn` of call `id`, which is on the relay, and
    /// `other` a fellow participant of it. A tab not in the call gets `NoSuchCall`, a direct
    /// call or a mesh `WrongState` (no layers to choose), someone not in it
    /// `NoSuchParticipant`.
    pub fn on_relay_with(
        &self,
        conn: ConnId,
        id: &CallId,
        other: UserId,
    ) -> Result<UserId, CallError> {
        let call = self.calls.get(id).ok_or(CallError::NoSuchCall)?;
        let me = call.seat_of(conn).ok_or(CallError::NoSuchCall)?.user.id;
        if !call.is_room() || call.via != hearth_shared::call::Via::Sfu {
            return Err(CallError::WrongState);
        }
        if me == other || call.seats.iter().all(|s| s.user.id != other) {
            return Err(CallError::NoSuchParticipant);
        }
        Ok(me)
    }

    /// The tab `user` is in call `id` (see [`Calls::seated`]) from, unless their connection
    /// is lost.
    pub fn tab_of(&self, id: &CallId, user: UserId) -> Option<ConnId> {
        let call = self.relayable(id)?;
        let seat = call.seats.iter().find(|s| s.user.id == user)?;
        seat.away.is_none().then_some(seat.conn)
    }

    /// The tabs of call `id`'s participants (see [`Calls::seated`]), but those whose
    /// connection is lost.
    pub fn tabs_in(&self, id: &CallId) -> Vec<ConnId> {
        let seats = self
            .relayable(id)
            .map(|c| c.seats.as_slice())
            .unwrap_or_default();
        (seats.iter().filter(|s| s.away.is_none()))
            .map(|s| s.conn)
            .collect()
    }

    /// The direct call `id`, if it is one.
    fn direct(&self, id: &CallId) -> Option<&Call> {
        self.calls.get(id).filter(|c| !c.is_room())
    }

    /// The room call `id`, if it is one.
    fn room(&self, id: &CallId) -> Option<&Call> {
        self.calls.get(id).filter(|c| c.is_room())
    }

    /// The room call `id`, if it is one.
    fn room_mut(&mut self, id: &CallId) -> Option<&mut Call> {
        self.calls.get_mut(id).filter(|c| c.is_room())
    }
}

mod call;
mod direct;
mod friendship;
mod out;
mod relayed;
mod resume;
mod room;
#[cfg(test)]
mod tests;

pub use direct::Invite;
pub use out::{CallError, Out, Party};
pub use resume::{Resume, RESUME_GRACE};
pub use room::{JoinRoom, Place, Rejoin, Role, RoomLimits, SfuUse};

//! Room calls: any members of a room, who come and go while the call runs, each connected to
//! each (a mesh) until the call grows past the mesh's size and moves to the server's media
//! relay (the SFU; `RoomLimits`). Starting one rings every online member not already in a call; it stays
//! open while anyone is in it and ends when the last participant leaves. Pure like the
//! direct calls beside it: commands and time in, deliveries out; the connection handler has
//! already checked that the user is a member of the room.

use std::time::{Duration, Instant};

use super::call::{Call, Members, Seat};
use super::{CallError, Calls, Out, Party};
use crate::hub::ConnId;
use hearth_shared::call::{
    CallId, CallKind, EndReason, RoomCallInfo, ServerCall, Via, FRIENDS_STAGE,
};
use hearth_shared::session::UserPublic;
use hearth_shared::{ConversationId, ReqId, UserId};

/// A member's wish to join (or start) their room's call, as the connection handler has
/// checked it.
#[derive(Debug, Clone)]
pub struct JoinRoom {
    /// The request to answer.
    pub req_id: ReqId,
    /// Who joins.
    pub user: UserPublic,
    /// From which tab.
    pub conn: ConnId,
    /// The room (or the host's friends, for a broadcast to them).
    pub place: Place,
    /// Voice or video, if this starts the call.
    pub kind: CallKind,
    /// The room's members now (whom to ring and tell); going live to friends: the host and
    /// their friends (ignored when watching: the host's list stands).
    pub members: Vec<UserId>,
    /// A fresh id, used if this starts the call.
    pub id: CallId,
    /// How big the call may grow, and when it goes through the SFU.
    pub limits: RoomLimits,
    /// Rejoin this call (the participant's connection was lost): never starts one.
    pub rejoin: Option<Rejoin>,
    /// Join or start a call, go live, or watch (see `broadcast`).
    pub role: Role,
}

/// Where a room-like call runs: a room, or a host's broadcast to their friends (one at a
/// time per host).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    /// The call (or broadcast) of this room.
    Room(ConversationId),
    /// This host's broadcast to their friends.
    Friends(UserId),
}

/// A participant's word that they are still in a call, after a lost connection.
#[derive(Debug, Clone)]
pub struct Rejoin {
    /// The call.
    pub id: CallId,
    /// The participants they are still connected to (members of the room, as the handler
    /// checked).
    pub with: Vec<UserPublic>,
    /// Seconds since they joined it, by their clock.
    pub seconds: u32,
    /// The host, if it was a broadcast (one of `with`, or they themselves).
    pub host: Option<UserId>,
}

impl Call {
    /// Another participant of a rebuilt call comes back: the call really happened. Its
    /// length is the longest account, and a participant nobody named gets a place (and a
    /// name in its entry, when they take it back).
    fn confirm(&mut self, j: &JoinRoom, now: Instant) {
        if self.seats.iter().all(|s| s.user.id != j.user.id) {
            self.seats.push(Seat::kept(j.user.clone(), now));
        }
        if j.user.id == self.started_by {
            return;
        }
        self.unconfirmed = false;
        let seconds = j.rejoin.as_ref().map_or(0, |r| r.seconds);
        if let Some(since) = now.checked_sub(Duration::from_secs(seconds.into())) {
            self.answered = self.answered.map(|a| a.min(since));
        }
    }
}

/// Signaling names its sender in a room call.
fn from(msg: ServerCall, who: UserId) -> ServerCall {
    let f = Some(who);
    match msg {
        ServerCall::Description {
            call_id,
            description,
            ..
        } => ServerCall::Description {
            call_id,
            from: f,
            description,
        },
        ServerCall::Candidate {
            call_id, candidate, ..
        } => ServerCall::Candidate {
            call_id,
            from: f,
            candidate,
        },
        ServerCall::Media {
            call_id,
            audio,
            video,
            screen,
            ..
        } => ServerCall::Media {
            call_id,
            from: f,
            audio,
            video,
            screen,
        },
        ServerCall::Rejected {
            call_id, message, ..
        } => ServerCall::Rejected {
            call_id,
            from: f,
            message,
        },
        ServerCall::Recording { call_id, on, .. } => ServerCall::Recording {
            call_id,
            from: f,
            on,
        },
        ServerCall::SeesViaSfu { call_id, .. } => ServerCall::SeesViaSfu { call_id, from: f },
        other => other,
    }
}

impl Calls {
    /// Joins the room's running call, or starts one there and rings the others.
    pub fn join_room(&mut self, j: JoinRoom, now: Instant) -> Result<Vec<Out>, CallError> {
        j.role.fits_place(j.place, j.user.id)?;
        if let Some(r) = &j.rejoin {
            return self.rejoin_room(&r.id, &j, false, now);
        }
        if let Some(id) = self.by_user.get(&j.user.id).cloned() {
            // Their place in this room's call, away since a lost connection, is taken back.
            if self.by_place.get(&j.place) == Some(&id) {
                return self.rejoin_room(&id, &j, true, now);
            }
            return Err(CallError::AlreadyInCall);
        }
        let running = self.by_place.get(&j.place).cloned();
        if let Some(id) = &running {
            let host = self.room(id).and_then(|c| c.host);
            j.role.fits(host)?;
        }
        let (id, starts) = match running {
            Some(id) => (id, false),
            None if j.role == Role::Watch => return Err(CallError::NoSuchCall),
            None => (self.start_room(&j, now), true),
        };
        let call = self.room_mut(&id).ok_or(CallError::NoSuchCall)?;
        let n = call.seats.len() + 1;
        let via = match call.host {
            Some(_) => (j.limits.broadcast_via(n))
                .ok_or(CallError::TooManyViewers(j.limits.viewers_max()))?,
            None => (j.limits.via(n, call.via)).ok_or(CallError::Full(j.limits.max()))?,
        };
        let mut out = Vec::new();
        if via != call.via {
            call.via = via;
            // Those already in move first, so the newcomer's offer finds them on the SFU.
            out.extend(call.seats.iter().map(|seat| {
                let call_id = id.clone();
                Out::Conn(seat.conn, ServerCall::ViaSfu { call_id })
            }));
        }
        // In a broadcast only its host connects to the viewers (and hears of them).
        for seat in (call.seats.iter()).filter(|s| call.hears_of(s.user.id, j.user.id)) {
            out.push(Out::Conn(
                seat.conn,
                ServerCall::PeerJoined {
                    call_id: id.clone(),
                    user: j.user.clone(),
                },
            ));
        }
        if !call.seats.is_empty() || call.host.is_some() {
            call.answered.get_or_insert(now);
        }
        call.seats.push(Seat::on(j.user.clone(), j.conn, now));
        call.took_part_by(&j.user);
        if let Members::Room(members) = &mut call.members {
            *members = j.members;
        }
        if call.ringing.contains(&j.user.id) {
            call.ringing.retain(|&u| u != j.user.id);
            out.push(Out::UserExcept(
                j.user.id,
                j.conn,
                ServerCall::Ended {
                    call_id: id.clone(),
                    reason: EndReason::AnsweredElsewhere,
                },
            ));
        }
        out.push(Out::Conn(
            j.conn,
            ServerCall::Joined {
                req_id: j.req_id,
                call: call.info(),
            },
        ));
        out.extend(call.snapshot(Some(call.info())));
        if starts {
            out.extend(self.ring_room(&id, &j.user));
        }
        self.by_user.insert(j.user.id, id);
        Ok(out)
    }

    /// A new call in `j.place` with nobody in it yet, ringing every member not in a call.
    /// A broadcast (`j.role` is `Live`) rings nobody and travels as broadcasts do.
    fn start_room(&mut self, j: &JoinRoom, now: Instant) -> CallId {
        let (conversation, members) = match j.place {
            Place::Room(room) => (room, Members::Room(j.members.clone())),
            Place::Friends(_) => (FRIENDS_STAGE, Members::Friends(j.members.clone())),
        };
        let live = j.role == Role::Live;
        let ringing = j
            .members
            .iter()
            .copied()
            .filter(|&m| !live && m != j.user.id && !self.by_user.contains_key(&m))
            .collect();
        let call = Call {
            id: j.id.clone(),
            conversation,
            kind: if live { CallKind::Video } else { j.kind },
            members,
            host: live.then_some(j.user.id),
            via: match live {
                true => j.limits.broadcast_via(1).unwrap_or(Via::Mesh),
                false => Via::Mesh,
            },
            started_by: j.user.id,
            started: now,
            answered: None,
            unconfirmed: false,
            seats: Vec::new(),
            took_part: Vec::new(),
            ringing,
        };
        self.by_place.insert(j.place, j.id.clone());
        self.calls.insert(j.id.clone(), call);
        j.id.clone()
    }

    /// The ring goes out once the starter is in (so it names them).
    fn ring_room(&self, id: &CallId, by: &UserPublic) -> Vec<Out> {
        let Some(call) = self.calls.get(id) else {
            return Vec::new();
        };
        call.ringing
            .iter()
            .map(|&u| {
                Out::User(
                    u,
                    ServerCall::Ringing {
                        call: call.info(),
                        by: by.clone(),
                    },
                )
            })
            .collect()
    }

    /// The call running in `room`, for a member who just connected or was just added.
    pub fn room_call(&self, room: ConversationId) -> Option<RoomCallInfo> {
        let id = self.by_place.get(&Place::Room(room))?;
        self.calls.get(id).map(Call::info)
    }

    /// The broadcasts to friends running among `hosts` (a user's friends), for a tab that
    /// just connected.
    pub fn friends_live(&self, hosts: &[UserId]) -> Vec<(UserId, RoomCallInfo)> {
        (hosts.iter())
            .filter_map(|&h| {
                let id = self.by_place.get(&Place::Friends(h))?;
                Some((h, self.calls.get(id)?.info()))
            })
            .collect()
    }

    /// A ringing member declines: every tab of theirs stops ringing.
    pub(super) fn decline_room(&mut self, by: Party, id: &CallId) -> Result<Vec<Out>, CallError> {
        let call = self.room_mut(id).ok_or(CallError::NoSuchCall)?;
        let out = call
            .stop_ringing(by.user, EndReason::Declined)
            .ok_or(CallError::NoSuchCall)?;
        Ok(vec![out])
    }

    /// Passes signaling from the participant on `by.conn`: descriptions and candidates to
    /// the one participant they name, media and recording state to all the others.
    pub(super) fn relay_room(
        &self,
        by: Party,
        id: &CallId,
        to: Option<UserId>,
        msg: ServerCall,
    ) -> Result<Vec<Out>, CallError> {
        let call = self.room(id).ok_or(CallError::NoSuchCall)?;
        let me = call.seat_of(by.conn).ok_or(CallError::NoSuchCall)?.user.id;
        let addressed = matches!(
            msg,
            ServerCall::Description { .. }
                | ServerCall::Candidate { .. }
                | ServerCall::Rejected { .. }
                | ServerCall::SeesViaSfu { .. }
        );
        let msg = from(msg, me);
        // In a broadcast a viewer signals its host only.
        match to {
            Some(to) => {
                let seat = call
                    .seats
                    .iter()
                    .find(|s| s.user.id == to && call.hears_of(to, me))
                    .ok_or(CallError::NoSuchParticipant)?;
                Ok(vec![Out::Conn(seat.conn, msg)])
            }
            None if addressed => Err(CallError::NoAddressee),
            None => Ok(call
                .seats
                .iter()
                .filter(|s| call.hears_of(s.user.id, me))
                .map(|s| Out::Conn(s.conn, msg.clone()))
                .collect()),
        }
    }
}

mod broadcast;
mod leave;
mod limits;
mod rejoin;

pub use broadcast::Role;
pub use limits::{RoomLimits, SfuUse};
#[cfg(test)]
mod tests;

//! One call, direct or in a room: the conversation it belongs to and its participants, each
//! on the one tab they are in it from. A direct call is the two-member case with the phone's
//! rules on top (ring one person, busy, answered elsewhere, either hanging up ends it); a room
//! call lets members come and go. Both keep the same record here, so every rule about a
//! participant (a lost connection, a kept place, a rebuild after a restart) reads the same.

use std::time::Instant;

use crate::hub::ConnId;
use hearth_shared::call::{CallId, CallKind, EndReason, RoomCallInfo, ServerCall, Via};
use hearth_shared::session::UserPublic;
use hearth_shared::{ConversationId, UserId};

use super::{Out, Place};

/// One participant on the tab that is in the call.
#[derive(Debug, Clone)]
pub(super) struct Seat {
    pub(super) user: UserPublic,
    pub(super) conn: ConnId,
    /// When they sat down.
    pub(super) since: Instant,
    /// Since when their connection is lost: their place is kept for a grace.
    pub(super) away: Option<Instant>,
}

impl Seat {
    /// A participant on tab `conn` from `now`.
    pub(super) fn on(user: UserPublic, conn: ConnId, now: Instant) -> Seat {
        Seat {
            user,
            conn,
            since: now,
            away: None,
        }
    }

    /// The place of a participant not back yet after a restart: away from now, on no tab.
    pub(super) fn kept(user: UserPublic, now: Instant) -> Seat {
        Seat {
            away: Some(now),
            ..Seat::on(user, ConnId::NONE, now)
        }
    }

    /// Whether this participant is in the call from tab `conn` now.
    pub(super) fn on_tab(&self, conn: ConnId) -> bool {
        self.conn == conn && self.away.is_none()
    }
}

/// Who may be in the call: the two friends of a direct conversation (the caller first), a
/// room's members, or a broadcast to friends' host and their friends.
#[derive(Debug, Clone)]
pub(super) enum Members {
    Pair([UserPublic; 2]),
    Room(Vec<UserId>),
    Friends(Vec<UserId>),
}

/// A running call.
#[derive(Debug, Clone)]
pub(super) struct Call {
    pub(super) id: CallId,
    pub(super) conversation: ConversationId,
    pub(super) kind: CallKind,
    pub(super) members: Members,
    /// A broadcast's host: the one participant who sends media (see `room/broadcast.rs`).
    pub(super) host: Option<UserId>,
    /// How its media travels (a direct call: always browser to browser).
    pub(super) via: Via,
    /// Who started it: the caller of a direct call, the author of its entry.
    pub(super) started_by: UserId,
    pub(super) started: Instant,
    /// When a second participant first joined: from then on it is a call that happened.
    pub(super) answered: Option<Instant>,
    /// Rebuilt after a restart from one participant's word, and nobody else has said the
    /// same yet: ending it leaves no entry.
    pub(super) unconfirmed: bool,
    /// Who is in it, in the order they joined (a direct call: the caller first).
    pub(super) seats: Vec<Seat>,
    /// Everyone who took part, in the order they first joined (a room entry's list; the
    /// viewers of a broadcast to friends, who each get an entry).
    pub(super) took_part: Vec<UserPublic>,
    /// Members it still rings.
    pub(super) ringing: Vec<UserId>,
}

impl Call {
    /// Notes that `user` took part (once, in the order they first joined).
    pub(super) fn took_part_by(&mut self, user: &UserPublic) {
        if !self.took_part.iter().any(|u| u.id == user.id) {
            self.took_part.push(user.clone());
        }
    }

    /// Whether this is a room's call or a broadcast to friends (members come and go) rather
    /// than a direct one.
    pub(super) fn is_room(&self) -> bool {
        matches!(self.members, Members::Room(_) | Members::Friends(_))
    }

    /// Where it runs (a direct call: its conversation, as a room's would be).
    pub(super) fn place(&self) -> Place {
        match (&self.members, self.host) {
            (Members::Friends(_), Some(host)) => Place::Friends(host),
            _ => Place::Room(self.conversation),
        }
    }

    /// Whether `listener` hears of `about` (joins, leaves, signaling): anyone of anyone else
    /// in a call; in a broadcast only its host and a viewer of each other.
    pub(super) fn hears_of(&self, listener: UserId, about: UserId) -> bool {
        listener != about && self.host.is_none_or(|h| h == listener || h == about)
    }

    /// The participant on tab `conn`, if that tab is in the call now.
    pub(super) fn seat_of(&self, conn: ConnId) -> Option<&Seat> {
        self.seats.iter().find(|s| s.on_tab(conn))
    }

    /// The participant `user`'s place, on whatever tab (or away).
    pub(super) fn seat_of_user(&mut self, user: UserId) -> Option<&mut Seat> {
        self.seats.iter_mut().find(|s| s.user.id == user)
    }

    /// Whether someone's connection has been lost for `grace` by `now`.
    pub(super) fn away_for(&self, grace: std::time::Duration, now: Instant) -> Vec<UserId> {
        self.seats
            .iter()
            .filter(|s| s.away.is_some_and(|t| now.duration_since(t) >= grace))
            .map(|s| s.user.id)
            .collect()
    }

    /// A room call as its members see it.
    pub(super) fn info(&self) -> RoomCallInfo {
        RoomCallInfo {
            id: self.id.clone(),
            room: self.conversation,
            kind: self.kind,
            participants: self.seats.iter().map(|s| s.user.clone()).collect(),
            via: self.via,
            host: self.host,
        }
    }

    /// "Who is in the call" to every tab of every member of a room (of the host and each
    /// friend, for a broadcast to friends).
    pub(super) fn snapshot(&self, call: Option<RoomCallInfo>) -> Vec<Out> {
        let (members, msg) = match (&self.members, self.host) {
            (Members::Room(members), _) => {
                let room = self.conversation;
                (members, ServerCall::RoomCall { room, call })
            }
            (Members::Friends(members), Some(host)) => {
                (members, ServerCall::FriendLive { host, call })
            }
            _ => return Vec::new(),
        };
        members.iter().map(|&m| Out::User(m, msg.clone())).collect()
    }

    /// Stops ringing `user` (every tab), telling them why.
    pub(super) fn stop_ringing(&mut self, user: UserId, reason: EndReason) -> Option<Out> {
        let before = self.ringing.len();
        self.ringing.retain(|&u| u != user);
        (self.ringing.len() < before).then(|| {
            Out::User(
                user,
                ServerCall::Ended {
                    call_id: self.id.clone(),
                    reason,
                },
            )
        })
    }
}

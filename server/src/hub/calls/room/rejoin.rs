//! A participant whose connection to the server was lost keeps their place for a while:
//! media flows browser to browser all along, so the others see nobody leave. Back on a new
//! connection, they rejoin (`join_room` with the call's id) and get the participants again;
//! whoever joined meanwhile is told to expect their offer. A plain `join_room` while away
//! (a page opened afresh, with no connections) takes the place back too, and everyone is
//! told to expect its offers. Past the grace, they leave as if they had hung up.
//!
//! A server that restarted has forgotten its calls while their media flowed on: the first
//! participant back rebuilds the call from their word (its id, who they are still connected
//! to, how long they have been in it), and the others rejoin it as after any lost connection.
//! A broadcast (in a room or to friends) is rebuilt as one, around its host.

use std::time::{Duration, Instant};

use super::super::call::{Call, Members, Seat};
use super::super::{CallError, Calls, Out};
use super::{JoinRoom, Place, Rejoin};
use crate::hub::ConnId;
use hearth_shared::call::{CallId, EndReason, ServerCall, Via, FRIENDS_STAGE};
use hearth_shared::UserId;

/// How long a room call keeps the place of a participant whose connection was lost.
pub const REJOIN_GRACE: Duration = Duration::from_secs(30);

impl Calls {
    /// The tab on `conn` lost its connection: its participant is away, not gone.
    pub(in crate::hub::calls) fn away_from_room(&mut self, conn: ConnId, now: Instant) {
        for call in self.calls.values_mut().filter(|c| c.is_room()) {
            for seat in call.seats.iter_mut().filter(|s| s.conn == conn) {
                seat.away.get_or_insert(now);
            }
        }
    }

    /// `j.user` rejoins call `id` from a new tab: one that kept its connections to the others,
    /// or (`fresh`) one that has none and whose place was away. A call the hub does not know
    /// (forgotten in a restart) is rebuilt from the rejoiner's word.
    pub(super) fn rejoin_room(
        &mut self,
        id: &CallId,
        j: &JoinRoom,
        fresh: bool,
        now: Instant,
    ) -> Result<Vec<Out>, CallError> {
        if self.room(id).is_none() {
            let word = j.rejoin.as_ref().filter(|_| !fresh);
            return self.rebuild_room(word.ok_or(CallError::NoSuchCall)?, j, now);
        }
        let call = (self.calls.get_mut(id))
            .filter(|c| c.is_room() && c.place() == j.place)
            .ok_or(CallError::NoSuchCall)?;
        let mut snapshot = Vec::new();
        if call.unconfirmed {
            if self.by_user.get(&j.user.id).is_some_and(|c| c != id) {
                return Err(CallError::AlreadyInCall);
            }
            let seated = call.seats.len();
            call.confirm(j, now);
            if call.seats.len() > seated {
                // Someone the first word did not name is back: the room sees them in it.
                snapshot = call.snapshot(Some(call.info()));
            }
        }
        let seat = call
            .seats
            .iter_mut()
            .find(|s| s.user.id == j.user.id)
            .ok_or(CallError::NoSuchCall)?;
        if fresh && seat.away.is_none() {
            return Err(CallError::AlreadyInCall);
        }
        let away_since = seat.away.take();
        seat.conn = j.conn;
        call.took_part_by(&j.user);
        self.by_user.insert(j.user.id, id.clone());
        let mut out = vec![Out::Conn(
            j.conn,
            ServerCall::Joined {
                req_id: j.req_id,
                call: call.info(),
            },
        )];
        out.extend(snapshot);
        // Who sat down while they were away offered to nobody, and a fresh page has no
        // connection to anyone: the rejoiner offers to them.
        if let Some(away) = away_since {
            for newer in call
                .seats
                .iter()
                .filter(|s| (fresh || s.since > away) && s.user.id != j.user.id)
            {
                out.push(Out::Conn(
                    newer.conn,
                    ServerCall::PeerJoined {
                        call_id: id.clone(),
                        user: j.user.clone(),
                    },
                ));
            }
        }
        Ok(out)
    }

    /// The hub forgot call `r.id` (a restart) while its participants talked on: it is
    /// rebuilt from this participant's word, with a place kept for each one they name, and
    /// only leaves an entry once someone else comes back to it too. Never in a room that
    /// has another call, nor for someone in another call; nothing rings.
    fn rebuild_room(
        &mut self,
        r: &Rejoin,
        j: &JoinRoom,
        now: Instant,
    ) -> Result<Vec<Out>, CallError> {
        if self.by_place.contains_key(&j.place) || self.by_user.contains_key(&j.user.id) {
            return Err(CallError::NoSuchCall);
        }
        let (conversation, members) = match j.place {
            Place::Room(room) => (room, Members::Room(j.members.clone())),
            Place::Friends(_) => (FRIENDS_STAGE, Members::Friends(j.members.clone())),
        };
        let since = now
            .checked_sub(Duration::from_secs(r.seconds.into()))
            .unwrap_or(now);
        let mut seats = vec![Seat::on(j.user.clone(), j.conn, now)];
        for other in &r.with {
            if seats.iter().all(|s| s.user.id != other.id) && !self.by_user.contains_key(&other.id)
            {
                seats.push(Seat::kept(other.clone(), now));
            }
        }
        // As many as the word names travel as that many would: a call that had moved to the
        // SFU moves again (each participant's connection to it died with the server). A
        // broadcast stays one, if its host is among them.
        let host = r.host.filter(|h| seats.iter().any(|s| s.user.id == *h));
        // At a friends' place there is nothing but its host's broadcast, with its host.
        if matches!(j.place, Place::Friends(h) if host != Some(h)) {
            return Err(CallError::NoSuchCall);
        }
        let via = match host {
            Some(_) => j.limits.broadcast_via(seats.len()),
            None => j.limits.via(seats.len(), Via::Mesh),
        }
        .unwrap_or(Via::Sfu);
        let call = Call {
            id: r.id.clone(),
            conversation,
            kind: j.kind,
            members,
            via,
            host,
            started_by: j.user.id,
            started: since,
            answered: Some(since),
            unconfirmed: true,
            took_part: vec![j.user.clone()],
            seats,
            ringing: Vec::new(),
        };
        for seat in &call.seats {
            self.by_user.insert(seat.user.id, r.id.clone());
        }
        self.by_place.insert(j.place, r.id.clone());
        let mut out = vec![Out::Conn(
            j.conn,
            ServerCall::Joined {
                req_id: j.req_id,
                call: call.info(),
            },
        )];
        out.extend(call.snapshot(Some(call.info())));
        self.calls.insert(r.id.clone(), call);
        Ok(out)
    }

    /// Participants away for longer than the grace leave their calls.
    pub(in crate::hub::calls) fn expire_away(&mut self, now: Instant) -> Vec<Out> {
        let gone: Vec<(CallId, UserId)> = self
            .calls
            .values()
            .filter(|c| c.is_room())
            .flat_map(|c| {
                c.away_for(REJOIN_GRACE, now)
                    .into_iter()
                    .map(|user| (c.id.clone(), user))
            })
            .collect();
        gone.into_iter()
            .flat_map(|(id, user)| {
                self.unseat(&id, user, EndReason::Disconnected, now)
                    .unwrap_or_default()
            })
            .collect()
    }
}

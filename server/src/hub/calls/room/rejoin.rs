//! A participant whose connection to the server was lost keeps their place for a while:
//! media flows browser to browser all along, so the others see nobody leave. Back on a new
//! connection, they rejoin (`join_room` with the call's id) and get the participants again;
//! whoever joined meanwhile is told to expect their offer. A plain `join_room` while away
//! (a page opened afresh, with no connections) takes the place back too, and everyone is
//! told to expect its offers. Past the grace, they leave as if they had hung up.

use std::time::{Duration, Instant};

use super::super::{CallError, Calls, Out, Party};
use super::JoinRoom;
use crate::hub::ConnId;
use hearth_shared::call::{CallId, EndReason, ServerCall};

/// How long a room call keeps the place of a participant whose connection was lost.
pub const REJOIN_GRACE: Duration = Duration::from_secs(30);

impl Calls {
    /// The tab on `conn` lost its connection: its participant is away, not gone.
    pub(in crate::hub::calls) fn away_from_room(&mut self, conn: ConnId, now: Instant) {
        for call in self.rooms.values_mut() {
            for seat in call.seats.iter_mut().filter(|s| s.conn == conn) {
                seat.away.get_or_insert(now);
            }
        }
    }

    /// `j.user` rejoins call `id` from a new tab: one that kept its connections to the others,
    /// or (`fresh`) one that has none and whose place was away.
    pub(super) fn rejoin_room(
        &mut self,
        id: &CallId,
        j: &JoinRoom,
        fresh: bool,
    ) -> Result<Vec<Out>, CallError> {
        let call = self
            .rooms
            .get_mut(id)
            .filter(|c| c.room == j.room)
            .ok_or(CallError::NoSuchCall)?;
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
        let mut out = vec![Out::Conn(
            j.conn,
            ServerCall::Joined {
                req_id: j.req_id,
                call: call.info(),
            },
        )];
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

    /// Participants away for longer than the grace leave their calls.
    pub(in crate::hub::calls) fn expire_away(&mut self, now: Instant) -> Vec<Out> {
        let gone: Vec<(CallId, Party)> = self
            .rooms
            .values()
            .flat_map(|c| {
                c.seats
                    .iter()
                    .filter(|s| {
                        s.away
                            .is_some_and(|t| now.duration_since(t) >= REJOIN_GRACE)
                    })
                    .map(|s| {
                        let by = Party {
                            user: s.user.id,
                            conn: s.conn,
                        };
                        (c.id.clone(), by)
                    })
            })
            .collect();
        gone.into_iter()
            .flat_map(|(id, by)| {
                self.leave_room(by, &id, EndReason::Disconnected, now)
                    .unwrap_or_default()
            })
            .collect()
    }
}

//! A direct call through the media relay: when its two members cannot reach each other
//! (both behind NATs that let nothing in, and no working TURN relay), either of them may
//! move the answered call onto the server's SFU, where it stays until it ends. Who may
//! signal the relay, and whom its offers reach, is then read the same for a direct call as
//! for a room call on the relay.

use super::call::Call;
use super::{CallError, Calls, Out};
use crate::hub::ConnId;
use hearth_shared::call::{CallId, ServerCall, Via};

impl Calls {
    /// `via_sfu` from tab `conn`, a member's tab in answered direct call `id`: both members'
    /// tabs are told to connect to the relay (again, if it is already there: the word is
    /// idempotent).
    pub fn direct_via_sfu(&mut self, conn: ConnId, id: &CallId) -> Result<Vec<Out>, CallError> {
        let call = self.calls.get_mut(id).ok_or(CallError::NoSuchCall)?;
        call.seat_of(conn).ok_or(CallError::NoSuchCall)?;
        if call.is_room() {
            return Err(CallError::WrongState);
        }
        if call.answered.is_none() {
            return Err(CallError::NotAnswered);
        }
        call.via = Via::Sfu;
        let moves = ServerCall::ViaSfu {
            call_id: id.clone(),
        };
        Ok((call.seats.iter().filter(|s| s.away.is_none()))
            .map(|s| Out::Conn(s.conn, moves.clone()))
            .collect())
    }

    /// Call `id` if its media may go through the relay: a room call, or a direct call moved
    /// there.
    pub(super) fn relayable(&self, id: &CallId) -> Option<&Call> {
        (self.calls.get(id)).filter(|c| c.is_room() || c.via == Via::Sfu)
    }
}

//! Losing the connection to the server does not end a room call: media flows browser to
//! browser all along, and the server keeps this side's place for a while. Back online, this
//! side rejoins the same call (`join_room` with its id) and squares its connections with the
//! participants it is given: those who left meanwhile are dropped, those who came meanwhile
//! get an offer. If the place is gone, the call ends here with a word why. A server that
//! restarted meanwhile has forgotten the call and rebuilds it from the rejoins.

use super::{MeshCall, MeshEvent, Part, Phase};
use hearth_shared::call::{CallId, ClientCall, RoomCallInfo, Via};
use hearth_shared::UserId;

/// This side's word that it is still in a call: its id, who it is still connected to, for
/// how long (seconds) it has been in it, and a broadcast's host.
pub struct Rejoin {
    pub call_id: CallId,
    pub with: Vec<UserId>,
    pub seconds: u32,
    /// A broadcast's host (so a server that restarted rebuilds a broadcast).
    pub host: Option<UserId>,
}

impl MeshCall {
    /// The connection to the server broke. A call being joined fails; a call under way goes
    /// on without signaling until `reconnected`.
    pub fn connection_lost(&self) {
        let phase = self.inner.borrow().phase.clone();
        match phase {
            Phase::Joining(_) => {
                self.finish("Connection lost: join the call again when you are back online.".into())
            }
            Phase::In(..) => {
                self.inner.borrow_mut().server_lost = true;
                self.emit(MeshEvent::ServerLost(true));
            }
            Phase::Idle => {}
        }
    }

    /// The connection to the server is back: rejoin the call this side is still in.
    pub fn reconnected(&self) {
        let (phase, lost) = {
            let m = self.inner.borrow();
            (m.phase.clone(), m.server_lost)
        };
        let Phase::In(call_id, room) = phase else {
            return;
        };
        if lost {
            let (join, kind, host, word) = {
                let m = self.inner.borrow();
                let word = Rejoin {
                    call_id,
                    with: m.remotes.iter().map(|r| r.user).collect(),
                    seconds: ((js_sys::Date::now() - m.since) / 1000.0).max(0.0) as u32,
                    host: m.host,
                };
                (m.join.clone(), m.kind, m.host, word)
            };
            // A server that restarted rebuilds the call from this word.
            join(room, kind, Part::Call, host, Some(word));
        }
    }

    /// Back in the call: drop who left, offer to who came, and tell everyone this side's
    /// state again.
    pub(super) fn rejoined(&self, call: RoomCallInfo) {
        self.inner.borrow_mut().server_lost = false;
        self.emit(MeshEvent::ServerLost(false));
        let me = self.inner.borrow().me.id;
        let gone: Vec<_> = self
            .inner
            .borrow()
            .remotes
            .iter()
            .map(|r| r.user)
            .filter(|u| call.participants.iter().all(|p| p.id != *u))
            .collect();
        for user in gone {
            self.inner.borrow_mut().remotes.remove(user);
            self.emit(MeshEvent::Left(user));
        }
        let known = |id| self.inner.borrow().remotes.contains(id);
        for p in super::peers::connects_to(&call, me) {
            match call.via {
                _ if known(p.id) => {}
                Via::Mesh => self.add_peer(p, false, call.kind),
                Via::Sfu => self.add_relayed(p),
            }
        }
        match (call.via, self.inner.borrow().relay.is_some()) {
            (Via::Sfu, true) => self.resume_relay(),
            (Via::Sfu, false) => self.via_sfu(),
            (Via::Mesh, _) => {}
        }
        self.report_local();
        if self.inner.borrow().recorder.is_some() {
            self.send(ClientCall::Recording {
                call_id: call.id,
                on: true,
            });
        }
        self.refresh_recording();
    }
}

//! Calls that outlive the connection to the server. Media goes browser to browser, so a lost
//! WebSocket (a network change, a server restart) does not end a call: when the socket is
//! back, this side tells the server which call it is in (`resume`), and once both members
//! are back (`resumed`) it sends its media and recording state again.

use super::{CallController, CallEvent, Ending, Phase};
use hearth_shared::call::{CallId, ClientCall, EndReason};

/// What the server needs to hear again about the call in progress.
#[derive(Debug, Clone, Copy)]
pub(super) struct Facts {
    /// This side placed the call.
    pub caller: bool,
    /// When it was answered (ms).
    pub answered_ms: f64,
    /// The connection to the server is lost.
    pub server_lost: bool,
}

impl Facts {
    pub(super) fn new(caller: bool) -> Facts {
        Facts {
            caller,
            answered_ms: js_sys::Date::now(),
            server_lost: false,
        }
    }
}

impl CallController {
    /// The connection to the server dropped and is being re-established. A call in progress
    /// goes on (its media does not pass through the server); one still ringing or being
    /// answered ends.
    pub fn connection_lost(&self) {
        match self.phase() {
            Phase::Idle => {}
            Phase::InCall(_) => {
                let lost_now = {
                    let mut me = self.inner.borrow_mut();
                    me.facts
                        .as_mut()
                        .is_some_and(|f| !std::mem::replace(&mut f.server_lost, true))
                };
                if lost_now {
                    self.emit(CallEvent::ServerLost(true));
                }
            }
            _ => self.finish(Ending::Server(EndReason::Disconnected)),
        }
    }

    /// This user logged out: any call ends.
    pub fn logged_out(&self) {
        if self.phase() != Phase::Idle {
            self.finish(Ending::Server(EndReason::Disconnected));
        }
    }

    /// The connection to the server is back (`welcome`): say which call this tab is in.
    pub fn reconnected(&self) {
        let Phase::InCall(call) = self.phase() else {
            return;
        };
        let Some(facts) = self.inner.borrow().facts.filter(|f| f.server_lost) else {
            return;
        };
        let seconds = ((js_sys::Date::now() - facts.answered_ms) / 1000.0).max(0.0) as u32;
        self.send(ClientCall::Resume {
            call_id: call.id,
            peer: call.peer.id,
            kind: call.kind,
            caller: facts.caller,
            seconds,
        });
    }

    /// Both members are back: send this side's state again, which the other may have missed.
    pub(super) fn on_resumed(&self, id: CallId) {
        if let Some(f) = self.inner.borrow_mut().facts.as_mut() {
            f.server_lost = false;
        }
        self.emit(CallEvent::ServerLost(false));
        if self.relayed() {
            // A restarted server has forgotten that this call goes through its relay.
            self.send(ClientCall::ViaSfu {
                call_id: id.clone(),
            });
        }
        self.report_local();
        let recording = self.inner.borrow().recorder.is_some();
        if recording {
            self.send(ClientCall::Recording {
                call_id: id,
                on: true,
            });
        }
    }
}

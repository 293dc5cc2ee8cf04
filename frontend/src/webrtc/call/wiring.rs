//! The call's peer connection: made while an invite rings (caller) or on the answer
//! (callee), its offer and candidates held until the friend answers, and its events turned
//! into signaling and `CallEvent`s.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use super::{call_id, CallController, CallEvent, Ctl, Ending, Phase};
use crate::webrtc::media;
use crate::webrtc::peer::{Peer, PeerEvent};
use crate::webrtc::remotes::Remote;
use hearth_shared::call::{CallInfo, CallKind, ClientCall};

impl CallController {
    fn peer_events(&self) -> impl Fn(PeerEvent) + 'static {
        let weak: Weak<RefCell<Ctl>> = Rc::downgrade(&self.inner);
        move |e| {
            if let Some(inner) = weak.upgrade() {
                CallController { inner }.on_peer(e);
            }
        }
    }

    /// Creates the peer connection for `call` and gives it this side's media (or, with none,
    /// asks to receive only); the offering side starts its offer now.
    pub(super) fn prepare_peer(&self, call: &CallInfo, polite: bool) -> Result<(), String> {
        let servers = self.inner.borrow().ice_servers.clone();
        let peer = Peer::new(&servers, polite, self.peer_events())
            .map_err(|e| format!("Could not start the connection: {e}"))?;
        if self.inner.borrow().media_pending {
            peer.expect_media();
        } else {
            let local = self.inner.borrow().local.clone();
            if local.is_none() && !polite {
                peer.receive_only(call.kind == CallKind::Video);
            }
            peer.set_media(local.as_ref());
        }
        let mut me = self.inner.borrow_mut();
        me.unsent.clear();
        me.remotes.put(Remote::new(&call.peer, Some(peer)));
        Ok(())
    }

    pub(super) fn connect(&self, phase: Phase, polite: bool) {
        let (call, caller) = match phase {
            Phase::Outgoing(c) => (c, true),
            Phase::Answering(c) => (c, false),
            _ => return,
        };
        // The caller's peer was prepared while ringing; any other case (the answering tab,
        // or a caller the server made polite) starts one now.
        let prepared = !polite && self.inner.borrow().remotes.contains(call.peer.id);
        if !prepared {
            if let Err(e) = self.prepare_peer(&call, polite) {
                self.send(ClientCall::Hangup {
                    call_id: call.id,
                    req_id: None,
                });
                return self.finish(Ending::Failed(e));
            }
        }
        let unsent = {
            let mut me = self.inner.borrow_mut();
            me.phase = Phase::InCall(call);
            me.facts = Some(super::resume::Facts::new(caller));
            std::mem::take(&mut me.unsent)
        };
        for cmd in unsent {
            self.send(cmd);
        }
        if prepared {
            self.hold_screen();
        }
        self.emit(CallEvent::Connecting);
        self.report_local();
        self.start_sampling();
        self.time_direct();
    }

    /// Sends signaling now, or keeps it until the friend answers.
    fn signal(&self, cmd: ClientCall) {
        if matches!(self.phase(), Phase::Outgoing(_)) {
            self.inner.borrow_mut().unsent.push(cmd);
            return;
        }
        let answer = matches!(cmd, ClientCall::Description { .. });
        self.send(cmd);
        if answer {
            // The answer is on its way: the screen may catch up.
            self.release_screen();
        }
    }

    pub(super) fn on_peer(&self, e: PeerEvent) {
        let Some(id) = call_id(&self.phase()) else {
            return;
        };
        match e {
            PeerEvent::Description(description) => self.signal(ClientCall::Description {
                call_id: id,
                to: None,
                description,
            }),
            PeerEvent::Candidate(candidate) => self.signal(ClientCall::Candidate {
                call_id: id,
                to: None,
                candidate,
            }),
            PeerEvent::RemoteStream(s) => {
                if let Some(r) = self.inner.borrow_mut().friend_mut() {
                    r.stream = Some(media::handle(&s));
                }
                self.emit(CallEvent::RemoteStream(s));
            }
            PeerEvent::State(s) => self.on_connection(s),
            PeerEvent::SourceStream(..) => {}
            PeerEvent::Rejected(message) => {
                // The friend is told (their screen says why); this side ends the call too,
                // since it cannot connect as it is.
                self.send(ClientCall::Rejected {
                    call_id: id.clone(),
                    to: None,
                    message: message.clone(),
                });
                self.send(ClientCall::Hangup {
                    call_id: id,
                    req_id: None,
                });
                self.finish(Ending::Failed(format!(
                    "Your browser could not use your friend's call details ({message})."
                )));
            }
        }
    }
}

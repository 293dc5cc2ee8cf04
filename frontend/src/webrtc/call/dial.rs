//! Starting a call, answering, refusing and hanging up. Answering asks for the devices
//! inside the click and holds the screen's updates until the answer is on its way.

use super::{call_id, CallController, CallEvent, Ending, Phase};
use crate::webrtc::media;
use hearth_shared::call::{CallKind, ClientCall};
use hearth_shared::session::UserPublic;

impl CallController {
    /// Asks for the devices of a `kind` call now; `keep_media` takes what they give.
    fn ask_media(&self, kind: CallKind) -> impl std::future::Future<Output = media::Opened> {
        let prefs = self.inner.borrow().prefs;
        media::open(kind, prefs)
    }

    /// Keeps the media `opening` gives; reports what is missing.
    async fn keep_media(&self, opening: impl std::future::Future<Output = media::Opened>) {
        let opened = opening.await;
        {
            // An answering peer waiting for these gets them before anything re-renders.
            let mut me = self.inner.borrow_mut();
            me.local = opened.stream.clone();
            if std::mem::take(&mut me.media_pending) {
                if let Some(peer) = me.peer() {
                    peer.set_media(opened.stream.as_ref());
                }
            }
        }
        if let Some(w) = opened.warning {
            self.emit(CallEvent::Warning(w));
        }
        self.emit(CallEvent::LocalStream(opened.stream));
        self.report_local();
        self.report_devices().await;
    }

    /// Calls a friend.
    pub fn start(&self, peer: UserPublic, kind: CallKind) {
        if self.phase() != Phase::Idle {
            return;
        }
        self.set_phase(Phase::Dialing);
        self.emit(CallEvent::Dialing {
            peer: peer.clone(),
            kind,
        });
        let this = self.clone();
        let opening = self.ask_media(kind);
        wasm_bindgen_futures::spawn_local(async move {
            this.keep_media(opening).await;
            if this.phase() != Phase::Dialing {
                // Cancelled while the devices opened.
                this.set_phase(Phase::Idle);
                return this.release();
            }
            let invite = this.inner.borrow().invite.clone();
            if !invite(peer.id, kind) {
                this.finish(Ending::Failed(
                    "You are offline; try again once connected.".into(),
                ));
            }
        });
    }

    /// Answers the ringing call.
    pub fn accept(&self) {
        let Phase::Incoming(call) = self.phase() else {
            return;
        };
        // Answer at once and open the devices meanwhile: the peer applies the caller's offer
        // as soon as it comes and answers once the media is there, so opening the camera
        // overlaps the signaling. Both start before the screen changes: a render takes
        // milliseconds that the call's set-up would wait for.
        self.inner.borrow_mut().ringtone = None;
        self.set_phase(Phase::Answering(call.clone()));
        self.inner.borrow_mut().media_pending = true;
        if !self.send(ClientCall::Accept {
            call_id: call.id.clone(),
            req_id: None,
        }) {
            return self.finish(Ending::Failed("You are offline.".into()));
        }
        let opening = self.ask_media(call.kind);
        self.hold_screen();
        self.emit(CallEvent::Ringtone(false));
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            this.keep_media(opening).await;
            if call_id(&this.phase()) != Some(call.id) {
                this.release();
            }
        });
    }

    /// Refuses the ringing call.
    pub fn decline(&self) {
        if let Phase::Incoming(call) = self.phase() {
            self.send(ClientCall::Decline {
                call_id: call.id,
                req_id: None,
            });
            self.finish(Ending::Declined);
        }
    }

    /// Cancels or hangs up.
    pub fn hang_up(&self) {
        match self.phase() {
            Phase::Idle | Phase::Abandoned => {}
            Phase::Dialing => {
                self.set_phase(Phase::Abandoned);
                self.release();
                self.emit(CallEvent::Ended(Ending::HungUp));
            }
            Phase::Incoming(_) => self.decline(),
            phase => {
                if let Some(call_id) = call_id(&phase) {
                    self.send(ClientCall::Hangup {
                        call_id,
                        req_id: None,
                    });
                }
                self.finish(Ending::HungUp);
            }
        }
    }
}

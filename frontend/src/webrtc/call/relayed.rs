//! A direct call through the server's media relay (the SFU), for two browsers that cannot
//! reach each other: no direct connection within [`DIRECT_MS`] of the answer (both behind
//! NATs that let nothing in, and no working TURN relay), or one lost and not brought back
//! (see `reconnect`). Either side asks (`via_sfu`); the server tells both, and each replaces
//! its connection to the friend with one to the relay, so the controls, the statistics and
//! a recording carry on over it. The call stays there until it ends. It counts as connected
//! once something of the friend's arrives through the relay, not when this side's own
//! connection there is up: the friend's may never come up, and if it does not within
//! [`RELAY_MS`] the call ends as lost, on both sides.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use web_sys::RtcPeerConnection;

use super::{call_id, CallController, CallEvent, Phase};
use crate::webrtc::peer::{ConnState, Peer, PeerEvent};
use crate::webrtc::stats::Totals;
use hearth_shared::call::{CallKind, ClientCall, SessionDescription};

/// How long the direct connection may take after the answer, in ms.
const DIRECT_MS: u32 = 8_000;
/// How long the connection to the relay may take then: after that (30 s from the answer,
/// as long as a lost connection is given) the call ends as lost. A browser that cannot
/// reach the relay either never gets anywhere: its connection stays `new`, not `failed`.
const RELAY_MS: u32 = 22_000;

/// Why the call ended then, if this side's own connection to the relay never came up.
const UNREACHED: &str =
    "The call could not connect: your network cannot reach the server's media relay (it may block it).";

impl CallController {
    /// The call was answered: if the direct connection is not up within [`DIRECT_MS`], the
    /// call goes through the relay, and is treated as a lost connection meanwhile (so it
    /// ends, with a reason, on a server without a relay).
    pub(super) fn time_direct(&self) {
        self.limit(DIRECT_MS, |ctl| {
            ctl.ask_relay();
            ctl.outage(true);
        });
    }

    /// Does `then` in `ms` unless the connection is up by then (`on_connection`).
    fn limit(&self, ms: u32, then: fn(&CallController)) {
        let weak = Rc::downgrade(&self.inner);
        let limit = Timeout::new(ms, move || {
            if let Some(inner) = weak.upgrade() {
                then(&CallController { inner });
            }
        });
        self.inner.borrow_mut().connect_limit = Some(limit);
    }

    /// Asks the server to carry the call through its relay (unless it already does).
    pub(super) fn ask_relay(&self) {
        let Some(call_id) = call_id(&self.phase()) else {
            return;
        };
        if !self.inner.borrow().relayed {
            self.send(ClientCall::ViaSfu { call_id });
        }
    }

    /// The server moved the call to its relay: the connection to the friend is replaced by
    /// one to the relay, which carries on with what this side sent (a shared screen too).
    pub(super) fn via_sfu(&self) {
        let was_down = {
            let mut me = self.inner.borrow_mut();
            if me.relayed || !matches!(me.phase, Phase::InCall(_)) {
                return;
            }
            me.relayed = true;
            me.outage.take().is_some()
        };
        if was_down {
            self.emit(CallEvent::Reconnecting(false));
        }
        // Not up there within RELAY_MS either: the call ends.
        self.limit(RELAY_MS, CallController::relay_limit);
        self.connect_relay();
        self.emit(CallEvent::Relayed);
    }

    /// Not connected on the relay in time: the call ends, as lost if this side's own
    /// connection there is up (nothing of the friend's came through it), else because this
    /// side cannot reach the relay.
    fn relay_limit(&self) {
        let up = (self.inner.borrow().peer()).is_some_and(|p| p.state() == ConnState::Connected);
        self.give_up_with(if up {
            super::reconnect::LOST
        } else {
            UNREACHED
        });
    }

    /// A new connection to the relay in place of the current one, sending this side's
    /// media (and the screen being shared, if any), or asking to receive.
    pub(super) fn connect_relay(&self) {
        let (servers, local, video) = {
            let me = self.inner.borrow();
            let video = matches!(&me.phase, Phase::InCall(c) if c.kind == CallKind::Video);
            (me.ice_servers.clone(), me.local.clone(), video)
        };
        let weak = Rc::downgrade(&self.inner);
        let events = move |e| {
            if let Some(inner) = weak.upgrade() {
                CallController { inner }.on_relay(e);
            }
        };
        let peer = match Peer::to_relay(&servers, local.as_ref(), video, events) {
            Ok(p) => p,
            Err(e) => return self.emit(CallEvent::Warning(format!("No media relay: {e}"))),
        };
        self.share_on(&peer);
        let old = (self.inner.borrow_mut().friend_mut()).and_then(|r| r.peer.replace(peer));
        drop(old);
    }

    /// The relay's answer or offer.
    pub(super) fn on_relay_description(&self, description: SessionDescription) {
        if let Some(peer) = self.inner.borrow().peer().filter(|_| self.relayed()) {
            peer.on_description(description);
        }
    }

    /// On the relay, the first sample (`got`, of `pc`) with something of the friend's in it:
    /// the call is connected now. A sample of the connection the relay's replaced is not.
    pub(super) fn arrived(&self, pc: &RtcPeerConnection, got: &Totals) {
        let current = self
            .inner
            .borrow()
            .peer()
            .is_some_and(|p| p.connection() == pc);
        let first = self.relayed()
            && current
            && got.packets_in > 0.0
            && (self.inner.borrow_mut().friend_mut())
                .is_some_and(|r| !std::mem::replace(&mut r.arrived, true));
        if first {
            self.on_connection(ConnState::Connected);
        }
    }

    /// Whether the call goes through the relay.
    pub(super) fn relayed(&self) -> bool {
        self.inner.borrow().relayed
    }

    fn on_relay(&self, e: PeerEvent) {
        let Some(call_id) = call_id(&self.phase()) else {
            return;
        };
        match e {
            PeerEvent::Description(description) => {
                self.send(ClientCall::SfuDescription {
                    call_id,
                    description,
                });
            }
            PeerEvent::SourceStream(_, stream) => self.on_peer(PeerEvent::RemoteStream(stream)),
            PeerEvent::State(state) => {
                let shown = (self.inner.borrow_mut().friend_mut()).map(|r| r.via_relay(state));
                self.on_connection(shown.unwrap_or(state));
            }
            PeerEvent::Rejected(why) => {
                gloo::console::warn!(format!("the media relay's description: {why}"));
                self.connect_relay();
            }
            PeerEvent::Candidate(_) | PeerEvent::RemoteStream(_) => {}
        }
    }
}

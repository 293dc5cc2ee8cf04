//! The connections to the other participants: on joining, one `webrtc::peer` per remote
//! already in (or the relay), made when they (or this side) join, fed the server's
//! signaling, and reporting back what arrives.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use js_sys::Array;
use web_sys::MediaStream;

use super::{Mesh, MeshCall, MeshEvent, Phase};
use crate::webrtc::media;
use crate::webrtc::peer::{Peer, PeerEvent};
use crate::webrtc::remotes::Remote;
use hearth_shared::call::{CallKind, ClientCall, RoomCallInfo, Via};
use hearth_shared::session::UserPublic;
use hearth_shared::UserId;

impl MeshCall {
    /// A connection to `user`; polite toward someone who joined after this side.
    pub(super) fn add_peer(&self, user: &UserPublic, polite: bool, kind: CallKind) {
        let servers = self.inner.borrow().ice_servers.clone();
        let peer = match Peer::new(&servers, polite, self.peer_events(user.id)) {
            Ok(p) => p,
            Err(e) => {
                return self.emit(MeshEvent::Warning(format!(
                    "No connection to {}: {e}",
                    user.username
                )))
            }
        };
        let local = self.outgoing();
        if local.is_none() && !polite {
            peer.receive_only(kind == CallKind::Video);
        }
        peer.set_media(local.as_ref());
        self.inner
            .borrow_mut()
            .remotes
            .put(Remote::new(user, Some(peer)));
        self.emit(MeshEvent::Joined(user.clone()));
    }

    /// `user`, whose media comes through the relay (connecting until it arrives there).
    pub(super) fn add_relayed(&self, user: &UserPublic) {
        self.inner.borrow_mut().remotes.put(Remote::new(user, None));
        self.emit(MeshEvent::Joined(user.clone()));
        self.relay_tiles();
    }

    /// `user` is out: their connection (if any) closes, and what came through the relay
    /// from them is forgotten.
    pub(super) fn forget(&self, user: UserId) {
        let mut m = self.inner.borrow_mut();
        m.remotes.remove(user);
        if let Some(r) = m.relay.as_mut() {
            r.forget(user);
        }
    }

    pub(super) fn name_of(&self, user: UserId) -> String {
        let m = self.inner.borrow();
        let remote = m.remotes.get(user);
        remote.map_or_else(|| "Someone".to_owned(), |r| r.name.clone())
    }

    fn peer_events(&self, user: UserId) -> impl Fn(PeerEvent) + 'static {
        let weak: Weak<RefCell<Mesh>> = Rc::downgrade(&self.inner);
        move |e| {
            if let Some(inner) = weak.upgrade() {
                MeshCall { inner }.on_peer(user, e);
            }
        }
    }

    fn on_peer(&self, user: UserId, e: PeerEvent) {
        let Phase::In(call_id, _) = self.inner.borrow().phase.clone() else {
            return;
        };
        // A connection still sending while it retires (their media comes through the
        // relay now) has nothing more to show.
        if (self.inner.borrow().remotes.get(user)).is_none_or(|r| r.peer.is_none()) {
            return;
        }
        match e {
            PeerEvent::Description(description) => {
                self.send(ClientCall::Description {
                    call_id,
                    to: Some(user),
                    description,
                });
            }
            PeerEvent::Candidate(candidate) => {
                self.send(ClientCall::Candidate {
                    call_id,
                    to: Some(user),
                    candidate,
                });
            }
            PeerEvent::RemoteStream(stream) => {
                if let Some(r) = self.inner.borrow_mut().remotes.get_mut(user) {
                    r.stream = Some(media::handle(&stream));
                }
                self.emit(MeshEvent::Stream(user, stream));
                self.refresh_recording();
            }
            PeerEvent::State(state) => self.emit(MeshEvent::Connection(user, state)),
            PeerEvent::SourceStream(..) => {}
            PeerEvent::Rejected(message) => {
                self.send(ClientCall::Rejected {
                    call_id,
                    to: Some(user),
                    message: message.clone(),
                });
                self.emit(MeshEvent::Warning(format!(
                    "Your browser could not connect to someone in the call ({message})."
                )));
            }
        }
    }

    /// Runs `f` on the connection to `user` (its work is asynchronous: nothing calls back
    /// into the mesh while it runs).
    pub(super) fn peer(&self, user: Option<UserId>, f: impl FnOnce(&Peer)) {
        let mesh = self.inner.borrow();
        if let Some(p) = user.and_then(|u| mesh.remotes.get(u)?.peer.as_ref()) {
            f(p);
        }
    }

    /// Runs `f` on every connection this side sends on: one per participant in a mesh, and
    /// the relay's (their work is asynchronous, as in `peer`).
    pub(super) fn each_sender(&self, mut f: impl FnMut(&Peer)) {
        let m = self.inner.borrow();
        let meshed = m.remotes.iter().filter_map(|r| r.peer.as_ref());
        meshed
            .chain(m.relay.as_ref().map(|r| &r.peer))
            .for_each(&mut f);
    }

    /// What a new connection is sent: the microphone and camera, or with a screen shared,
    /// the microphone and the screen.
    pub(super) fn outgoing(&self) -> Option<MediaStream> {
        let m = self.inner.borrow();
        let Some(sharing) = &m.sharing else {
            return m.local.clone();
        };
        let tracks = Array::new();
        for t in m.local.iter().flat_map(|l| media::tracks_of(l, "audio")) {
            tracks.push(&t);
        }
        for t in media::tracks_of(sharing.stream(), "video") {
            tracks.push(&t);
        }
        if let Some(t) = sharing.audio() {
            tracks.push(&t);
        }
        MediaStream::new_with_tracks(&tracks).ok()
    }
}

impl MeshCall {
    /// In the call: offer to everyone already in it.
    pub(super) fn joined(&self, phase: Phase, call: RoomCallInfo) {
        let Phase::Joining(room) = phase else { return };
        if room != call.room {
            return;
        }
        {
            let mut m = self.inner.borrow_mut();
            m.phase = Phase::In(call.id.clone(), room);
            (m.kind, m.host) = (call.kind, call.host);
            m.since = js_sys::Date::now();
        }
        self.start_sampling();
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move { this.report_devices().await });
        self.emit(MeshEvent::In(call.clone()));
        self.report_local();
        let me = self.inner.borrow().me.id;
        for p in connects_to(&call, me) {
            match call.via {
                Via::Mesh => self.add_peer(p, false, call.kind),
                Via::Sfu => self.add_relayed(p),
            }
        }
        if call.via == Via::Sfu {
            self.via_sfu();
        }
    }
}

/// The participants of `call` this side (`me`) connects to: everyone else, but a broadcast's
/// viewer its host alone.
pub(super) fn connects_to(call: &RoomCallInfo, me: UserId) -> impl Iterator<Item = &UserPublic> {
    let host = call.host;
    (call.participants.iter())
        .filter(move |p| p.id != me && host.is_none_or(|h| h == p.id || h == me))
}

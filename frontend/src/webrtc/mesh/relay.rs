//! A room call through the media relay (the SFU): one connection, to the server, carries
//! this side's media up once and everyone else's down, each sender's in a stream of its own.
//! When a mesh moves there (`via_sfu`), each participant's picture is taken from the relay
//! once their media flows through it (make before break: its first frame decoded, seen by a
//! [`FirstFrame`] at once, or in the statistics), so no picture goes black. Once their tile
//! has that picture in view (`shown`), they are told (`sees_via_sfu`). The connection to
//! them closes once both sides have said so; until then (at most [`RETIRE_MS`]) it goes on
//! sending: until both tiles show the relay's picture, one of them still shows this one's,
//! which must not freeze. Closing it soon after matters: while it lasts every browser
//! encodes and decodes twice.

use std::rc::Rc;

use web_sys::{MediaStream, MediaStreamTrack};

use super::{MeshCall, MeshEvent, Phase};
use crate::webrtc::first_frame::FirstFrame;
use crate::webrtc::peer::{ConnState, Peer, PeerEvent};
use crate::webrtc::{media, stats};
use hearth_shared::call::{ClientCall, SessionDescription, Via};
use hearth_shared::UserId;

/// How long a connection to a participant whose media now comes through the relay goes on
/// sending at most, in ms, if they never say they see this side through it.
const RETIRE_MS: f64 = 10_000.0;

/// How long the connection to the relay may stay down before this side is told why no one
/// in the call reaches it, in ms: setting it up takes about 5 s on a loaded machine.
const UNREACHED_MS: f64 = 15_000.0;

/// What this side is told then, until the connection comes up.
const UNREACHED: &str =
    "Cannot reach the server's media relay: your network may block it. Still trying…";

/// The connection to the relay.
pub(super) struct Relay {
    pub(super) peer: Peer,
    pub(super) state: ConnState,
    /// What came through the relay from participants still shown from their own
    /// connection: each takes over once it flows.
    waiting: Vec<Waiting>,
    /// Connections to participants now seen through the relay, and when each closes.
    retiring: Vec<(UserId, Peer, f64)>,
    /// Participants taken from the relay whose tile does not show that picture yet: they
    /// are told once it does (`shown`).
    unsaid: Vec<UserId>,
    /// Participants who said they see this side through the relay.
    seen_by: Vec<UserId>,
    /// Since when (ms since the epoch) no connection to the relay has been up, through
    /// reconnections; None while one is. And whether this side was told (`UNREACHED`).
    down: Option<f64>,
    warned: bool,
}

/// A participant's media through the relay, waiting to take over from their connection.
struct Waiting {
    user: UserId,
    stream: MediaStream,
    /// Tells when its picture has a frame; `decoded` once it has.
    _first: Option<FirstFrame>,
    decoded: bool,
}

impl Relay {
    /// `user` is out: what came from them waits no more.
    pub(super) fn forget(&mut self, user: UserId) {
        self.waiting.retain(|w| w.user != user);
        self.seen_by.retain(|u| *u != user);
        self.unsaid.retain(|u| *u != user);
    }

    /// `user` sees this side through the relay: the connection to them closes now if this
    /// side shows them from it too, or as soon as it does.
    pub(super) fn seen_by(&mut self, user: UserId) {
        if !self.seen_by.contains(&user) {
            self.seen_by.push(user);
        }
        self.settle(user);
    }

    /// `user`'s picture from the relay is in view: whether they are to be told so. The
    /// connection to them closes if they see this side through the relay already.
    fn shown(&mut self, user: UserId) -> bool {
        let said = self.unsaid.contains(&user);
        self.unsaid.retain(|u| *u != user);
        self.settle(user);
        said
    }

    /// The connection to `user` closes once both sides show each other from the relay.
    fn settle(&mut self, user: UserId) {
        if self.seen_by.contains(&user) && !self.unsaid.contains(&user) {
            self.retiring.retain(|(u, _, _)| *u != user);
        }
    }
}

/// The participant a relay stream is from (`u<user id>`).
fn sender(stream_id: &str) -> Option<UserId> {
    stream_id.strip_prefix('u')?.parse().ok().map(UserId)
}

/// Whether what came through the relay (`got`) can take over from what is `shown`: a
/// picture decoded if one is shown (so the tile never waits for a keyframe), else a sound.
fn flowing(shown: Option<&MediaStream>, got: &stats::Totals) -> bool {
    let picture = shown.is_some_and(|s| !media::tracks_of(s, "video").is_empty());
    if picture {
        got.frames > 0.0
    } else {
        got.packets_in > 0.0
    }
}

impl MeshCall {
    /// The call is (now) on the relay: connect to it, once.
    pub(super) fn via_sfu(&self) {
        self.inner.borrow_mut().via = Via::Sfu;
        if self.inner.borrow().relay.is_none() {
            self.connect_relay();
        }
    }

    /// A new connection to the relay, sending this side's media (or asking to receive).
    pub(super) fn connect_relay(&self) {
        let (servers, kind) = {
            let m = self.inner.borrow();
            (m.ice_servers.clone(), m.kind)
        };
        let weak = Rc::downgrade(&self.inner);
        let events = move |e| {
            if let Some(inner) = weak.upgrade() {
                MeshCall { inner }.on_relay(e);
            }
        };
        let video = kind == hearth_shared::call::CallKind::Video;
        let peer = match Peer::to_relay(&servers, self.outgoing().as_ref(), video, events) {
            Ok(p) => p,
            Err(e) => return self.emit(MeshEvent::Warning(format!("No media relay: {e}"))),
        };
        self.inner.borrow_mut().relay = Some(Relay {
            peer,
            state: ConnState::New,
            waiting: Vec::new(),
            retiring: Vec::new(),
            unsaid: Vec::new(),
            seen_by: Vec::new(),
            down: Some(js_sys::Date::now()),
            warned: false,
        });
    }

    /// The relay's answer or offer.
    pub(super) fn on_relay_description(&self, description: SessionDescription) {
        if let Some(r) = &self.inner.borrow().relay {
            r.peer.on_description(description);
        }
    }

    fn on_relay(&self, e: PeerEvent) {
        let Phase::In(call_id, _) = self.inner.borrow().phase.clone() else {
            return;
        };
        match e {
            PeerEvent::Description(description) => {
                self.send(ClientCall::SfuDescription {
                    call_id,
                    description,
                });
            }
            PeerEvent::SourceStream(id, stream) => {
                if let Some(user) = sender(&id) {
                    self.relayed(user, stream);
                }
            }
            PeerEvent::State(state) => self.relay_state(state),
            PeerEvent::Rejected(why) => {
                gloo::console::warn!(format!("the media relay's description: {why}"));
                self.reconnect_relay();
            }
            PeerEvent::Candidate(_) | PeerEvent::RemoteStream(_) => {}
        }
    }

    /// `user`'s media through the relay: shown at once, or once it flows if they are still
    /// shown from their own connection.
    fn relayed(&self, user: UserId, stream: MediaStream) {
        {
            let mut m = self.inner.borrow_mut();
            let meshed = m.remotes.get(user).is_some_and(|r| r.peer.is_some());
            if meshed {
                let first = self.first_frame(user, &stream);
                if let Some(r) = m.relay.as_mut() {
                    r.waiting.retain(|w| w.user != user);
                    r.waiting.push(Waiting {
                        user,
                        stream,
                        _first: first,
                        decoded: false,
                    });
                }
                return;
            }
            match m.remotes.get_mut(user) {
                Some(r) => r.stream = Some(media::handle(&stream)),
                None => return,
            }
        }
        self.emit(MeshEvent::Stream(user, stream));
        self.refresh_recording();
    }

    /// Watches `user`'s picture through the relay (if it has one) for its first frame,
    /// which makes it take over at once.
    fn first_frame(&self, user: UserId, stream: &MediaStream) -> Option<FirstFrame> {
        if media::tracks_of(stream, "video").is_empty() {
            return None;
        }
        let weak = Rc::downgrade(&self.inner);
        FirstFrame::watch(stream, move || {
            let Some(inner) = weak.upgrade() else { return };
            let call = MeshCall { inner };
            if let Some(r) = call.inner.borrow_mut().relay.as_mut() {
                (r.waiting.iter_mut())
                    .filter(|w| w.user == user)
                    .for_each(|w| w.decoded = true);
            }
            call.take_over(Vec::new());
        })
    }

    /// What came through the relay from those still shown from their own connection, with
    /// its tracks: each takes over once it flows (looked at with each sample of the audio
    /// levels, `take_over`). Connections past their time to retire close here.
    pub(super) fn relay_waiting(&self) -> Vec<(UserId, Vec<MediaStreamTrack>)> {
        let mut m = self.inner.borrow_mut();
        let now = js_sys::Date::now();
        let Some(relay) = m.relay.as_mut() else {
            return Vec::new();
        };
        relay.retiring.retain(|(_, _, until)| *until > now);
        (relay.waiting.iter())
            .map(|w| (w.user, media::tracks(&w.stream)))
            .collect()
    }

    /// Those whose media now flows through the relay (their picture decoded, or `got`: what
    /// arrived from each that waits) are shown from it, and their own connection closes.
    pub(super) fn take_over(&self, got: Vec<(UserId, stats::Totals)>) {
        let mut moved = Vec::new();
        {
            let mut guard = self.inner.borrow_mut();
            let m = &mut *guard;
            let Some(relay) = m.relay.as_mut() else {
                return;
            };
            let state = relay.state;
            let until = js_sys::Date::now() + RETIRE_MS;
            let (retiring, unsaid) = (&mut relay.retiring, &mut relay.unsaid);
            relay.waiting.retain(|w| {
                let (user, stream) = (&w.user, &w.stream);
                let Some(r) = m.remotes.get_mut(*user) else {
                    return false;
                };
                let ready = got.iter().find(|(u, _)| u == user);
                if !w.decoded && !ready.is_some_and(|(_, t)| flowing(r.stream.as_ref(), t)) {
                    return true;
                }
                // Closed once the tile shows the relay's picture (`shown`), if they see this
                // side through the relay by then.
                retiring.extend(r.peer.take().map(|p| (*user, p, until)));
                unsaid.push(*user);
                r.stream = Some(media::handle(stream));
                r.heard = None;
                r.graded = None;
                r.arrived = true;
                r.told = Some(state);
                moved.push((*user, media::handle(stream), state));
                false
            });
        }
        if moved.is_empty() {
            return;
        }
        for (user, stream, state) in moved {
            self.emit(MeshEvent::Stream(user, stream));
            self.emit(MeshEvent::Connection(user, state));
        }
        self.refresh_recording();
    }

    /// `user`'s tile has brought a new picture into view: if it is the relay's, they are
    /// told, and their own connection closes if they see this side through the relay too.
    pub fn shown(&self, user: UserId) {
        let call_id = {
            let mut m = self.inner.borrow_mut();
            let said = m.relay.as_mut().is_some_and(|r| r.shown(user));
            match &m.phase {
                Phase::In(id, _) if said => id.clone(),
                _ => return,
            }
        };
        self.send(ClientCall::SeesViaSfu { call_id, to: user });
    }

    /// The relay connection's state is that of everyone whose media comes through it.
    fn relay_state(&self, state: ConnState) {
        if let Some(r) = self.inner.borrow_mut().relay.as_mut() {
            r.state = state;
            r.down = match state {
                ConnState::Connected => None,
                _ => r.down.or(Some(js_sys::Date::now())),
            };
        }
        self.relay_tiles();
        if state == ConnState::Failed {
            self.reconnect_relay();
        }
    }

    /// Tells the tile of everyone whose media comes through the relay how they are
    /// connected, when that changed: as the relay connection, but connecting until
    /// something of theirs arrived (`Remote::via_relay`). Otherwise a participant whose own
    /// connection to the relay never comes up looks connected, with a picture that never
    /// comes and no sound.
    pub(super) fn relay_tiles(&self) {
        self.tell_unreached();
        let mut changed = Vec::new();
        {
            let mut m = self.inner.borrow_mut();
            let Some(relay) = m.relay.as_ref().map(|r| r.state) else {
                return;
            };
            for r in m.remotes.iter_mut().filter(|r| r.peer.is_none()) {
                let now = r.via_relay(relay);
                if r.told != Some(now) {
                    r.told = Some(now);
                    changed.push((r.user, now));
                }
            }
        }
        for (user, state) in changed {
            self.emit(MeshEvent::Connection(user, state));
        }
    }

    /// Tells this side, once its connection to the relay has been down for
    /// [`UNREACHED_MS`], why no one in the call reaches it; and that it is over once it is up.
    /// While the server itself is out of reach that says why already, and the time counts
    /// from its return.
    fn tell_unreached(&self) {
        let now = js_sys::Date::now();
        let late = {
            let mut guard = self.inner.borrow_mut();
            let m = &mut *guard;
            let Some(r) = m.relay.as_mut() else { return };
            if m.server_lost {
                r.down = r.down.map(|_| now);
            }
            let late = r.down.is_some_and(|since| now - since > UNREACHED_MS);
            if late == r.warned {
                return;
            }
            r.warned = late;
            late
        };
        let words = UNREACHED.to_owned();
        self.emit(match late {
            true => MeshEvent::Warning(words),
            false => MeshEvent::WarningOver(words),
        });
    }

    /// A relay connection that failed (or that a restarted server no longer knows) is
    /// replaced by a new one, still down since the old one went down.
    fn reconnect_relay(&self) {
        let old = self.inner.borrow_mut().relay.take();
        let kept = old.as_ref().map(|r| (r.down, r.warned));
        drop(old);
        self.connect_relay();
        if let (Some((down, warned)), Some(r)) = (kept, self.inner.borrow_mut().relay.as_mut()) {
            r.down = down.or(r.down);
            r.warned = warned;
        }
    }

    /// Back with the server after a lost connection: an offer of the relay's may have been
    /// lost meanwhile, so this side offers again; a dead connection is replaced.
    pub(super) fn resume_relay(&self) {
        let state = self.inner.borrow().relay.as_ref().map(|r| r.state);
        match state {
            Some(ConnState::Connected | ConnState::Connecting | ConnState::New) => {
                if let Some(r) = &self.inner.borrow().relay {
                    r.peer.renegotiate();
                }
            }
            _ => self.reconnect_relay(),
        }
    }
}

//! One RTCPeerConnection with the perfect negotiation pattern: either side may (re)negotiate
//! at any time; when offers collide the polite side yields. Remote ICE candidates that
//! arrive before the remote description are buffered. Listeners are gloo `EventListener`
//! fields; the connection closes when dropped.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use js_sys::Reflect;
use wasm_bindgen::JsCast;
use web_sys::{
    MediaStream, RtcConfiguration, RtcPeerConnection, RtcSdpType, RtcSessionDescriptionInit,
    RtcSignalingState,
};

mod negotiation;
mod senders;
mod sources;

use negotiation::{
    add_candidate, add_layered, add_tracks, finish_answer, make_offer, start_answer,
    start_candidate,
};

use super::js;
use hearth_shared::call::{IceCandidate, IceServer, SdpType, SessionDescription};

/// What the peer connection reports.
#[derive(Debug, Clone)]
pub enum PeerEvent {
    /// Send this description to the other side.
    Description(SessionDescription),
    /// Send this candidate to the other side (None: this side has gathered them all).
    Candidate(Option<IceCandidate>),
    /// The other side's media: one stream holding every track received in this call (the
    /// same object again when a track is added: camera after voice, a screen's audio, ...).
    RemoteStream(MediaStream),
    /// On a connection to the media relay: one sender's media, by the id of the stream the
    /// relay grouped it in (`u<user id>`); the same object again when a track is added.
    SourceStream(String, MediaStream),
    /// `RTCPeerConnection.connectionState` changed.
    State(ConnState),
    /// The other side's description could not be applied (the browser's reason): tell
    /// them, rather than leave them waiting for an answer.
    Rejected(String),
}

/// `RTCPeerConnection.connectionState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnState {
    /// Not started.
    New,
    /// ICE and DTLS are working on it.
    Connecting,
    /// Media can flow.
    Connected,
    /// Checks stopped getting answers; it may come back by itself, or after an ICE restart.
    Disconnected,
    /// ICE gave up; only an ICE restart can bring it back.
    Failed,
    /// Closed.
    Closed,
}

impl ConnState {
    /// The state `pc` is in now.
    fn of(pc: &RtcPeerConnection) -> ConnState {
        let state = js::text(pc, "connectionState");
        ConnState::from_js(state.as_deref().unwrap_or_default())
    }

    fn from_js(s: &str) -> ConnState {
        match s {
            "connecting" => ConnState::Connecting,
            "connected" => ConnState::Connected,
            "disconnected" => ConnState::Disconnected,
            "failed" => ConnState::Failed,
            "closed" => ConnState::Closed,
            _ => ConnState::New,
        }
    }
}

struct Negotiation {
    polite: bool,
    making_offer: bool,
    /// An answer to this side's offer is being applied: an offer arriving meanwhile came
    /// after it (the connection's operations run in order), so it did not cross this side's.
    answer_pending: bool,
    ignore_offer: bool,
    early_candidates: Vec<Option<IceCandidate>>,
    /// The polite side's media, held until the first remote offer: added then, before the
    /// answer, the tracks ride on the offer's transceivers, so the call needs one offer and
    /// one answer instead of two colliding offers and a rollback.
    held: Option<MediaStream>,
    /// Media is still opening on this (polite) side.
    awaiting_media: bool,
    /// The first offer is applied (that overlaps the devices opening) and its answer waits
    /// for the media.
    answer_waits: bool,
    /// To the media relay: the camera goes in simulcast layers.
    layered: bool,
}

/// A peer connection; closes on drop.
pub struct Peer {
    pc: RtcPeerConnection,
    neg: Rc<RefCell<Negotiation>>,
    emit: Emit,
    _listeners: Vec<EventListener>,
}

type Emit = Rc<dyn Fn(PeerEvent)>;

/// `RTCConfiguration` as JSON.
#[derive(serde::Serialize)]
struct Config<'a> {
    #[serde(rename = "iceServers")]
    ice_servers: &'a [IceServer],
}

impl Peer {
    /// A new connection; `emit` receives every `PeerEvent`.
    pub fn new(
        ice_servers: &[IceServer],
        polite: bool,
        emit: impl Fn(PeerEvent) + 'static,
    ) -> Result<Peer, String> {
        // One body for every caller (the direct call's and the mesh's): generic over the
        // closure, it was compiled once per caller into the web bundle.
        Peer::with_emit(ice_servers, polite, false, Rc::new(emit))
    }

    /// A connection to the media relay (the SFU), sending `media` (with none, asking to
    /// receive sound, and pictures if `video`): this side offers what it sends (never
    /// yielding to the relay's offers), and what arrives is reported per sender
    /// (`SourceStream`). Its candidates need not be sent: the relay learns them from the
    /// connectivity checks.
    pub fn to_relay(
        ice_servers: &[IceServer],
        media: Option<&MediaStream>,
        video: bool,
        emit: impl Fn(PeerEvent) + 'static,
    ) -> Result<Peer, String> {
        let peer = Peer::with_emit(ice_servers, false, true, Rc::new(emit))?;
        if media.is_none() {
            peer.receive_only(video);
        }
        peer.set_media(media);
        Ok(peer)
    }

    fn with_emit(
        ice_servers: &[IceServer],
        polite: bool,
        per_source: bool,
        emit: Emit,
    ) -> Result<Peer, String> {
        let config: RtcConfiguration = js::to_js(&Config { ice_servers })?.unchecked_into();
        let pc = RtcPeerConnection::new_with_configuration(&config).map_err(js::describe)?;
        let neg = Rc::new(RefCell::new(Negotiation {
            polite,
            making_offer: false,
            answer_pending: false,
            ignore_offer: false,
            early_candidates: Vec::new(),
            held: None,
            awaiting_media: false,
            answer_waits: false,
            layered: per_source,
        }));
        let on_negotiation = EventListener::new(&pc, "negotiationneeded", {
            let (pc, neg, emit) = (pc.clone(), neg.clone(), emit.clone());
            move |_| {
                // The first offer may already be out (see `set_media`); renegotiate only from
                // a stable state with no offer in flight.
                if pc.signaling_state() == RtcSignalingState::Stable && !neg.borrow().making_offer {
                    make_offer(pc.clone(), neg.clone(), emit.clone());
                }
            }
        });
        let on_candidate = EventListener::new(&pc, "icecandidate", {
            let emit = emit.clone();
            move |e| match Reflect::get(e, &"candidate".into()) {
                // Gathering is complete: the other side may stop waiting for more.
                Ok(c) if c.is_null() => emit(PeerEvent::Candidate(None)),
                Ok(c) => {
                    let json = js::json(&c).unwrap_or_default();
                    if let Ok(c) = IceCandidate::from_json(&json) {
                        emit(PeerEvent::Candidate(Some(c)));
                    }
                }
                Err(_) => {}
            }
        });
        let on_track = if per_source {
            sources::listen(&pc, emit.clone())
        } else {
            sources::listen_one(&pc, emit.clone())?
        };
        let on_state = EventListener::new(&pc, "connectionstatechange", {
            let (pc, emit) = (pc.clone(), emit.clone());
            move |_| emit(PeerEvent::State(ConnState::of(&pc)))
        });
        Ok(Peer {
            pc,
            neg,
            emit,
            _listeners: vec![on_negotiation, on_candidate, on_track, on_state],
        })
    }

    /// Tells the (polite) peer its media is still opening: an early offer is applied at once,
    /// and answered when the media is there.
    pub fn expect_media(&self) {
        self.neg.borrow_mut().awaiting_media = true;
    }

    /// The media this side sends (None: there is none; the call goes on receive-only). On the
    /// impolite (offering) side the tracks go out at once, which fires negotiation; on the
    /// polite side they wait for the first offer, and an offer already applied is answered now.
    pub fn set_media(&self, stream: Option<&MediaStream>) {
        let answer_now = {
            let mut neg = self.neg.borrow_mut();
            neg.awaiting_media = false;
            let before_answer = self.pc.remote_description().is_none() || neg.answer_waits;
            match stream {
                Some(s) if neg.polite && before_answer => neg.held = Some(super::media::handle(s)),
                Some(s) if neg.layered => add_layered(&self.pc, s),
                Some(s) => add_tracks(&self.pc, s),
                None => {}
            }
            std::mem::take(&mut neg.answer_waits)
        };
        if answer_now {
            let started = start_answer(&self.pc, &self.neg);
            let (pc, emit) = (self.pc.clone(), self.emit.clone());
            wasm_bindgen_futures::spawn_local(
                async move { finish_answer(&pc, &emit, started).await },
            );
        }
        // The offering side offers at once rather than after the queued
        // `negotiationneeded` task, which runs behind the re-render this call triggers
        // (measured: about 15 ms later).
        let first_offer = !self.neg.borrow().polite
            && stream.is_some()
            && self.pc.local_description().is_none()
            && !self.neg.borrow().making_offer;
        if first_offer {
            make_offer(self.pc.clone(), self.neg.clone(), self.emit.clone());
        }
    }

    /// Applies a description from the other side (answering offers).
    pub fn on_description(&self, desc: SessionDescription) {
        let (pc, neg, emit) = (self.pc.clone(), self.neg.clone(), self.emit.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let ready_for_offer = !neg.borrow().making_offer
                && (pc.signaling_state() == RtcSignalingState::Stable
                    || neg.borrow().answer_pending);
            let collision = desc.kind == SdpType::Offer && !ready_for_offer;
            let ignore = !neg.borrow().polite && collision;
            neg.borrow_mut().ignore_offer = ignore;
            if ignore {
                return;
            }
            let init = RtcSessionDescriptionInit::new(match desc.kind {
                SdpType::Offer => RtcSdpType::Offer,
                SdpType::Answer => RtcSdpType::Answer,
                SdpType::Pranswer => RtcSdpType::Pranswer,
                SdpType::Rollback => RtcSdpType::Rollback,
            });
            init.set_sdp(&desc.sdp);
            // Chromium rolls a colliding local offer back by itself here (implicit rollback).
            let answer = desc.kind == SdpType::Answer;
            neg.borrow_mut().answer_pending = answer;
            let applied = js::wait(pc.set_remote_description(&init)).await;
            if answer {
                neg.borrow_mut().answer_pending = false;
            }
            if let Err(e) = applied {
                gloo::console::warn!(format!("remote description refused: {e}"));
                return emit(PeerEvent::Rejected(e));
            }
            // The answer, then the early candidates, all started now and in that order on the
            // connection's operation chain: none waits for a round trip through this task.
            let answering = match desc.kind {
                SdpType::Offer if neg.borrow().awaiting_media => {
                    neg.borrow_mut().answer_waits = true;
                    None
                }
                SdpType::Offer => Some(start_answer(&pc, &neg)),
                _ => None,
            };
            let early = std::mem::take(&mut neg.borrow_mut().early_candidates);
            let early: Vec<_> = early.iter().map(|c| start_candidate(&pc, c)).collect();
            if let Some(started) = answering {
                finish_answer(&pc, &emit, started).await;
            }
            for started in early {
                if let Err(e) = js::settle(started).await {
                    gloo::console::warn!(format!("early candidate refused: {e}"));
                }
            }
        });
    }

    /// Adds a candidate from the other side (None: end of candidates), or keeps it until the
    /// remote description is set.
    pub fn on_candidate(&self, c: Option<IceCandidate>) {
        if self.pc.remote_description().is_none() {
            self.neg.borrow_mut().early_candidates.push(c);
            return;
        }
        let (pc, neg) = (self.pc.clone(), self.neg.clone());
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = add_candidate(&pc, &c).await {
                if !neg.borrow().ignore_offer {
                    gloo::console::warn!(format!("candidate refused: {e}"));
                }
            }
        });
    }

    /// Offers again (from a stable state): to the relay, after this side's connection to the
    /// server was lost, so an offer of the relay's that could not reach it is replaced.
    pub fn renegotiate(&self) {
        let stable = self.pc.signaling_state() == RtcSignalingState::Stable;
        if stable && !self.neg.borrow().making_offer {
            make_offer(self.pc.clone(), self.neg.clone(), self.emit.clone());
        }
    }

    /// Whether this is the polite side (the one that did not make the first offer).
    pub fn polite(&self) -> bool {
        self.neg.borrow().polite
    }

    /// Restarts ICE with `servers` (fresh TURN credentials): new candidates are gathered and
    /// a new offer goes out through the usual negotiation. The rest of the configuration
    /// (its transport policy, say) stays as it was.
    pub fn restart_ice(&self, servers: &[IceServer]) -> Result<(), String> {
        let config = js::call0(&self.pc, "getConfiguration")?;
        Reflect::set(&config, &"iceServers".into(), &js::to_js(&servers)?).map_err(js::describe)?;
        let config: RtcConfiguration = config.unchecked_into();
        self.pc
            .set_configuration_with_configuration(&config)
            .map_err(js::describe)?;
        js::call0(&self.pc, "restartIce").map(|_| ())
    }

    /// The connection, for statistics.
    pub fn connection(&self) -> &RtcPeerConnection {
        &self.pc
    }

    /// The connection's state now.
    pub fn state(&self) -> ConnState {
        ConnState::of(&self.pc)
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.pc.close();
    }
}

//! The call controller: media, the peer connection and the ringtone for one call at a time.
//! It sends call commands through a closure and reports `CallEvent`s through another; it
//! never touches the UI. All devices are released when a call ends, however it ends.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::MediaStream;

use gloo::timers::callback::{Interval, Timeout};

mod controls;
mod dial;
mod events;
mod hold;
mod reconnect;
mod record;
mod relayed;
mod resume;
mod screen;
mod wiring;

pub use events::{CallEvent, Ending};

use super::media::{self, MediaPrefs};
use super::peer::Peer;
use super::recording::Recorder;
use super::remotes::{Remote, Remotes};
use super::ringtone::Ringtone;
use hearth_shared::call::{CallId, CallInfo, CallKind, ClientCall, IceServer, ServerCall};
use hearth_shared::UserId;

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Idle,
    Dialing,
    /// Hung up before the server named the call: hang up as soon as it does.
    Abandoned,
    Outgoing(CallInfo),
    Incoming(CallInfo),
    Answering(CallInfo),
    InCall(CallInfo),
}

struct Ctl {
    phase: Phase,
    send: Rc<dyn Fn(ClientCall) -> bool>,
    invite: Rc<dyn Fn(UserId, CallKind) -> bool>,
    emit: Rc<dyn Fn(CallEvent)>,
    ice_servers: Vec<IceServer>,
    prefs: MediaPrefs,
    local: Option<MediaStream>,
    /// The friend, with the connection to them and their media, once that connection is
    /// prepared (the one entry of a direct call).
    remotes: Remotes,
    /// The recording under way.
    recorder: Option<Recorder>,
    /// Events held back from the screen while connecting (see `hold_screen`); a cell of
    /// its own, so events can be held while the rest is borrowed.
    held: RefCell<Option<Vec<CallEvent>>>,
    /// Lets the held events go if the answer never comes.
    hold_limit: Option<Timeout>,
    /// This user's name (for screenshot file names).
    me: String,
    /// The devices are still opening (answering side).
    media_pending: bool,
    /// The screen being shared, if any.
    sharing: Option<screen::Sharing>,
    /// The caller's offer and candidates, made while the friend's phone rings and sent the
    /// moment they answer (the server relays nothing before that).
    unsent: Vec<ClientCall>,
    ringtone: Option<Ringtone>,
    sampler: Option<Interval>,
    /// The connection to the friend is down and being brought back.
    outage: Option<reconnect::Outage>,
    /// The call in progress, as the server must hear it again after losing it.
    facts: Option<resume::Facts>,
    /// The call goes through the server's media relay (see `relayed`).
    relayed: bool,
    /// Moves the call to the relay if the direct connection is not up in time; on the
    /// relay, ends it if the connection to the relay is not.
    connect_limit: Option<Timeout>,
}

/// One call at a time; cheap to clone.
#[derive(Clone)]
pub struct CallController {
    inner: Rc<RefCell<Ctl>>,
}

fn call_info(phase: &Phase) -> Option<&CallInfo> {
    match phase {
        Phase::Outgoing(c) | Phase::Incoming(c) | Phase::Answering(c) | Phase::InCall(c) => Some(c),
        _ => None,
    }
}

fn call_id(phase: &Phase) -> Option<CallId> {
    call_info(phase).map(|c| c.id.clone())
}

impl Ctl {
    /// The friend in the call, once the connection to them is prepared.
    fn friend(&self) -> Option<&Remote> {
        self.remotes.get(call_info(&self.phase)?.peer.id)
    }

    fn friend_mut(&mut self) -> Option<&mut Remote> {
        let id = call_info(&self.phase)?.peer.id;
        self.remotes.get_mut(id)
    }

    /// The connection to the friend.
    fn peer(&self) -> Option<&Peer> {
        self.friend().and_then(|r| r.peer.as_ref())
    }
}

impl CallController {
    /// `send` carries call commands, `invite` starts one (with its own request id), `emit`
    /// receives every event.
    pub fn new(
        send: impl Fn(ClientCall) -> bool + 'static,
        invite: impl Fn(UserId, CallKind) -> bool + 'static,
        emit: impl Fn(CallEvent) + 'static,
    ) -> CallController {
        let ctl = Ctl {
            phase: Phase::Idle,
            send: Rc::new(send),
            invite: Rc::new(invite),
            emit: Rc::new(emit),
            ice_servers: Vec::new(),
            prefs: MediaPrefs::default(),
            local: None,
            remotes: Remotes::default(),
            recorder: None,
            held: RefCell::new(None),
            hold_limit: None,
            me: String::new(),
            media_pending: false,
            sharing: None,
            unsent: Vec::new(),
            ringtone: None,
            sampler: None,
            outage: None,
            facts: None,
            relayed: false,
            connect_limit: None,
        };
        CallController {
            inner: Rc::new(RefCell::new(ctl)),
        }
    }

    fn emit(&self, e: CallEvent) {
        if let Some(held) = self.inner.borrow().held.borrow_mut().as_mut() {
            return held.push(e);
        }
        let emit = self.inner.borrow().emit.clone();
        // What the call looks and sounds like changed: so does a recording of it.
        let changed = matches!(
            e,
            CallEvent::LocalStream(_)
                | CallEvent::RemoteStream(_)
                | CallEvent::Sharing(_)
                | CallEvent::LocalMedia { .. }
                | CallEvent::RemoteMedia { .. }
        );
        emit(e);
        if changed {
            self.refresh_recording();
        }
    }

    fn send(&self, cmd: ClientCall) -> bool {
        let send = self.inner.borrow().send.clone();
        send(cmd)
    }

    fn phase(&self) -> Phase {
        self.inner.borrow().phase.clone()
    }

    fn set_phase(&self, p: Phase) {
        self.inner.borrow_mut().phase = p;
    }

    /// The STUN/TURN servers from `Welcome`.
    pub fn set_ice_servers(&self, servers: Vec<IceServer>) {
        self.inner.borrow_mut().ice_servers = servers;
    }

    /// Who this user is.
    pub fn set_me(&self, name: String) {
        self.inner.borrow_mut().me = name;
    }

    /// Audio processing settings for the next call.
    pub fn set_prefs(&self, prefs: MediaPrefs) {
        self.inner.borrow_mut().prefs = prefs;
    }

    fn report_local(&self) {
        let (audio, video, has_video) = match &self.inner.borrow().local {
            Some(s) => {
                let on = |kind| media::tracks_of(s, kind).iter().any(|t| t.enabled());
                (
                    on("audio"),
                    on("video"),
                    !media::tracks_of(s, "video").is_empty(),
                )
            }
            None => (false, false, false),
        };
        self.emit(CallEvent::LocalMedia {
            audio,
            video,
            has_video,
        });
        let screen = self.sharing();
        if let Some(id) =
            call_id(&self.phase()).filter(|_| matches!(self.phase(), Phase::InCall(_)))
        {
            self.send(ClientCall::Media {
                call_id: id,
                audio,
                video: video || screen,
                screen,
            });
        }
    }

    /// Handles a server call event.
    pub fn on_server(&self, msg: ServerCall) {
        let phase = self.phase();
        let current = call_id(&phase);
        let ours = |id: &CallId| current.as_ref() == Some(id);
        match msg {
            ServerCall::Outgoing { call, .. } => match phase {
                Phase::Dialing => {
                    self.set_phase(Phase::Outgoing(call.clone()));
                    // Prepare the offer while it rings: an answer then costs one relay each
                    // way instead of also waiting for the browser to build the offer.
                    if let Err(e) = self.prepare_peer(&call, false) {
                        self.send(ClientCall::Hangup {
                            call_id: call.id,
                            req_id: None,
                        });
                        return self.finish(Ending::Failed(e));
                    }
                    self.emit(CallEvent::Ringing(call));
                }
                Phase::Abandoned => {
                    self.send(ClientCall::Hangup {
                        call_id: call.id,
                        req_id: None,
                    });
                    self.set_phase(Phase::Idle);
                }
                _ => {}
            },
            ServerCall::Incoming { call } if phase == Phase::Idle => {
                self.set_phase(Phase::Incoming(call.clone()));
                let ring = Ringtone::start();
                let audible = ring.is_some();
                self.inner.borrow_mut().ringtone = ring;
                self.emit(CallEvent::Incoming(call));
                self.emit(CallEvent::Ringtone(audible));
            }
            ServerCall::Connected {
                call_id: id,
                polite,
            } if ours(&id) => {
                self.connect(phase, polite);
            }
            ServerCall::Ended {
                call_id: id,
                reason,
            } if ours(&id) => {
                self.finish(Ending::Server(reason));
            }
            ServerCall::ViaSfu { call_id: id } if ours(&id) => self.via_sfu(),
            ServerCall::SfuDescription {
                call_id: id,
                description,
            } if ours(&id) => self.on_relay_description(description),
            // Meant for the connection to the friend, which the relay's replaced.
            ServerCall::Description { call_id: id, .. }
            | ServerCall::Candidate { call_id: id, .. }
                if ours(&id) && self.relayed() => {}
            ServerCall::Description {
                call_id: id,
                description,
                ..
            } if ours(&id) => {
                if let Some(peer) = self.inner.borrow().peer() {
                    peer.on_description(description);
                }
            }
            ServerCall::Candidate {
                call_id: id,
                candidate,
                ..
            } if ours(&id) => {
                if let Some(peer) = self.inner.borrow().peer() {
                    peer.on_candidate(candidate);
                }
            }
            ServerCall::Media {
                call_id: id,
                audio,
                video,
                screen,
                ..
            } if ours(&id) => {
                if let Some(r) = self.inner.borrow_mut().friend_mut() {
                    (r.audio, r.video, r.screen) = (audio, video, screen);
                }
                self.emit(CallEvent::RemoteMedia {
                    audio,
                    video,
                    screen,
                });
            }
            ServerCall::Recording {
                call_id: id, on, ..
            } if ours(&id) => {
                self.emit(CallEvent::RemoteRecording(on));
            }
            ServerCall::Resumed { call_id: id } if ours(&id) => self.on_resumed(id),
            ServerCall::Rejected {
                call_id: id,
                message,
                ..
            } if ours(&id) => {
                self.finish(Ending::Failed(format!(
                    "Your friend's browser could not use this call's details ({message})."
                )));
            }
            _ => {}
        }
    }

    /// The invite was refused (not friends, already in a call, ...).
    pub fn invite_refused(&self, why: String) {
        if matches!(self.phase(), Phase::Dialing | Phase::Abandoned) {
            self.finish(Ending::Failed(why));
        }
    }

    /// Releases everything this call held.
    fn release(&self) {
        // First, while the pictures and voices are still there to finish it.
        self.end_recording();
        self.drop_sharing();
        let (local, remotes, ring) = {
            let mut me = self.inner.borrow_mut();
            me.sampler = None;
            me.outage = None;
            me.facts = None;
            me.relayed = false;
            me.connect_limit = None;
            me.unsent.clear();
            let remotes = std::mem::take(&mut me.remotes);
            (me.local.take(), remotes, me.ringtone.take())
        };
        drop(remotes);
        drop(ring);
        if let Some(s) = local {
            media::stop(&s);
        }
        self.emit(CallEvent::LocalStream(None));
    }

    fn finish(&self, ending: Ending) {
        self.release_screen();
        self.set_phase(Phase::Idle);
        self.release();
        self.emit(CallEvent::Ringtone(false));
        self.emit(CallEvent::Ended(ending));
    }
}

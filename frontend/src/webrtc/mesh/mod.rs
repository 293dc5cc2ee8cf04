//! A room call: this side's media, and one peer connection per other participant
//! (`webrtc::peer`, one per remote, as in a direct call), a mesh; or, once the call has
//! grown past the mesh, one connection to the server's media relay (`relay`). In a mesh the
//! newcomer offers to everyone already in; those already in answer (the server says who is
//! which). It sends call commands and reports `MeshEvent`s through closures, and never
//! touches the UI. The devices are released however the call ends.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::MediaStream;

use super::media::{self, MediaPrefs};
use super::recording::Recorder;
use super::remotes::Remotes;
use hearth_shared::call::{
    CallId, CallKind, ClientCall, EndReason, IceServer, ServerCall, Tile, Via,
};
use hearth_shared::session::UserPublic;
use hearth_shared::{ConversationId, UserId};

mod devices;
mod enter;
mod events;
mod levels;
mod peers;
mod record;
mod rejoin;
mod relay;
mod screen;
mod speaker;
mod spotlight;

pub use events::MeshEvent;
pub use rejoin::Rejoin;

/// How this side takes part in a room's call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Part {
    /// In a call: everyone sends.
    #[default]
    Call,
    /// Live: this side is a broadcast's host, the one who sends.
    Live,
    /// Watching a broadcast: this side receives only (no devices are opened).
    Watch,
}

/// Sends the command that enters a room's call (or a broadcast to friends): in `room`, of
/// `kind`, as `part`, watching `host` (a friend's broadcast), rejoining after a lost
/// connection; false when offline.
type JoinFn = dyn Fn(ConversationId, CallKind, Part, Option<UserId>, Option<Rejoin>) -> bool;

/// Where the call is.
#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Idle,
    /// Opening the devices, then asking the server to join.
    Joining(ConversationId),
    In(CallId, ConversationId),
}

struct Mesh {
    phase: Phase,
    me: UserPublic,
    send: Rc<dyn Fn(ClientCall) -> bool>,
    join: Rc<JoinFn>,
    /// In a call, live, or watching.
    part: Part,
    /// A broadcast's host, once in it.
    host: Option<UserId>,
    emit: Rc<dyn Fn(MeshEvent)>,
    ice_servers: Vec<IceServer>,
    prefs: MediaPrefs,
    local: Option<MediaStream>,
    /// One connection per other participant, in the order they came (none for those whose
    /// media comes through the relay).
    remotes: Remotes,
    /// How the call's media travels, and the connection to the relay once it goes there.
    via: Via,
    relay: Option<relay::Relay>,
    /// Who is speaking, and the timer that samples the audio levels while in a call.
    speaker: speaker::Speaker,
    sampler: Option<gloo::timers::callback::Interval>,
    /// On the relay: the last other who spoke, who has the spotlight, and how the relay
    /// was told each picture is shown (`spotlight`).
    spoke: Option<UserId>,
    spotlight: Option<UserId>,
    told: Vec<(UserId, Tile)>,
    /// The screen this side shares.
    sharing: Option<screen::Sharing>,
    /// The recording this side makes.
    recorder: Option<Recorder>,
    /// The connection to the server is lost; the call goes on browser to browser.
    server_lost: bool,
    /// The call's kind, and when this side got in (ms since the epoch), for a rejoin.
    kind: CallKind,
    since: f64,
}

/// The room call controller; cheap to clone.
#[derive(Clone)]
pub struct MeshCall {
    inner: Rc<RefCell<Mesh>>,
}

impl MeshCall {
    /// `send` carries call commands, `join` sends `join_room` (with its own request id),
    /// `emit` receives every event.
    pub fn new(
        me: UserPublic,
        send: impl Fn(ClientCall) -> bool + 'static,
        join: impl Fn(ConversationId, CallKind, Part, Option<UserId>, Option<Rejoin>) -> bool + 'static,
        emit: impl Fn(MeshEvent) + 'static,
    ) -> MeshCall {
        let mesh = Mesh {
            phase: Phase::Idle,
            me,
            send: Rc::new(send),
            join: Rc::new(join),
            part: Part::Call,
            host: None,
            emit: Rc::new(emit),
            ice_servers: Vec::new(),
            prefs: MediaPrefs::default(),
            local: None,
            remotes: Remotes::default(),
            via: Via::Mesh,
            relay: None,
            speaker: speaker::Speaker::default(),
            sampler: None,
            spoke: None,
            spotlight: None,
            told: Vec::new(),
            sharing: None,
            recorder: None,
            server_lost: false,
            kind: CallKind::Video,
            since: 0.0,
        };
        MeshCall {
            inner: Rc::new(RefCell::new(mesh)),
        }
    }

    fn emit(&self, e: MeshEvent) {
        let emit = self.inner.borrow().emit.clone();
        emit(e);
    }

    fn send(&self, cmd: ClientCall) -> bool {
        let send = self.inner.borrow().send.clone();
        send(cmd)
    }

    /// The STUN/TURN servers from `Welcome`.
    pub fn set_ice_servers(&self, servers: Vec<IceServer>) {
        self.inner.borrow_mut().ice_servers = servers;
    }

    /// Audio processing settings for the next call.
    pub fn set_prefs(&self, prefs: MediaPrefs) {
        self.inner.borrow_mut().prefs = prefs;
    }

    /// Whether this tab is in (or joining) a room call.
    pub fn busy(&self) -> bool {
        self.inner.borrow().phase != Phase::Idle
    }

    /// The server refused `join_room` (the call is full, ...), or a rejoin (the call went on
    /// without this side).
    pub fn refused(&self, why: String) {
        let (phase, rejoining) = {
            let m = self.inner.borrow();
            (m.phase.clone(), m.server_lost)
        };
        match phase {
            Phase::Joining(_) => self.finish(why),
            Phase::In(..) if rejoining => {
                self.finish("Connection lost: the call went on without you.".into());
            }
            _ => {}
        }
    }

    /// Leaves the call (the others go on).
    pub fn leave(&self) {
        let phase = self.inner.borrow().phase.clone();
        if let Phase::In(call_id, _) = phase.clone() {
            self.send(ClientCall::Hangup {
                call_id,
                req_id: None,
            });
        }
        if phase != Phase::Idle {
            self.finish(String::new());
        }
    }

    /// Stops everything and says why (empty: this side left).
    fn finish(&self, why: String) {
        // Saved however the call ends; the others need no word when this side is out.
        self.end_recording();
        let (local, peers, relay, sharing) = {
            let mut m = self.inner.borrow_mut();
            m.phase = Phase::Idle;
            m.server_lost = false;
            m.sampler = None;
            m.speaker = speaker::Speaker::default();
            (m.spoke, m.spotlight) = (None, None);
            m.told.clear();
            m.via = Via::Mesh;
            (
                m.local.take(),
                std::mem::take(&mut m.remotes),
                m.relay.take(),
                m.sharing.take(),
            )
        };
        drop((peers, relay));
        local.iter().for_each(media::stop);
        sharing.iter().for_each(|s| media::stop(s.stream()));
        self.emit(MeshEvent::Ended(why));
    }

    /// Microphone on or off.
    pub fn toggle_mic(&self) {
        self.toggle("audio");
    }

    /// Camera picture on or off.
    pub fn toggle_camera(&self) {
        self.toggle("video");
    }

    fn toggle(&self, kind: &str) {
        let Some(local) = self.inner.borrow().local.clone() else {
            return;
        };
        let on = media::tracks_of(&local, kind).iter().any(|t| t.enabled());
        media::set_enabled(&local, kind, !on);
        self.report_local();
        self.refresh_recording();
    }

    /// Tells the screen and the others what this side sends.
    fn report_local(&self) {
        let (audio, video) = match &self.inner.borrow().local {
            Some(s) => {
                let on = |kind| media::tracks_of(s, kind).iter().any(|t| t.enabled());
                (on("audio"), on("video"))
            }
            None => (false, false),
        };
        let screen = self.sharing();
        self.emit(MeshEvent::LocalMedia { audio, video });
        if let Phase::In(call_id, _) = self.inner.borrow().phase.clone() {
            self.send(ClientCall::Media {
                call_id,
                audio,
                video: video || screen,
                screen,
            });
        }
    }

    /// Handles a server call event meant for this call (others are ignored).
    pub fn on_server(&self, msg: ServerCall) {
        let phase = self.inner.borrow().phase.clone();
        let ours = |id: &CallId| matches!(&phase, Phase::In(c, _) if c == id);
        match msg {
            ServerCall::Joined { call, .. } => match phase {
                Phase::In(id, _) if id == call.id => self.rejoined(call),
                _ => self.joined(phase, call),
            },
            ServerCall::PeerJoined { call_id, user } if ours(&call_id) => {
                let (via, part) = (self.inner.borrow().via, self.inner.borrow().part);
                if via == Via::Sfu && part == Part::Live {
                    // A viewer: nothing comes from them, and the relay carries this side; a
                    // tile of no picture, so that their recording is told.
                    self.emit(MeshEvent::Joined(user.clone()));
                } else if via == Via::Sfu {
                    self.add_relayed(&user);
                } else {
                    self.add_peer(&user, true, CallKind::Video);
                }
                // The newcomer has heard nothing of this side's mute, camera or recording.
                self.report_local();
                if self.inner.borrow().recorder.is_some() {
                    self.send(ClientCall::Recording { call_id, on: true });
                }
                self.refresh_recording();
            }
            ServerCall::ViaSfu { call_id } if ours(&call_id) => self.via_sfu(),
            ServerCall::Speaker { call_id, user } if ours(&call_id) => self.on_speaker(user),
            ServerCall::SeesViaSfu {
                call_id,
                from: Some(user),
            } if ours(&call_id) => {
                if let Some(r) = self.inner.borrow_mut().relay.as_mut() {
                    r.seen_by(user);
                }
            }
            ServerCall::SfuDescription {
                call_id,
                description,
            } if ours(&call_id) => self.on_relay_description(description),
            ServerCall::PeerLeft { call_id, user } if ours(&call_id) => {
                self.forget(user);
                self.emit(MeshEvent::Left(user));
                self.refresh_recording();
            }
            ServerCall::Recording {
                call_id,
                from: Some(user),
                on,
            } if ours(&call_id) => self.emit(MeshEvent::RemoteRecording(user, on)),
            ServerCall::Description {
                call_id,
                from,
                description,
            } if ours(&call_id) => self.peer(from, |p| p.on_description(description)),
            ServerCall::Candidate {
                call_id,
                from,
                candidate,
            } if ours(&call_id) => self.peer(from, |p| p.on_candidate(candidate)),
            ServerCall::Media {
                call_id,
                from: Some(user),
                audio,
                video,
                screen,
            } if ours(&call_id) => {
                if let Some(r) = self.inner.borrow_mut().remotes.get_mut(user) {
                    (r.audio, r.video, r.screen) = (audio, video, screen);
                }
                self.emit(MeshEvent::Media {
                    user,
                    audio,
                    video,
                    screen,
                });
                self.refresh_recording();
            }
            ServerCall::Rejected {
                call_id,
                from,
                message,
            } if ours(&call_id) => self.emit(MeshEvent::Warning(format!(
                "{} could not connect to you ({message}).",
                from.map_or_else(|| "Someone".to_owned(), |u| self.name_of(u))
            ))),
            ServerCall::Ended { call_id, reason } if ours(&call_id) => {
                self.finish(ended(reason));
            }
            _ => {}
        }
    }
}

/// Why the server ended this side's part in the call, for people.
fn ended(reason: EndReason) -> String {
    match reason {
        EndReason::Removed => "You are no longer in the room.".into(),
        EndReason::Disconnected => "Connection lost.".into(),
        EndReason::BroadcastEnded => "The broadcast ended.".into(),
        _ => "The call ended.".into(),
    }
}

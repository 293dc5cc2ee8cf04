//! The call screen's state machine: Idle, Dialing, Ringing (outgoing), Incoming,
//! Connecting, Active, Ended. It is fed by the controller's `CallEvent`s; events that do not
//! fit the current phase are ignored (and logged), never half-applied.

use std::rc::Rc;

use web_sys::MediaStream;
use yew::Reducible;

use crate::webrtc::call::{CallEvent, Ending};
use crate::webrtc::media::Device;
use crate::webrtc::snapshot::Shot;
use crate::webrtc::stats::Quality;
use hearth_shared::call::{CallInfo, CallKind};
use hearth_shared::session::UserPublic;

/// Where the call is.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// No call.
    Idle,
    /// This user is calling; the invite is on its way.
    Dialing { peer: UserPublic, kind: CallKind },
    /// The friend's devices are ringing.
    Ringing(CallInfo),
    /// A friend is calling this user.
    Incoming(CallInfo),
    /// Answered; WebRTC is connecting.
    Connecting(CallInfo),
    /// Media flows since `since_ms`.
    Active { call: CallInfo, since_ms: f64 },
    /// Over, and why (shown until dismissed).
    Ended {
        peer: Option<UserPublic>,
        ending: Ending,
    },
}

pub use crate::webrtc::recording::RecordingStatus;

/// Everything the call screen shows.
#[derive(Debug, Clone, PartialEq)]
pub struct CallState {
    /// The phase.
    pub phase: Phase,
    /// This side's camera and microphone.
    pub local: Option<MediaStream>,
    /// The friend's media.
    pub remote: Option<MediaStream>,
    /// Microphone on.
    pub mic_on: bool,
    /// Camera picture on.
    pub cam_on: bool,
    /// Whether this side has a camera track at all.
    pub has_video: bool,
    /// The friend's microphone on.
    pub remote_audio: bool,
    /// The friend's camera on.
    pub remote_video: bool,
    /// The friend's picture is their screen.
    pub remote_screen: bool,
    /// The screen this side shares.
    pub screen: Option<MediaStream>,
    /// The latest screenshot.
    pub shot: Option<Shot>,
    /// This side's recording.
    pub recording: Option<RecordingStatus>,
    /// The friend is recording.
    pub remote_recording: bool,
    /// The connection to the friend dropped and is being brought back.
    pub reconnecting: bool,
    /// The connection to the server dropped; the call goes on.
    pub server_lost: bool,
    /// The call goes through the server's media relay.
    pub relayed: bool,
    /// The latest warning (no camera, ...).
    pub warning: Option<String>,
    /// Whether the ringtone sounds.
    pub ringing_audible: bool,
    /// Quality samples of this call, oldest first (the last minute).
    pub quality: Vec<Quality>,
    /// Microphones and cameras to choose from.
    pub devices: Vec<Device>,
    /// The microphone in use.
    pub mic_id: Option<String>,
    /// The camera in use.
    pub camera_id: Option<String>,
}

/// Quality samples kept for the chart.
pub const QUALITY_HISTORY: usize = 60;

impl Default for CallState {
    fn default() -> Self {
        CallState {
            phase: Phase::Idle,
            local: None,
            remote: None,
            mic_on: false,
            cam_on: false,
            has_video: false,
            remote_audio: true,
            remote_video: true,
            remote_screen: false,
            screen: None,
            shot: None,
            recording: None,
            remote_recording: false,
            reconnecting: false,
            server_lost: false,
            relayed: false,
            warning: None,
            ringing_audible: false,
            quality: Vec::new(),
            devices: Vec::new(),
            mic_id: None,
            camera_id: None,
        }
    }
}

/// Changes to the call state.
#[derive(Debug, Clone, PartialEq)]
pub enum CallAction {
    /// From the controller; `now_ms` stamps the start of an active call.
    Event(CallEvent, f64),
    /// The user closed the "call ended" notice.
    Dismiss,
}

impl CallState {
    /// The call, once the server has named it.
    pub fn call(&self) -> Option<&CallInfo> {
        match &self.phase {
            Phase::Ringing(c) | Phase::Incoming(c) | Phase::Connecting(c) => Some(c),
            Phase::Active { call, .. } => Some(call),
            _ => None,
        }
    }

    /// Whether a call is in progress (not idle, not ended).
    pub fn busy(&self) -> bool {
        !matches!(self.phase, Phase::Idle | Phase::Ended { .. })
    }

    fn peer(&self) -> Option<UserPublic> {
        match &self.phase {
            Phase::Dialing { peer, .. } => Some(peer.clone()),
            Phase::Ended { peer, .. } => peer.clone(),
            _ => self.call().map(|c| c.peer.clone()),
        }
    }

    /// The next phase, or `None` when the event does not fit this one.
    fn next_phase(&self, event: &CallEvent, now_ms: f64) -> Option<Phase> {
        let idle = matches!(self.phase, Phase::Idle | Phase::Ended { .. });
        Some(match (event, &self.phase) {
            (CallEvent::Dialing { peer, kind }, _) if idle => Phase::Dialing {
                peer: peer.clone(),
                kind: *kind,
            },
            (CallEvent::Ringing(call), Phase::Dialing { .. }) => Phase::Ringing(call.clone()),
            (CallEvent::Incoming(call), _) if idle => Phase::Incoming(call.clone()),
            (CallEvent::Connecting, Phase::Ringing(c) | Phase::Incoming(c)) => {
                Phase::Connecting(c.clone())
            }
            (CallEvent::Connected, Phase::Connecting(c)) => Phase::Active {
                call: c.clone(),
                since_ms: now_ms,
            },
            (CallEvent::Connected, Phase::Active { .. }) => self.phase.clone(),
            (CallEvent::Ended(ending), _) if !idle => Phase::Ended {
                peer: self.peer(),
                ending: ending.clone(),
            },
            _ => return None,
        })
    }
}

impl Reducible for CallState {
    type Action = CallAction;

    fn reduce(self: Rc<Self>, action: CallAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            CallAction::Dismiss => match s.phase {
                Phase::Ended { .. } => s = CallState::default(),
                _ => return self,
            },
            CallAction::Event(event, now_ms) => match event {
                CallEvent::LocalStream(l) => s.local = l,
                CallEvent::RemoteStream(r) => s.remote = Some(r),
                CallEvent::LocalMedia {
                    audio,
                    video,
                    has_video,
                } => {
                    (s.mic_on, s.cam_on, s.has_video) = (audio, video, has_video);
                }
                CallEvent::RemoteMedia {
                    audio,
                    video,
                    screen,
                } => (s.remote_audio, s.remote_video, s.remote_screen) = (audio, video, screen),
                CallEvent::Sharing(screen) => s.screen = screen,
                CallEvent::Screenshot(shot) => s.shot = Some(shot),
                CallEvent::Recording { audio_only, bytes } => {
                    let since_ms = s.recording.map_or(now_ms, |r| r.since_ms);
                    s.recording = Some(RecordingStatus {
                        audio_only,
                        bytes,
                        since_ms,
                    });
                }
                CallEvent::RecordingStopped => s.recording = None,
                CallEvent::RemoteRecording(on) => s.remote_recording = on,
                CallEvent::Reconnecting(on) => s.reconnecting = on,
                CallEvent::Relayed => s.relayed = true,
                CallEvent::ServerLost(on) => s.server_lost = on,
                // The recordings list keeps the files, not the call screen.
                CallEvent::Saved(_) => return self,
                CallEvent::Warning(w) => s.warning = Some(w),
                CallEvent::Ringtone(on) => s.ringing_audible = on,
                CallEvent::Quality(q) => {
                    if s.quality.len() >= QUALITY_HISTORY {
                        s.quality.remove(0);
                    }
                    s.quality.push(q);
                }
                CallEvent::Devices { list, mic, camera } => {
                    (s.devices, s.mic_id, s.camera_id) = (list, mic, camera);
                }
                phase_event => match s.next_phase(&phase_event, now_ms) {
                    Some(next) => {
                        if matches!(next, Phase::Dialing { .. } | Phase::Incoming(_)) {
                            s = CallState {
                                phase: next,
                                ..CallState::default()
                            };
                        } else {
                            if matches!(next, Phase::Ended { .. }) {
                                s.remote = None;
                                s.recording = None;
                                s.remote_recording = false;
                                s.reconnecting = false;
                                s.server_lost = false;
                                s.relayed = false;
                            }
                            s.phase = next;
                        }
                    }
                    None => {
                        log_ignored(&phase_event, &self.phase);
                        return self;
                    }
                },
            },
        }
        Rc::new(s)
    }
}

fn log_ignored(event: &CallEvent, phase: &Phase) {
    // Names only: `Debug` of these types would pull the float formatter into the bundle.
    let event = match event {
        CallEvent::Dialing { .. } => "dialing",
        CallEvent::Ringing(_) => "ringing",
        CallEvent::Incoming(_) => "incoming",
        CallEvent::Connecting => "connecting",
        CallEvent::Connected => "connected",
        CallEvent::Ended(_) => "ended",
        _ => "media",
    };
    let phase = match phase {
        Phase::Idle => "idle",
        Phase::Dialing { .. } => "dialing",
        Phase::Ringing(_) => "ringing",
        Phase::Incoming(_) => "incoming",
        Phase::Connecting(_) => "connecting",
        Phase::Active { .. } => "active",
        Phase::Ended { .. } => "ended",
    };
    #[cfg(target_arch = "wasm32")]
    gloo::console::debug!(format!("call: ignored {event} while {phase}"));
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (event, phase);
}

#[cfg(test)]
mod tests;

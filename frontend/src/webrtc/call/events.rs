//! What the call controller reports to the UI.

use web_sys::MediaStream;

use crate::webrtc::media::Device;
use crate::webrtc::stats::Quality;
use hearth_shared::call::{CallInfo, CallKind, EndReason};
use hearth_shared::session::UserPublic;

/// How a call ended, from this side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// The server said why.
    Server(EndReason),
    /// This user hung up or cancelled.
    HungUp,
    /// This user declined.
    Declined,
    /// It could not start or the connection failed.
    Failed(String),
}

/// What the controller reports.
#[derive(Debug, Clone, PartialEq)]
pub enum CallEvent {
    /// This user started a call; media is being opened and the invite sent.
    Dialing { peer: UserPublic, kind: CallKind },
    /// The invite rings the friend.
    Ringing(CallInfo),
    /// A friend is calling.
    Incoming(CallInfo),
    /// Answered: WebRTC is connecting.
    Connecting,
    /// Media flows.
    Connected,
    /// The call now goes through the server's media relay: the browsers could not reach
    /// each other directly.
    Relayed,
    /// The connection to the friend dropped and is being brought back (true), or is back.
    Reconnecting(bool),
    /// The connection to the server dropped during the call (true), or the server has the
    /// call again; the call itself goes on meanwhile.
    ServerLost(bool),
    /// Over.
    Ended(Ending),
    /// This side's camera and microphone (None once released).
    LocalStream(Option<MediaStream>),
    /// The friend's media.
    RemoteStream(MediaStream),
    /// This side's state: microphone on, camera on, and whether there is a camera track.
    LocalMedia {
        audio: bool,
        video: bool,
        has_video: bool,
    },
    /// The friend's microphone and camera state, and whether their picture is a screen.
    RemoteMedia {
        audio: bool,
        video: bool,
        screen: bool,
    },
    /// A screenshot was taken.
    Screenshot(crate::webrtc::snapshot::Shot),
    /// This side records the call: sound only or not, and the file's size so far.
    Recording { audio_only: bool, bytes: u64 },
    /// This side's recording stopped; the file is being saved.
    RecordingStopped,
    /// The recording's file is ready (or could not be made).
    Saved(Result<crate::webrtc::recording::Recorded, String>),
    /// The friend started (true) or stopped recording.
    RemoteRecording(bool),
    /// The screen this side shares (None once it stops).
    Sharing(Option<MediaStream>),
    /// Something the user should know (no camera, permission refused, ...).
    Warning(String),
    /// Whether the ringtone is sounding.
    Ringtone(bool),
    /// A quality sample (once a second during a call).
    Quality(Quality),
    /// The microphones and cameras, and the ids of the ones in use.
    Devices {
        list: Vec<Device>,
        mic: Option<String>,
        camera: Option<String>,
    },
}

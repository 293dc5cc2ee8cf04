//! What the room call controller reports to whoever shows it.

use web_sys::MediaStream;

use crate::webrtc::media::Device;
use crate::webrtc::peer::ConnState;
use crate::webrtc::recording::{Recorded, RecordingStatus};
use crate::webrtc::snapshot::Shot;
use crate::webrtc::stats::Quality;
use hearth_shared::call::RoomCallInfo;
use hearth_shared::session::UserPublic;
use hearth_shared::{ConversationId, UserId};

/// An event of the room call.
#[derive(Debug, Clone, PartialEq)]
pub enum MeshEvent {
    /// Opening the devices to join the call in this room (or asking to watch).
    Joining(ConversationId, super::Part),
    /// In the call, with these participants (this side last).
    In(RoomCallInfo),
    /// This side's camera and microphone.
    LocalStream(MediaStream),
    /// What this side sends.
    LocalMedia {
        /// Microphone on.
        audio: bool,
        /// Camera on.
        video: bool,
    },
    /// A connection to this participant (already in, or just joined).
    Joined(UserPublic),
    /// Their picture and sound.
    Stream(UserId, MediaStream),
    /// Their microphone and camera state.
    Media {
        /// Who.
        user: UserId,
        /// Microphone on.
        audio: bool,
        /// Camera (or screen) on.
        video: bool,
        /// Their picture is a shared screen.
        screen: bool,
    },
    /// The connection to them changed state.
    Connection(UserId, ConnState),
    /// They left the call.
    Left(UserId),
    /// The microphones and cameras, and the ones in use.
    Devices {
        /// What the browser offers.
        list: Vec<Device>,
        /// The microphone in use.
        mic: Option<String>,
        /// The camera in use.
        camera: Option<String>,
    },
    /// The connection to them over the last seconds.
    Quality(UserId, Quality),
    /// Who is speaking now (None: nobody).
    Speaker(Option<UserId>),
    /// On the relay: who is shown large, the others beside them (None: a grid).
    Spotlight(Option<UserId>),
    /// The screen this side shares (None: sharing stopped).
    Sharing(Option<MediaStream>),
    /// This side records; the file has grown to `bytes`.
    Recording(RecordingStatus),
    /// This side's recording stopped and is being saved.
    RecordingStopped,
    /// It is saved, or could not be.
    Saved(Result<Recorded, String>),
    /// A screenshot of a tile.
    Screenshot(Shot),
    /// Someone else in the call started or stopped recording.
    RemoteRecording(UserId, bool),
    /// The connection to the server is lost (`true`; the call goes on) or back.
    ServerLost(bool),
    /// Something is missing (no camera, ...), in words a person understands.
    Warning(String),
    /// What that warning said is no longer so: it goes, if it is still the one shown.
    WarningOver(String),
    /// This side is out of the call; why, or empty when it left.
    Ended(String),
}

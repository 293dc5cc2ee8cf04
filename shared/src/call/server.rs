//! Call events from the server: ringing, who is in a room's call or broadcast, and the
//! signaling passed on from the other participants.

use serde::{Deserialize, Serialize};

use super::{CallId, CallInfo, EndReason, IceCandidate, RoomCallInfo, SessionDescription};
use crate::ids::{ConversationId, ReqId, UserId};
use crate::session::UserPublic;

/// Call events from the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerCall {
    /// Your invite is ringing the callee (sent to the inviting tab).
    Outgoing {
        /// The invite's request number.
        req_id: ReqId,
        /// The call.
        call: CallInfo,
    },
    /// A friend is calling (sent to every tab of the callee).
    Incoming {
        /// The call.
        call: CallInfo,
    },
    /// The call was answered: start WebRTC. Sent to the caller's tab and the answering tab.
    Connected {
        /// Which call.
        call_id: CallId,
        /// Perfect negotiation: the polite side yields when offers collide. The caller is
        /// impolite and makes the first offer.
        polite: bool,
    },
    /// The call is over (or never started), and why.
    Ended {
        /// Which call.
        call_id: CallId,
        /// Why.
        reason: EndReason,
    },
    /// A session description from the other member.
    Description {
        /// Which call.
        call_id: CallId,
        /// The participant it is from (room calls only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<UserId>,
        /// As the other browser gave it.
        description: SessionDescription,
    },
    /// An ICE candidate from the other member.
    Candidate {
        /// Which call.
        call_id: CallId,
        /// The participant it is from (room calls only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<UserId>,
        /// As the other browser gave it; `null`: end of candidates.
        candidate: Option<IceCandidate>,
    },
    /// The other side could not apply your description: the call cannot connect as it is.
    Rejected {
        /// Which call.
        call_id: CallId,
        /// Who could not (room calls only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<UserId>,
        /// Their browser's reason.
        message: String,
    },
    /// The other member's microphone and camera state.
    Media {
        /// Which call.
        call_id: CallId,
        /// The participant it is about (room calls only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<UserId>,
        /// Microphone on.
        audio: bool,
        /// Camera (or screen) on.
        video: bool,
        /// The picture is a shared screen, not the camera.
        #[serde(default)]
        screen: bool,
    },
    /// The other member started or stopped recording the call.
    Recording {
        /// Which call.
        call_id: CallId,
        /// Who (room calls only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<UserId>,
        /// Recording now.
        on: bool,
    },
    /// `from` now shows you from the media relay: once you show them from it too, close your
    /// own connection to them (nobody needs it any more).
    SeesViaSfu {
        /// Which call.
        call_id: CallId,
        /// Who.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<UserId>,
    },
    /// From the server's media relay (the SFU): its answer to this tab's offer, or an offer
    /// of what this tab is to receive (answer it with `sfu_description`).
    SfuDescription {
        /// Which call.
        call_id: CallId,
        /// An offer or an answer.
        description: SessionDescription,
    },
    /// Who speaks in your room call on the media relay, when that changes: the loudest
    /// participant (from the audio level their browser stamps on each packet), changing at
    /// most once a second, and only to someone clearly louder. Who stops talking stays the
    /// speaker until someone else starts.
    Speaker {
        /// Which call.
        call_id: CallId,
        /// Who speaks.
        user: UserId,
    },
    /// Both members of the call are connected to the server again (after a lost connection
    /// or a server restart): each sends its media and recording state again.
    Resumed {
        /// The call.
        call_id: CallId,
    },
    /// The call running in a room, or `None` when it ended: sent to every member's tabs
    /// whenever its participants change, and after `Welcome` for each room with a call.
    /// A member not in it sees "Call in progress" and may join.
    RoomCall {
        /// The room.
        room: ConversationId,
        /// The call, if one runs.
        call: Option<RoomCallInfo>,
    },
    /// A friend's broadcast to friends (`go_live_to_friends`), or `None` when it ended: sent
    /// to every tab of the host and of each of their friends whenever its viewers change,
    /// and after `Welcome` for each friend who is live. Its `room` is `FRIENDS_STAGE` (0).
    FriendLive {
        /// Who is live.
        host: UserId,
        /// The broadcast, if it runs.
        call: Option<RoomCallInfo>,
    },
    /// A room call started and rings you (every tab of each online member not in a call):
    /// join it with `JoinRoom`, or `Decline`. `Ended` stops the ringing.
    Ringing {
        /// The call.
        call: RoomCallInfo,
        /// Who started it.
        by: UserPublic,
    },
    /// You are in the room call (sent to the joining tab): offer to each participant
    /// already in it, as the impolite side.
    Joined {
        /// The `JoinRoom` request's number.
        req_id: ReqId,
        /// The call, you last among its participants.
        call: RoomCallInfo,
    },
    /// Someone joined your room call: they will offer to you; you are the polite side
    /// toward them.
    PeerJoined {
        /// Which call.
        call_id: CallId,
        /// Who.
        user: UserPublic,
    },
    /// Your call moves to the server's media relay (a room call that grew past the mesh, or
    /// a direct call whose members could not reach each other): connect to it (your offer
    /// in `sfu_description`), and close your connection to each participant once their
    /// media arrives through the relay, so nobody's picture goes black. Whoever joins from
    /// now on comes through the relay only.
    ViaSfu {
        /// Which call.
        call_id: CallId,
    },
    /// Someone left your room call: close your connection to them.
    PeerLeft {
        /// Which call.
        call_id: CallId,
        /// Who.
        user: UserId,
    },
    /// An event this client does not know; ignored.
    #[serde(other)]
    Unknown,
}

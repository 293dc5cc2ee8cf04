//! The `call` domain: ringing a friend, answering, hanging up, and relaying WebRTC signaling
//! between the members of a call. A direct call is two friends, phone-like; a room call is
//! any members of a room, each connected to each (a mesh), who come and go while it runs.
//! The server never parses SDP: descriptions and ICE candidates mirror the browser's own
//! JSON and pass through untouched.

use serde::{Deserialize, Serialize};

use crate::ids::{ConversationId, ReqId, UserId};
use crate::session::UserPublic;

mod info;
mod record;
mod signal;
mod tile;

pub use info::{CallInfo, EndReason, RoomCallInfo};
pub use record::{CallOutcome, CallRecord};
pub use signal::{IceCandidate, IceServer, SdpType, SessionDescription};
pub use tile::Tile;

/// A call, named by the server (random, so ids never repeat across restarts).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CallId(pub String);

/// Voice only, or voice and video.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallKind {
    /// Audio only.
    Voice,
    /// Audio and video.
    Video,
}

/// How a room call's media travels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// Browser to browser: each participant connects to each other (a mesh).
    #[default]
    Mesh,
    /// Through the server's media relay (the SFU): each participant has one connection, to
    /// the server, and sends its media once.
    Sfu,
}

/// Call commands from the client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientCall {
    /// Ring a friend. Answered by `Outgoing` (it rings), or `Error` (not friends, ...);
    /// a callee already in a call ends it at once with reason `busy`.
    Invite {
        /// The request's number.
        req_id: ReqId,
        /// Whom to call.
        callee: UserId,
        /// Voice or video.
        kind: CallKind,
    },
    /// Join the call running in a room you are in, or start one there (ringing every online
    /// member who is not in a call). Answered by `Joined` (then offer to each participant
    /// already in it), or `Error` (`call_full` beyond the server's mesh size).
    JoinRoom {
        /// The request's number.
        req_id: ReqId,
        /// The room.
        room: ConversationId,
        /// Voice or video, for a call this starts (a running call keeps its own).
        kind: CallKind,
        /// Rejoin this call after a lost connection: the server keeps the participant's
        /// place for a while, so the others see no one leave and nothing rings.
        /// `no_such_call` if the place is gone; nothing is started then.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        call_id: Option<CallId>,
        /// With `call_id`: the participants this side is still connected to. A server that
        /// restarted has forgotten the call and rebuilds it from this word.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        with: Vec<UserId>,
        /// With `call_id`: seconds since this side joined the call, for the rebuilt call's
        /// entry.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seconds: Option<u32>,
        /// With `call_id`: the host, if the call was a broadcast (a rebuilt one is again).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        host: Option<UserId>,
    },
    /// Go live in a room you are in (a broadcast: this side sends its camera, or screen, and
    /// microphone; members may watch). Nothing rings: members see the room's call with
    /// `host` set. Answered by `Joined`; `conflict` while a call or broadcast runs there.
    GoLive {
        /// The request's number.
        req_id: ReqId,
        /// The room.
        room: ConversationId,
    },
    /// Watch the broadcast running in a room you are in: this side receives only, sends no
    /// media. Answered by `Joined`; `no_such_call` if nobody is live there, `call_full` past
    /// the server's `--max-viewers`.
    Watch {
        /// The request's number.
        req_id: ReqId,
        /// The room.
        room: ConversationId,
    },
    /// Answer a ringing call on this tab.
    Accept {
        /// Which call.
        call_id: CallId,
        /// Optional: given, the command is answered `ack` (or an `error` carrying it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        req_id: Option<ReqId>,
    },
    /// Refuse a ringing call.
    Decline {
        /// Which call.
        call_id: CallId,
        /// Optional: given, the command is answered `ack` (or an `error` carrying it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        req_id: Option<ReqId>,
    },
    /// End the call: cancels it while ringing, hangs up once answered.
    Hangup {
        /// Which call.
        call_id: CallId,
        /// Optional: given, the command is answered `ack` (or an `error` carrying it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        req_id: Option<ReqId>,
    },
    /// A session description for the other member (offer, answer or rollback).
    Description {
        /// Which call.
        call_id: CallId,
        /// The participant it is for: required in a room call, ignored in a direct one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<UserId>,
        /// As the browser gives it.
        description: SessionDescription,
    },
    /// An ICE candidate for the other member.
    Candidate {
        /// Which call.
        call_id: CallId,
        /// The participant it is for: required in a room call, ignored in a direct one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<UserId>,
        /// As the browser gives it; `null`: this side has sent every candidate (end of
        /// candidates).
        candidate: Option<IceCandidate>,
    },
    /// This side's browser could not apply the other's description: they are told (with
    /// `rejected`) instead of waiting for an answer that will not come.
    Rejected {
        /// Which call.
        call_id: CallId,
        /// Whose description: required in a room call, ignored in a direct one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<UserId>,
        /// The browser's reason, for people (at most 500 characters are passed on).
        message: String,
    },
    /// Whether this side is sending audio and video (mute, camera off), for the other's UI.
    Media {
        /// Which call.
        call_id: CallId,
        /// Microphone on.
        audio: bool,
        /// Camera (or screen) on.
        video: bool,
        /// The picture is a shared screen, not the camera.
        #[serde(default)]
        screen: bool,
    },
    /// This side started or stopped recording the call; the other side is told (consent).
    Recording {
        /// Which call.
        call_id: CallId,
        /// Recording now.
        on: bool,
    },
    /// In a room call that moved to the media relay: this side now shows `to` from the
    /// relay. `to` may close its own connection to this side once it shows this side from
    /// the relay too (instead of keeping it a while in case this side still needed it).
    SeesViaSfu {
        /// Which call.
        call_id: CallId,
        /// The participant now shown from the relay.
        to: UserId,
    },
    /// In a room call through the media relay: this tab shows `user`'s picture as `tile`,
    /// and the relay sends it the simulcast layer that fits (the lowest for a thumbnail).
    Shows {
        /// Which call.
        call_id: CallId,
        /// Whose picture.
        user: UserId,
        /// How big it is shown.
        tile: Tile,
    },
    /// In an answered direct call, from the tab in it: this side could not reach the other
    /// directly (no connection within seconds, or one lost and not brought back), so the
    /// call goes through the server's media relay. Both members get `via_sfu` (again, if it
    /// already goes through it) and connect to the relay as in a room call; a server without
    /// a relay refuses it (`conflict`), a room call gets `wrong_state`.
    ViaSfu {
        /// Which call.
        call_id: CallId,
    },
    /// A session description for this tab's connection to the server's media relay (the
    /// SFU) in a call it is in (a room call, or a direct call after `via_sfu`): an offer of
    /// what it sends (answered with the SFU's `sfu_description`), or its answer to the SFU's
    /// offer. Only a participant of the call, on the tab that is in it, may send it; a
    /// server without an SFU refuses it (`conflict`).
    SfuDescription {
        /// Which call.
        call_id: CallId,
        /// An offer or an answer (no rollback: when offers cross, this side's wins).
        description: SessionDescription,
    },
    /// After this tab's connection to the server came back (or the server restarted) during
    /// a call: "I am still in this call". The call lives on in the server; a call the server
    /// no longer knows is rebuilt when both members say the same.
    Resume {
        /// The call.
        call_id: CallId,
        /// The other member.
        peer: UserId,
        /// Voice or video.
        kind: CallKind,
        /// Whether this member placed the call.
        caller: bool,
        /// Seconds since the call was answered.
        seconds: u32,
    },
}

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

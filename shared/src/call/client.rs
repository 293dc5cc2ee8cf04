//! Call commands from the client: ringing, joining a room's call or broadcast, answering,
//! hanging up, and the signaling passed on to the other participants.

use serde::{Deserialize, Serialize};

use super::{CallId, CallKind, IceCandidate, SessionDescription, Tile};
use crate::ids::{ConversationId, ReqId, UserId};

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
    /// Go live to all your friends (a broadcast in no room): as `GoLive`, but friends watch
    /// with `WatchFriend`, and each sees it as `friend_live`. Answered by `Joined` (its call's
    /// `room` is `FRIENDS_STAGE`, 0); `conflict` while you are already live or in a call.
    GoLiveToFriends {
        /// The request's number.
        req_id: ReqId,
        /// Back after a lost connection: this broadcast again (see `StageRejoin`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rejoin: Option<StageRejoin>,
    },
    /// Watch a friend's broadcast to friends: receive only, as `Watch`. Answered by
    /// `Joined`; `no_such_call` if they are not live to friends, `not_friends` if you are not
    /// their friend, `call_full` past `--max-viewers`.
    WatchFriend {
        /// The request's number.
        req_id: ReqId,
        /// Whose broadcast.
        host: UserId,
        /// Back after a lost connection: this broadcast again (see `StageRejoin`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rejoin: Option<StageRejoin>,
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

/// A broadcast to friends that this side is still in after a lost connection, as
/// `JoinRoom`'s `call_id`, `with` and `seconds` say of a room's call: the server gives back
/// the place it kept, and one that restarted (and forgot the broadcast) rebuilds it from
/// this word. `no_such_call` if it ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageRejoin {
    /// The broadcast.
    pub call_id: CallId,
    /// Who this side is still connected to (the host's viewers, or a viewer's host).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<UserId>,
    /// Seconds since this side joined it, for the rebuilt broadcast's entry.
    #[serde(default)]
    pub seconds: u32,
}

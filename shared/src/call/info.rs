//! What the server says a call is: a direct call as one member sees it, a room's call as its
//! members see it, and why a call ended.

use serde::{Deserialize, Serialize};

use super::{CallId, CallKind, Via};
use crate::ids::{ConversationId, UserId};
use crate::session::UserPublic;

/// The `room` of a broadcast to friends, which belongs to no room (conversation ids start
/// at 1): its `host` says whose it is.
pub const FRIENDS_STAGE: ConversationId = ConversationId(0);

/// A room's call as its members see it (or a broadcast to friends, in `FRIENDS_STAGE`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomCallInfo {
    /// Its id.
    pub id: CallId,
    /// The room.
    pub room: ConversationId,
    /// Voice or video.
    pub kind: CallKind,
    /// Who is in it, in the order they joined.
    pub participants: Vec<UserPublic>,
    /// How its media travels (absent: a mesh).
    #[serde(default)]
    pub via: Via,
    /// A broadcast: who is live (the first participant, the only one who sends media); the
    /// others watch. Absent: a call, where everyone sends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<UserId>,
}

/// A call as one member sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallInfo {
    /// Its id.
    pub id: CallId,
    /// The other member.
    pub peer: UserPublic,
    /// Voice or video.
    pub kind: CallKind,
    /// The conversation the call belongs to (where its entry is recorded).
    pub conversation: ConversationId,
}

/// Why a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The callee declined.
    Declined,
    /// The caller hung up before an answer.
    Cancelled,
    /// Nobody answered in time.
    Missed,
    /// A member hung up.
    HungUp,
    /// The callee was already in a call.
    Busy,
    /// A member's connection was lost.
    Disconnected,
    /// Another tab of the callee answered (sent to the callee's other tabs).
    AnsweredElsewhere,
    /// You were removed from the room (or left it) during its call.
    Removed,
    /// The broadcast you watched ended: its host ended it (or left).
    BroadcastEnded,
    /// A reason this client does not know.
    Unknown,
}

crate::names::by_name!(EndReason {
    Declined = "declined",
    Cancelled = "cancelled",
    Missed = "missed",
    HungUp = "hung_up",
    Busy = "busy",
    Disconnected = "disconnected",
    AnsweredElsewhere = "answered_elsewhere",
    Removed = "removed",
    BroadcastEnded = "broadcast_ended",
} else Unknown);

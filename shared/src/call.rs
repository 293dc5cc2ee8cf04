//! The `call` domain: ringing a friend, answering, hanging up, and relaying WebRTC signaling
//! between the members of a call. A direct call is two friends, phone-like; a room call is
//! any members of a room, each connected to each (a mesh), who come and go while it runs.
//! The server never parses SDP: descriptions and ICE candidates mirror the browser's own
//! JSON and pass through untouched.

use serde::{Deserialize, Serialize};

mod client;
mod info;
mod record;
mod server;
mod signal;
mod tile;

pub use client::{ClientCall, StageRejoin};
pub use info::{CallInfo, EndReason, RoomCallInfo, FRIENDS_STAGE};
pub use record::{CallOutcome, CallRecord};
pub use server::ServerCall;
pub use signal::{IceCandidate, IceServer, SdpType, SessionDescription};
pub use tile::Tile;

/// A call, named by the server (random, so ids never repeat across restarts).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CallId(pub String);

/// Voice only, or voice and video.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallKind {
    /// Audio only.
    Voice,
    /// Audio and video.
    Video,
}

/// How a room call's media travels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// Browser to browser: each participant connects to each other (a mesh).
    #[default]
    Mesh,
    /// Through the server's media relay (the SFU): each participant has one connection, to
    /// the server, and sends its media once.
    Sfu,
}

crate::names::by_name!(CallKind { Voice = "voice", Video = "video" });
crate::names::by_name!(Via { Mesh = "mesh", Sfu = "sfu" });

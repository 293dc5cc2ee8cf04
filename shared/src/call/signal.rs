//! What WebRTC signaling carries, shaped as the browser serializes it
//! (`RTCSessionDescriptionInit`, `RTCIceCandidateInit`, `RTCIceServer`), so it passes
//! through the server untouched.

use serde::{Deserialize, Serialize};

/// `RTCSessionDescriptionInit` as the browser serializes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDescription {
    /// `offer`, `answer`, `pranswer` or `rollback`.
    #[serde(rename = "type")]
    pub kind: SdpType,
    /// The SDP text (empty for a rollback).
    #[serde(default)]
    pub sdp: String,
}

/// The type of a session description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SdpType {
    /// An offer.
    Offer,
    /// A provisional answer.
    Pranswer,
    /// An answer.
    Answer,
    /// Undo a local offer (perfect negotiation).
    Rollback,
}

crate::names::by_name!(SdpType {
    Offer = "offer",
    Pranswer = "pranswer",
    Answer = "answer",
    Rollback = "rollback",
});

/// `RTCIceCandidateInit` as the browser serializes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IceCandidate {
    /// The candidate line (empty: end of candidates).
    pub candidate: String,
    /// The media stream id.
    #[serde(rename = "sdpMid", default, skip_serializing_if = "Option::is_none")]
    pub sdp_mid: Option<String>,
    /// The media line index.
    #[serde(
        rename = "sdpMLineIndex",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sdp_m_line_index: Option<u16>,
    /// The ICE username fragment.
    #[serde(
        rename = "usernameFragment",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub username_fragment: Option<String>,
}

/// A STUN or TURN server for `RTCPeerConnection`, as the browser's `RTCIceServer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IceServer {
    /// `stun:host:port` or `turn:host:port?transport=udp`.
    pub urls: Vec<String>,
    /// TURN user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// TURN password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

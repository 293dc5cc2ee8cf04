//! The `session` domain: the versioned handshake, the heartbeat, and the generic replies
//! (`Ack`, `Error`) to requests that carry a `req_id`.

use serde::{Deserialize, Serialize};

use crate::ids::{ReqId, UserId};

/// Session messages from the client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientSession {
    /// The first frame on every connection.
    Hello {
        /// The client's `PROTOCOL_VERSION`.
        protocol: u32,
    },
    /// Keeps the connection alive; the server answers `Pong`.
    Ping,
}

/// Session messages from the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerSession {
    /// The answer to `Hello`: who you are and how to keep the connection alive.
    Welcome {
        /// The server's protocol version.
        protocol: u32,
        /// The signed-in user.
        user: UserPublic,
        /// How often to ping, and when the server gives up on a silent connection.
        heartbeat: Heartbeat,
        /// STUN/TURN servers for calls (none by default on loopback).
        #[serde(default)]
        ice_servers: Vec<crate::call::IceServer>,
    },
    /// Fresh STUN/TURN servers, replacing those of `Welcome`: sent before time-limited TURN
    /// credentials expire, on connections that outlive them.
    IceServers {
        /// The servers, with new credentials.
        ice_servers: Vec<crate::call::IceServer>,
    },
    /// The answer to `Ping`.
    Pong,
    /// A request succeeded.
    Ack {
        /// The request's number.
        req_id: ReqId,
    },
    /// A request or frame was refused; the connection stays open.
    Error {
        /// The request's number, when the frame had one that could be read.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        req_id: Option<ReqId>,
        /// The call a refused call command named.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        call_id: Option<crate::call::CallId>,
        /// What went wrong, for code.
        code: ErrorCode,
        /// What went wrong, for people.
        message: String,
        /// With `rate_limited`: how long to wait before sending that kind of command again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after_ms: Option<u32>,
    },
    /// An error code this client does not know; ignored.
    #[serde(other)]
    Unknown,
}

/// A user as others see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPublic {
    /// The account's id.
    pub id: UserId,
    /// The unique username.
    pub username: String,
}

/// Heartbeat timing, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heartbeat {
    /// How often the client should send `Ping`.
    pub interval_ms: u32,
    /// The server closes a connection silent for this long.
    pub timeout_ms: u32,
}

/// Why a request was refused. Closed set: clients can match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The frame was not valid JSON or not a known message.
    BadFrame,
    /// The frame was larger than `MAX_FRAME_BYTES`.
    FrameTooLarge,
    /// `Hello` was missing, repeated or had an unsupported version.
    Handshake,
    /// A field had an invalid value (empty text, bad id, ...).
    Invalid,
    /// No such user.
    UserNotFound,
    /// The two users are not friends.
    NotFriends,
    /// The conversation does not exist or you are not in it.
    NotInConversation,
    /// The request conflicts with the current state (already friends, no such request, ...).
    Conflict,
    /// Too many requests; try again later.
    RateLimited,
    /// No such call, or you are not (or no longer) in it.
    NoSuchCall,
    /// The room call has as many participants as the server's mesh allows.
    CallFull,
    /// Something failed on the server; the request may be retried.
    Internal,
    /// A code this client does not know.
    Unknown,
}

crate::names::by_name!(ErrorCode {
    BadFrame = "bad_frame",
    FrameTooLarge = "frame_too_large",
    Handshake = "handshake",
    Invalid = "invalid",
    UserNotFound = "user_not_found",
    NotFriends = "not_friends",
    NotInConversation = "not_in_conversation",
    Conflict = "conflict",
    RateLimited = "rate_limited",
    NoSuchCall = "no_such_call",
    CallFull = "call_full",
    Internal = "internal",
} else Unknown);

//! The Hearth wire protocol: every message the server and the web client exchange over the
//! WebSocket, plus the JSON bodies of the HTTP API. Serde only, no I/O, so both the native
//! server and the wasm client compile it.
//!
//! The wire is flat JSON tagged twice: `domain` picks the area (`session`, `friends`,
//! `rooms`, `chat`, `call`), `type` picks the message, e.g. `{"domain":"chat","type":"post","req_id":1,...}`.
//! See `docs/protocol.md` for an example of every message.

pub mod api;
pub mod call;
pub mod chat;
mod decode;
pub mod envelope;
pub mod friends;
pub mod ids;
mod names;
pub mod rooms;
pub mod session;

pub use envelope::{ClientMsg, ServerMsg};
pub use ids::{ClientMsgId, ConversationId, ReqId, Seq, UserId};

/// The protocol version a client announces in `Hello`. Version 2 added room calls (a mesh of
/// participants; signaling names its addressee); everything else is as in version 1.
pub const PROTOCOL_VERSION: u32 = 2;

/// The oldest version the server still speaks: a version 1 client chats and makes direct
/// calls as before, and skips the room-call events as unknown.
pub const MIN_PROTOCOL_VERSION: u32 = 1;

/// The largest WebSocket frame the server accepts, in bytes.
pub const MAX_FRAME_BYTES: usize = 64 * 1024;

/// The longest chat message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4000;

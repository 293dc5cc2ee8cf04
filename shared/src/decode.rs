//! A lean decoder for `ServerMsg`, for the web client.
//!
//! The derived `Deserialize` of an internally tagged enum buffers the whole frame into serde's
//! `Content` tree and then decodes every variant a second time from that tree, so each field
//! type is compiled twice. In the browser that cost about 40 KB of gzip. Here the frame is read
//! twice instead: once for its two tags, once straight into a struct holding the variant's
//! fields. The wire format is the same; `tests/wire_format.rs` checks that this decoder and
//! the derived one agree on every golden message.

use serde::Deserialize;

use crate::call::ServerCall;
use crate::chat::ServerChat;
use crate::friends::{Roster, ServerFriends};
use crate::rooms::ServerRooms;
use crate::session::ServerSession;
use crate::ServerMsg;

/// The two tags of a frame. Other fields are skipped.
#[derive(Deserialize)]
struct Head {
    domain: String,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// Decodes the fields of one struct variant: declares a struct with those fields (attributes
/// included), reads the frame into it, and builds the variant.
macro_rules! variant {
    ($text:expr, $path:path { $( $(#[$attr:meta])* $field:ident : $ty:ty ),* $(,)? }) => {{
        #[derive(Deserialize)]
        struct Fields {
            $( $(#[$attr])* $field: $ty, )*
        }
        let f: Fields = serde_json::from_str($text)?;
        $path { $( $field: f.$field ),* }
    }};
}

/// A known domain without `type` is an error, as with the derived decoder.
fn kind(head: &Head) -> Result<&str, serde_json::Error> {
    head.kind
        .as_deref()
        .ok_or_else(|| serde::de::Error::missing_field("type"))
}

impl ServerMsg {
    /// Reads one frame from the server; unknown domains and types become `Unknown`.
    pub fn from_json(text: &str) -> Result<ServerMsg, serde_json::Error> {
        let head: Head = serde_json::from_str(text)?;
        Ok(match head.domain.as_str() {
            "session" => ServerMsg::Session(session(text, kind(&head)?)?),
            "friends" => ServerMsg::Friends(friends(text, kind(&head)?)?),
            "rooms" => ServerMsg::Rooms(rooms(text, kind(&head)?)?),
            "chat" => ServerMsg::Chat(chat(text, kind(&head)?)?),
            "call" => ServerMsg::Call(call(text, kind(&head)?)?),
            _ => ServerMsg::Unknown,
        })
    }
}

fn session(text: &str, kind: &str) -> Result<ServerSession, serde_json::Error> {
    use crate::call::IceServer;
    use crate::session::{ErrorCode, Heartbeat, UserPublic};
    use crate::ReqId;
    Ok(match kind {
        "welcome" => variant!(text, ServerSession::Welcome {
            protocol: u32,
            user: UserPublic,
            heartbeat: Heartbeat,
            #[serde(default)]
            ice_servers: Vec<IceServer>,
        }),
        "ice_servers" => variant!(text, ServerSession::IceServers {
            ice_servers: Vec<IceServer>,
        }),
        "pong" => ServerSession::Pong,
        "ack" => variant!(text, ServerSession::Ack { req_id: ReqId }),
        "error" => variant!(text, ServerSession::Error {
            #[serde(default)]
            req_id: Option<ReqId>,
            #[serde(default)]
            call_id: Option<crate::call::CallId>,
            code: ErrorCode,
            message: String,
            #[serde(default)]
            retry_after_ms: Option<u32>,
        }),
        _ => ServerSession::Unknown,
    })
}

fn friends(text: &str, kind: &str) -> Result<ServerFriends, serde_json::Error> {
    use crate::UserId;
    Ok(match kind {
        "roster" => ServerFriends::Roster(serde_json::from_str::<Roster>(text)?),
        "presence" => variant!(
            text,
            ServerFriends::Presence {
                user: UserId,
                online: bool
            }
        ),
        _ => ServerFriends::Unknown,
    })
}

fn rooms(text: &str, kind: &str) -> Result<ServerRooms, serde_json::Error> {
    use crate::rooms::Room;
    Ok(match kind {
        "rooms" => variant!(text, ServerRooms::Rooms { rooms: Vec<Room> }),
        _ => ServerRooms::Unknown,
    })
}

fn chat(text: &str, kind: &str) -> Result<ServerChat, serde_json::Error> {
    use crate::chat::Message;
    use crate::{ConversationId, ReqId, Seq, UserId};
    Ok(match kind {
        "posted" => variant!(text, ServerChat::Posted { message: Message }),
        "page" => variant!(text, ServerChat::Page {
            req_id: ReqId,
            conversation: ConversationId,
            messages: Vec<Message>,
            has_more: bool,
        }),
        "typing" => variant!(
            text,
            ServerChat::Typing {
                conversation: ConversationId,
                user: UserId,
            }
        ),
        "marks" => variant!(
            text,
            ServerChat::Marks {
                conversation: ConversationId,
                user: UserId,
                delivered: Seq,
                read: Seq,
            }
        ),
        _ => ServerChat::Unknown,
    })
}

fn call(text: &str, kind: &str) -> Result<ServerCall, serde_json::Error> {
    use crate::call::{
        CallId, CallInfo, EndReason, IceCandidate, RoomCallInfo, SessionDescription,
    };
    use crate::session::UserPublic;
    use crate::{ConversationId, ReqId, UserId};
    Ok(match kind {
        "outgoing" => variant!(
            text,
            ServerCall::Outgoing {
                req_id: ReqId,
                call: CallInfo
            }
        ),
        "incoming" => variant!(text, ServerCall::Incoming { call: CallInfo }),
        "resumed" => variant!(text, ServerCall::Resumed { call_id: CallId }),
        "connected" => variant!(
            text,
            ServerCall::Connected {
                call_id: CallId,
                polite: bool
            }
        ),
        "ended" => variant!(
            text,
            ServerCall::Ended {
                call_id: CallId,
                reason: EndReason
            }
        ),
        "description" => variant!(
            text,
            ServerCall::Description {
                call_id: CallId,
                #[serde(default)]
                from: Option<UserId>,
                description: SessionDescription,
            }
        ),
        "candidate" => variant!(
            text,
            ServerCall::Candidate {
                call_id: CallId,
                #[serde(default)]
                from: Option<UserId>,
                candidate: Option<IceCandidate>,
            }
        ),
        "rejected" => variant!(
            text,
            ServerCall::Rejected {
                call_id: CallId,
                #[serde(default)]
                from: Option<UserId>,
                message: String,
            }
        ),
        "media" => variant!(
            text,
            ServerCall::Media {
                call_id: CallId,
                #[serde(default)]
                from: Option<UserId>,
                audio: bool,
                video: bool,
                #[serde(default)]
                screen: bool,
            }
        ),
        "recording" => variant!(
            text,
            ServerCall::Recording {
                call_id: CallId,
                #[serde(default)]
                from: Option<UserId>,
                on: bool
            }
        ),
        "room_call" => variant!(text, ServerCall::RoomCall {
            room: ConversationId,
            call: Option<RoomCallInfo>,
        }),
        "ringing" => variant!(
            text,
            ServerCall::Ringing {
                call: RoomCallInfo,
                by: UserPublic,
            }
        ),
        "joined" => variant!(
            text,
            ServerCall::Joined {
                req_id: ReqId,
                call: RoomCallInfo,
            }
        ),
        "peer_joined" => variant!(
            text,
            ServerCall::PeerJoined {
                call_id: CallId,
                user: UserPublic,
            }
        ),
        "peer_left" => variant!(
            text,
            ServerCall::PeerLeft {
                call_id: CallId,
                user: UserId,
            }
        ),
        _ => ServerCall::Unknown,
    })
}

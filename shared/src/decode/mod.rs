//! A lean decoder for `ServerMsg`, for the web client.
//!
//! The derived `Deserialize` of an internally tagged enum buffers the whole frame into serde's
//! `Content` tree and then decodes every variant a second time from that tree, so each field
//! type is compiled twice. In the browser that cost about 40 KB of gzip. Here the frame is
//! split once into its fields, each kept as its JSON text ([`RawValue`]), and each field is
//! read from its text by the same deserializer the rest of the client uses, so no type's
//! decoding is compiled twice and no variant needs a decoder of its own. The wire format is
//! the same; `tests/wire_format.rs` checks that this decoder and the derived one agree on
//! every golden message.

use std::collections::BTreeMap;

use serde::de::{DeserializeOwned, Error as _};
use serde_json::value::RawValue;
use serde_json::Error;

use crate::call::{IceCandidate, RoomCallInfo, ServerCall};
use crate::chat::{Message, ServerChat};
use crate::friends::{Roster, ServerFriends};
use crate::rooms::ServerRooms;
use crate::session::ServerSession;
use crate::ServerMsg;
use structs::{list, maybe};

mod structs;

/// A frame's fields, each still as its JSON text.
struct Frame<'a>(BTreeMap<&'a str, &'a RawValue>);

impl<'a> Frame<'a> {
    /// A JSON object's fields (anything else is an error).
    fn parse(text: &'a str) -> Result<Self, Error> {
        serde_json::from_str(text).map(Frame)
    }

    /// A field read by `read` rather than by a `Deserialize` (`structs`). A missing one
    /// reads as `null`.
    fn read<T>(
        &self,
        name: &'static str,
        read: impl FnOnce(&str) -> Result<T, Error>,
    ) -> Result<T, Error> {
        read(self.0.get(name).map_or("null", |raw| raw.get()))
    }

    /// A field. A missing one reads as `null`: an `Option` is then `None`, as with the derived
    /// decoder, and anything else is a missing field.
    fn take<T: DeserializeOwned>(&self, name: &'static str) -> Result<T, Error> {
        match self.0.get(name) {
            Some(raw) => serde_json::from_str(raw.get()),
            None => serde_json::from_str("null").map_err(|_| Error::missing_field(name)),
        }
    }

    /// A field that may be left out: its default then.
    fn or_default<T: DeserializeOwned + Default>(&self, name: &'static str) -> Result<T, Error> {
        match self.0.get(name) {
            Some(raw) => serde_json::from_str(raw.get()),
            None => Ok(T::default()),
        }
    }
}

impl ServerMsg {
    /// Reads one frame from the server; unknown domains and types become `Unknown`.
    pub fn from_json(text: &str) -> Result<ServerMsg, Error> {
        let f = Frame::parse(text)?;
        let domain: String = f.take("domain")?;
        let kind: Option<String> = f.take("type")?;
        // A known domain without `type` is an error, as with the derived decoder.
        let kind = || kind.as_deref().ok_or_else(|| Error::missing_field("type"));
        Ok(match domain.as_str() {
            "session" => ServerMsg::Session(session(&f, kind()?)?),
            "friends" => ServerMsg::Friends(friends(text, &f, kind()?)?),
            "rooms" => ServerMsg::Rooms(rooms(&f, kind()?)?),
            "chat" => ServerMsg::Chat(chat(&f, kind()?)?),
            "call" => ServerMsg::Call(call(&f, kind()?)?),
            _ => ServerMsg::Unknown,
        })
    }
}

fn session(f: &Frame, kind: &str) -> Result<ServerSession, Error> {
    Ok(match kind {
        "welcome" => ServerSession::Welcome {
            protocol: f.take("protocol")?,
            user: f.take("user")?,
            heartbeat: f.take("heartbeat")?,
            ice_servers: f.or_default("ice_servers")?,
        },
        "ice_servers" => ServerSession::IceServers {
            ice_servers: f.take("ice_servers")?,
        },
        "pong" => ServerSession::Pong,
        "ack" => ServerSession::Ack {
            req_id: f.take("req_id")?,
        },
        "error" => ServerSession::Error {
            req_id: f.or_default("req_id")?,
            call_id: f.or_default("call_id")?,
            code: f.take("code")?,
            message: f.take("message")?,
            retry_after_ms: f.or_default("retry_after_ms")?,
        },
        _ => ServerSession::Unknown,
    })
}

fn friends(text: &str, f: &Frame, kind: &str) -> Result<ServerFriends, Error> {
    Ok(match kind {
        "roster" => ServerFriends::Roster(serde_json::from_str::<Roster>(text)?),
        "presence" => ServerFriends::Presence {
            user: f.take("user")?,
            online: f.take("online")?,
        },
        _ => ServerFriends::Unknown,
    })
}

fn rooms(f: &Frame, kind: &str) -> Result<ServerRooms, Error> {
    Ok(match kind {
        "rooms" => ServerRooms::Rooms {
            rooms: f.take("rooms")?,
        },
        _ => ServerRooms::Unknown,
    })
}

fn chat(f: &Frame, kind: &str) -> Result<ServerChat, Error> {
    Ok(match kind {
        "posted" => ServerChat::Posted {
            message: f.read("message", Message::from_json)?,
        },
        "page" => ServerChat::Page {
            req_id: f.take("req_id")?,
            conversation: f.take("conversation")?,
            messages: f.read("messages", |t| list(t, Message::from_json))?,
            has_more: f.take("has_more")?,
        },
        "typing" => ServerChat::Typing {
            conversation: f.take("conversation")?,
            user: f.take("user")?,
        },
        "marks" => ServerChat::Marks {
            conversation: f.take("conversation")?,
            user: f.take("user")?,
            delivered: f.take("delivered")?,
            read: f.take("read")?,
        },
        _ => ServerChat::Unknown,
    })
}

fn call(f: &Frame, kind: &str) -> Result<ServerCall, Error> {
    Ok(match kind {
        "outgoing" => ServerCall::Outgoing {
            req_id: f.take("req_id")?,
            call: f.take("call")?,
        },
        "incoming" => ServerCall::Incoming {
            call: f.take("call")?,
        },
        "resumed" => ServerCall::Resumed {
            call_id: f.take("call_id")?,
        },
        "connected" => ServerCall::Connected {
            call_id: f.take("call_id")?,
            polite: f.take("polite")?,
        },
        "ended" => ServerCall::Ended {
            call_id: f.take("call_id")?,
            reason: f.take("reason")?,
        },
        "description" => ServerCall::Description {
            call_id: f.take("call_id")?,
            from: f.or_default("from")?,
            description: f.take("description")?,
        },
        "candidate" => ServerCall::Candidate {
            call_id: f.take("call_id")?,
            from: f.or_default("from")?,
            candidate: f.read("candidate", |t| maybe(t, IceCandidate::from_json))?,
        },
        "rejected" => ServerCall::Rejected {
            call_id: f.take("call_id")?,
            from: f.or_default("from")?,
            message: f.take("message")?,
        },
        "media" => ServerCall::Media {
            call_id: f.take("call_id")?,
            from: f.or_default("from")?,
            audio: f.take("audio")?,
            video: f.take("video")?,
            screen: f.or_default("screen")?,
        },
        "recording" => ServerCall::Recording {
            call_id: f.take("call_id")?,
            from: f.or_default("from")?,
            on: f.take("on")?,
        },
        "speaker" => ServerCall::Speaker {
            call_id: f.take("call_id")?,
            user: f.take("user")?,
        },
        "sees_via_sfu" => ServerCall::SeesViaSfu {
            call_id: f.take("call_id")?,
            from: f.or_default("from")?,
        },
        "sfu_description" => ServerCall::SfuDescription {
            call_id: f.take("call_id")?,
            description: f.take("description")?,
        },
        "room_call" => ServerCall::RoomCall {
            room: f.take("room")?,
            call: f.read("call", |t| maybe(t, RoomCallInfo::from_json))?,
        },
        "friend_live" => ServerCall::FriendLive {
            host: f.take("host")?,
            call: f.read("call", |t| maybe(t, RoomCallInfo::from_json))?,
        },
        "ringing" => ServerCall::Ringing {
            call: f.read("call", RoomCallInfo::from_json)?,
            by: f.take("by")?,
        },
        "joined" => ServerCall::Joined {
            req_id: f.take("req_id")?,
            call: f.read("call", RoomCallInfo::from_json)?,
        },
        "peer_joined" => ServerCall::PeerJoined {
            call_id: f.take("call_id")?,
            user: f.take("user")?,
        },
        "via_sfu" => ServerCall::ViaSfu {
            call_id: f.take("call_id")?,
        },
        "peer_left" => ServerCall::PeerLeft {
            call_id: f.take("call_id")?,
            user: f.take("user")?,
        },
        _ => ServerCall::Unknown,
    })
}

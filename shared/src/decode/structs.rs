//! Lean readers for the structs the web client reads in its busiest frames (a chat message
//! and its call entry, a room's call, an ICE candidate): each reads its fields from a
//! [`Frame`], as `ServerMsg::from_json` reads a frame's, so the client carries no derived
//! `Deserialize` for them (each derived one reads from a map and from a sequence, with a
//! visitor of its field names). The wire is the same; `tests/wire_format` checks that the
//! two ways agree.

use serde_json::value::RawValue;
use serde_json::Error;

use super::Frame;
use crate::call::{CallOutcome, CallRecord, IceCandidate, RoomCallInfo};
use crate::chat::Message;

/// `null` as `None`, anything else read by `read`.
pub(super) fn maybe<T>(text: &str, read: fn(&str) -> Result<T, Error>) -> Result<Option<T>, Error> {
    match text.trim() {
        "null" => Ok(None),
        _ => read(text).map(Some),
    }
}

/// A JSON array, each item read by `read`.
pub(super) fn list<T>(text: &str, read: fn(&str) -> Result<T, Error>) -> Result<Vec<T>, Error> {
    let items: Vec<&RawValue> = serde_json::from_str(text)?;
    items.into_iter().map(|i| read(i.get())).collect()
}

impl Message {
    /// A message from its JSON text.
    pub fn from_json(text: &str) -> Result<Message, Error> {
        let f = Frame::parse(text)?;
        Ok(Message {
            conversation: f.take("conversation")?,
            seq: f.take("seq")?,
            author: f.take("author")?,
            client_id: f.take("client_id")?,
            text: f.take("text")?,
            call: f.read("call", |t| maybe(t, CallRecord::from_json))?,
            sent_at_ms: f.take("sent_at_ms")?,
        })
    }
}

impl CallRecord {
    /// A call's entry from its JSON text.
    pub fn from_json(text: &str) -> Result<CallRecord, Error> {
        let f = Frame::parse(text)?;
        let outcome = f.read("outcome", |t| {
            let o = Frame::parse(t)?;
            CallOutcome::named(&o.take::<String>("outcome")?, o.take("seconds")?)
        })?;
        Ok(CallRecord {
            kind: f.take("kind")?,
            outcome,
            participants: f.or_default("participants")?,
            broadcast: f.or_default("broadcast")?,
        })
    }
}

impl RoomCallInfo {
    /// A room's call from its JSON text.
    pub fn from_json(text: &str) -> Result<RoomCallInfo, Error> {
        let f = Frame::parse(text)?;
        Ok(RoomCallInfo {
            id: f.take("id")?,
            room: f.take("room")?,
            kind: f.take("kind")?,
            participants: f.take("participants")?,
            via: f.or_default("via")?,
            host: f.take("host")?,
        })
    }
}

impl IceCandidate {
    /// A candidate from its JSON text (`RTCIceCandidate.toJSON()` too).
    pub fn from_json(text: &str) -> Result<IceCandidate, Error> {
        let f = Frame::parse(text)?;
        Ok(IceCandidate {
            candidate: f.take("candidate")?,
            sdp_mid: f.take("sdpMid")?,
            sdp_m_line_index: f.take("sdpMLineIndex")?,
            username_fragment: f.take("usernameFragment")?,
        })
    }
}

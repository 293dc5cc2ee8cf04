//! The two directional envelopes: `ClientMsg` (browser to server) and `ServerMsg` (server to
//! browser), tagged by `domain`. Each domain's own enum is tagged by `type`.

use serde::{Deserialize, Serialize};

use crate::{call, chat, friends, rooms, session};

/// Everything a client may send over the WebSocket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "domain", rename_all = "snake_case")]
pub enum ClientMsg {
    /// Handshake and heartbeat.
    Session(session::ClientSession),
    /// Friend requests and removal.
    Friends(friends::ClientFriends),
    /// Making, joining and leaving rooms.
    Rooms(rooms::ClientRooms),
    /// Chat messages, history, typing and read marks.
    Chat(chat::ClientChat),
    /// Ringing, answering, hanging up, and WebRTC signaling.
    Call(call::ClientCall),
}

/// Everything the server may send over the WebSocket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "domain", rename_all = "snake_case")]
pub enum ServerMsg {
    /// Handshake, heartbeat, acks and errors.
    Session(session::ServerSession),
    /// The friends list, requests and presence.
    Friends(friends::ServerFriends),
    /// The rooms you are in.
    Rooms(rooms::ServerRooms),
    /// Messages, history pages, typing and read marks.
    Chat(chat::ServerChat),
    /// Calls and their signaling.
    Call(call::ServerCall),
    /// A domain this client does not know (sent by a newer server); ignored.
    #[serde(other)]
    Unknown,
}

impl From<session::ServerSession> for ServerMsg {
    fn from(m: session::ServerSession) -> Self {
        ServerMsg::Session(m)
    }
}

impl From<friends::ServerFriends> for ServerMsg {
    fn from(m: friends::ServerFriends) -> Self {
        ServerMsg::Friends(m)
    }
}

impl From<rooms::ServerRooms> for ServerMsg {
    fn from(m: rooms::ServerRooms) -> Self {
        ServerMsg::Rooms(m)
    }
}

impl From<chat::ServerChat> for ServerMsg {
    fn from(m: chat::ServerChat) -> Self {
        ServerMsg::Chat(m)
    }
}

impl From<call::ServerCall> for ServerMsg {
    fn from(m: call::ServerCall) -> Self {
        ServerMsg::Call(m)
    }
}

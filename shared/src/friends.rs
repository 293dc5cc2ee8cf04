//! The `friends` domain: finding a user, friend requests, removal, and presence.

use serde::{Deserialize, Serialize};

use crate::ids::{ConversationId, ReqId, Seq, UserId};
use crate::session::UserPublic;

/// Friend commands from the client. Each answers `Ack` or `Error`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFriends {
    /// Ask the user with exactly this username to be friends. If they already asked you,
    /// this accepts their request.
    Request {
        /// The request's number.
        req_id: ReqId,
        /// The exact username.
        username: String,
    },
    /// Accept a request someone sent you.
    Accept {
        /// The request's number.
        req_id: ReqId,
        /// Who sent it.
        user: UserId,
    },
    /// Decline a request someone sent you.
    Decline {
        /// The request's number.
        req_id: ReqId,
        /// Who sent it.
        user: UserId,
    },
    /// Withdraw a request you sent.
    Cancel {
        /// The request's number.
        req_id: ReqId,
        /// Whom you sent it to.
        user: UserId,
    },
    /// End a friendship. The chat history is kept.
    Remove {
        /// The request's number.
        req_id: ReqId,
        /// The friend.
        user: UserId,
    },
}

/// Friend events from the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFriends {
    /// The whole friends picture; sent after `Welcome` and after every change.
    Roster(Roster),
    /// A friend came online or went offline.
    Presence {
        /// The friend.
        user: UserId,
        /// Whether any of their tabs is connected.
        online: bool,
    },
    /// An event this client does not know; ignored.
    #[serde(other)]
    Unknown,
}

/// Friends, and requests both ways.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Roster {
    /// Accepted friends.
    pub friends: Vec<Friend>,
    /// Requests others sent you.
    pub incoming: Vec<UserPublic>,
    /// Requests you sent.
    pub outgoing: Vec<UserPublic>,
}

/// A friend, with what the friends list shows about your conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Friend {
    /// Who.
    pub user: UserPublic,
    /// Whether any of their tabs is connected.
    pub online: bool,
    /// The conversation with them.
    pub conversation: ConversationId,
    /// The newest message's sequence number (0 when empty).
    pub last_seq: Seq,
    /// Messages from them you have not read.
    pub unread: u32,
}

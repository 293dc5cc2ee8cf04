//! The `rooms` domain: group conversations among friends. A room has a name, an owner and 2
//! to the server's maximum members; its messages, marks, typing and catch-up go through the
//! `chat` domain like a direct conversation's.

use serde::{Deserialize, Serialize};

use crate::ids::{ConversationId, ReqId, Seq, UserId};
use crate::session::UserPublic;

/// The longest room name, in characters (after trimming).
pub const MAX_ROOM_NAME_CHARS: usize = 64;

/// Room commands from the client. Each answers `Ack` or `Error`; every member's tabs then
/// get the new `Rooms` list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientRooms {
    /// Make a room with some of your friends; you are its owner.
    Create {
        /// The request's number.
        req_id: ReqId,
        /// 1 to 64 characters.
        name: String,
        /// Friends of yours to add (at least one).
        members: Vec<UserId>,
    },
    /// Add a friend of yours to a room you are in. They see what is posted from now on.
    Add {
        /// The request's number.
        req_id: ReqId,
        /// The room.
        room: ConversationId,
        /// The friend.
        user: UserId,
    },
    /// The owner removes a member.
    Remove {
        /// The request's number.
        req_id: ReqId,
        /// The room.
        room: ConversationId,
        /// The member.
        user: UserId,
    },
    /// The owner renames the room.
    Rename {
        /// The request's number.
        req_id: ReqId,
        /// The room.
        room: ConversationId,
        /// 1 to 64 characters.
        name: String,
    },
    /// Leave a room. An owner who leaves hands it to the longest-standing member; the last
    /// one out deletes it.
    Leave {
        /// The request's number.
        req_id: ReqId,
        /// The room.
        room: ConversationId,
    },
}

/// Room events from the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerRooms {
    /// Every room you are in; sent after `Welcome` and after every change to one of them.
    /// A room missing from it is one you left or were removed from.
    Rooms {
        /// By name.
        rooms: Vec<Room>,
    },
    /// An event this client does not know; ignored.
    #[serde(other)]
    Unknown,
}

/// A room as one member sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Room {
    /// The room's conversation.
    pub id: ConversationId,
    /// Its name.
    pub name: String,
    /// Who may rename it and remove members.
    pub owner: UserId,
    /// Every member, the longest-standing first.
    pub members: Vec<UserPublic>,
    /// The newest message's sequence number (0 when empty).
    pub last_seq: Seq,
    /// Messages from others you have not read.
    pub unread: u32,
}

impl Room {
    /// The members' ids, the longest-standing first.
    pub fn member_ids(&self) -> Vec<UserId> {
        self.members.iter().map(|m| m.id).collect()
    }
}

//! The `chat` domain: posting messages, catching up, history pages, typing and read marks.

use serde::{Deserialize, Serialize};

use crate::ids::{ClientMsgId, ConversationId, ReqId, Seq, UserId};

/// Chat commands from the client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientChat {
    /// Post a message. Answered by `Ack` once it is stored, and `Posted` to both sides.
    /// Posting the same `client_id` again stores nothing new and answers the same way.
    Post {
        /// The request's number.
        req_id: ReqId,
        /// Where.
        conversation: ConversationId,
        /// The client's own id for this message.
        client_id: ClientMsgId,
        /// The text, 1 to `MAX_MESSAGE_CHARS` characters. Shown as text, never as HTML.
        text: String,
    },
    /// Send every message after `after` in each listed conversation (as `Posted` events,
    /// oldest first), then `Ack`.
    Sync {
        /// The request's number.
        req_id: ReqId,
        /// Where the client is.
        cursors: Vec<Cursor>,
    },
    /// A page of older history, newest first: answered by `Page`.
    History {
        /// The request's number.
        req_id: ReqId,
        /// Where.
        conversation: ConversationId,
        /// Only messages before this one; `None` for the newest.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before: Option<Seq>,
        /// At most this many (the server caps it at 100).
        limit: u32,
    },
    /// The user is typing; relayed to the other side, not stored.
    Typing {
        /// Where.
        conversation: ConversationId,
    },
    /// Messages up to `seq` reached this client.
    Delivered {
        /// Where.
        conversation: ConversationId,
        /// The newest message received.
        seq: Seq,
    },
    /// The user has seen messages up to `seq`.
    Read {
        /// Where.
        conversation: ConversationId,
        /// The newest message seen.
        seq: Seq,
    },
}

/// Where a client's copy of a conversation ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// Which conversation.
    pub conversation: ConversationId,
    /// The newest message the client has.
    pub after: Seq,
}

/// Chat events from the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerChat {
    /// A message was stored (new, or caught up after a reconnect).
    Posted {
        /// The message.
        message: Message,
    },
    /// The answer to `History`.
    Page {
        /// The request's number.
        req_id: ReqId,
        /// Where.
        conversation: ConversationId,
        /// Newest first.
        messages: Vec<Message>,
        /// Whether older messages exist.
        has_more: bool,
    },
    /// Someone is typing.
    Typing {
        /// Where.
        conversation: ConversationId,
        /// Who.
        user: UserId,
    },
    /// How far a member has received and read.
    Marks {
        /// Where.
        conversation: ConversationId,
        /// Whose marks.
        user: UserId,
        /// The newest message that reached one of their devices.
        delivered: Seq,
        /// The newest message they have seen.
        read: Seq,
    },
    /// An event this client does not know; ignored.
    #[serde(other)]
    Unknown,
}

/// A stored chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Where.
    pub conversation: ConversationId,
    /// Its place in the conversation.
    pub seq: Seq,
    /// Who wrote it.
    pub author: UserId,
    /// The author's id for it.
    pub client_id: ClientMsgId,
    /// The text.
    pub text: String,
    /// Set when this entry records a call rather than carrying text (`text` is then empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<crate::call::CallRecord>,
    /// When the server stored it, in milliseconds since the Unix epoch (below 2^53, so a
    /// JavaScript number holds it exactly).
    pub sent_at_ms: u64,
}

//! What goes into and comes out of the call state machine: the tab a command came from, the
//! deliveries and entries it makes, and why it refuses a command.

use crate::hub::ConnId;
use hearth_shared::call::{CallId, CallRecord, ServerCall};
use hearth_shared::{ConversationId, UserId};

/// A user on one of their tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Party {
    /// Who.
    pub user: UserId,
    /// Which tab.
    pub conn: ConnId,
}

/// Something to do after a command.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    /// Send to one tab.
    Conn(ConnId, ServerCall),
    /// Send to every tab of a user.
    User(UserId, ServerCall),
    /// Send to every tab of a user but one.
    UserExcept(UserId, ConnId, ServerCall),
    /// `user` is out of call `call_id` (left, removed, or the call ended): what carries their
    /// media in it (the SFU) lets go of them.
    Left {
        /// Which call.
        call_id: CallId,
        /// Who.
        user: UserId,
    },
    /// Store this entry in the conversation.
    Record {
        /// Where.
        conversation: ConversationId,
        /// Who called (the entry's author).
        caller: UserId,
        /// Which call (makes the entry's id, so it is stored once).
        call_id: CallId,
        /// What happened.
        record: CallRecord,
    },
    /// Store this entry in the direct conversation of `caller` (the host of a broadcast to
    /// friends) and `friend` (who watched it), if they are still friends.
    RecordWithFriend {
        /// Who watched.
        friend: UserId,
        /// The host (the entry's author).
        caller: UserId,
        /// Which broadcast (makes the entry's id, so it is stored once).
        call_id: CallId,
        /// What happened.
        record: CallRecord,
    },
}

/// Why a call command was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// No such call, or the sender is not in it (or not on the tab that is).
    #[error("no such call")]
    NoSuchCall,
    /// The command does not fit the call's state (accepting an answered call, ...).
    #[error("the call is not in a state for that")]
    WrongState,
    /// The caller is already in a call.
    #[error("you are already in a call")]
    AlreadyInCall,
    /// The room call has as many participants as a mesh may.
    #[error("This call is full ({0} people)")]
    Full(usize),
    /// The broadcast has as many viewers as it may.
    #[error("This broadcast has as many viewers as it may ({0})")]
    TooManyViewers(usize),
    /// Joining a call where someone is live, or going live where a call or broadcast runs.
    #[error("{0}")]
    Broadcast(&'static str),
    /// Signaling in a room call named someone who is not in it.
    #[error("they are not in this call")]
    NoSuchParticipant,
    /// A description or candidate in a room call without `to`.
    #[error("say which participant it is for (`to`)")]
    NoAddressee,
    /// Signaling from the caller while the call still rings.
    #[error("the call is not answered yet: send signaling after `connected`")]
    NotAnswered,
}

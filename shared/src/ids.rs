//! Newtype identifiers. All are transparent on the wire and fit in a JavaScript number
//! (no 64-bit integers), so a browser or a test script reads them without BigInt.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A user account, assigned by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub u32);

/// A conversation (today: the chat between two friends).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConversationId(pub u32);

/// A message's place in its conversation: 1, 2, 3, ... with no gaps.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Seq(pub u32);

/// A request number chosen by the client; the server echoes it in `Ack` or `Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReqId(pub u32);

/// The id a client gives a message before sending it, so a resend is recognised and stored
/// once. 1 to 64 characters of letters, digits, `-` and `_`. Best started with the time
/// (see `docs/protocol.md`): the server indexes client ids in their order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientMsgId(pub String);

impl ClientMsgId {
    /// Whether the id has an acceptable length and alphabet.
    pub fn is_valid(&self) -> bool {
        let s = self.0.as_str();
        (1..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for ConversationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Seq {
    /// The sequence number after this one.
    pub fn next(self) -> Seq {
        Seq(self.0 + 1)
    }
}

//! Messages written but not yet acknowledged, kept in localStorage per user so they survive
//! a reload and go out when the connection is back.

use gloo::storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

use hearth_shared::{ClientMsgId, ConversationId, UserId};

/// A message waiting for the server's acknowledgement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    /// Where.
    pub conversation: ConversationId,
    /// Its id, reused on every resend so the server stores it once.
    pub client_id: ClientMsgId,
    /// The text.
    pub text: String,
    /// When it was written (ms since the epoch).
    pub created_ms: f64,
}

fn key(user: UserId) -> String {
    format!("hearth.outbox.{user}")
}

/// The saved outbox of `user`.
pub fn load(user: UserId) -> Vec<Pending> {
    LocalStorage::get(key(user)).unwrap_or_default()
}

/// Saves the outbox of `user` (removes the key when empty).
pub fn save(user: UserId, pending: &[Pending]) {
    if pending.is_empty() {
        LocalStorage::delete(key(user));
    } else {
        super::save_local(&key(user), pending, "the outbox");
    }
}

//! What a domain handler (`call`, `chat`, `friends`, `rooms`) knows of its connection. Its
//! own module, so the handlers and the connection task that drives them do not import each
//! other.

use super::reply::Reply;
use crate::hub::ConnId;
use crate::state::AppState;
use hearth_shared::session::UserPublic;

/// Context the per-domain handlers get.
pub struct Ctx {
    /// Server state.
    pub state: AppState,
    /// The signed-in user.
    pub user: UserPublic,
    /// This connection's queue.
    pub reply: Reply,
    /// This connection's id in the hub.
    pub conn: ConnId,
    /// The host the browser reached us at.
    pub host: String,
}

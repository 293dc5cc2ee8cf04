//! Who is signed in: the session every page reads from context. Its own module, so the root
//! (`app`) and the pages depend on it rather than on each other.

use yew::prelude::*;

use hearth_shared::session::UserPublic;

/// Who is signed in.
#[derive(Debug, Clone, PartialEq)]
pub enum Session {
    /// Asking the server.
    Checking,
    /// Nobody; show the log-in page.
    SignedOut,
    /// This user.
    SignedIn(UserPublic),
}

/// The session, shared with every page through context.
pub type SessionHandle = UseStateHandle<Session>;

//! The last roster seen, kept in localStorage per user so the friends list and
//! conversations open while offline (presence shown as offline until the server answers).

use gloo::storage::{LocalStorage, Storage};

use hearth_shared::friends::Roster;
use hearth_shared::UserId;

fn key(user: UserId) -> String {
    format!("hearth.roster.{user}")
}

/// The cached roster of `user`, everyone offline.
pub fn load_roster(user: UserId) -> Option<Roster> {
    let mut roster: Roster = LocalStorage::get(key(user)).ok()?;
    for f in &mut roster.friends {
        f.online = false;
    }
    Some(roster)
}

/// Remembers the roster of `user`.
pub fn save_roster(user: UserId, roster: &Roster) {
    super::save_local(&key(user), roster, "the friends list");
}

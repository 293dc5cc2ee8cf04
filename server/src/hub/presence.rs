//! Presence as a pure counter: a user is online while any of their tabs is connected.

use std::collections::HashMap;

use hearth_shared::UserId;

/// Open connections per user.
#[derive(Debug, Default)]
pub struct Presence {
    tabs: HashMap<UserId, usize>,
}

impl Presence {
    /// Counts a new connection; true if the user just came online.
    pub fn connect(&mut self, user: UserId) -> bool {
        let n = self.tabs.entry(user).or_default();
        *n += 1;
        *n == 1
    }

    /// Counts a closed connection; true if the user just went offline.
    pub fn disconnect(&mut self, user: UserId) -> bool {
        match self.tabs.get_mut(&user) {
            Some(n) if *n > 1 => {
                *n -= 1;
                false
            }
            Some(_) => {
                self.tabs.remove(&user);
                true
            }
            None => false,
        }
    }

    /// Whether the user has a connection.
    pub fn is_online(&self, user: UserId) -> bool {
        self.tabs.contains_key(&user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn online_while_any_tab_is_connected() {
        let mut p = Presence::default();
        let a = UserId(1);
        assert!(p.connect(a), "first tab: came online");
        assert!(!p.connect(a), "second tab: already online");
        assert!(!p.disconnect(a), "one tab left");
        assert!(p.is_online(a));
        assert!(p.disconnect(a), "last tab: went offline");
        assert!(!p.is_online(a));
        assert!(!p.disconnect(a), "unknown user: no change");
    }
}

//! A cap on each user's open sockets, counted from the upgrade (before `hello`), so a
//! burst of upgrades cannot slip past it. A slot is held for a socket's whole life and
//! given back when dropped.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use hearth_shared::UserId;

/// Sockets per user, up to `max`.
#[derive(Clone)]
pub struct SocketSlots {
    max: usize,
    taken: Arc<Mutex<HashMap<UserId, usize>>>,
}

/// One socket's place; dropping it frees the place.
pub struct Slot {
    user: UserId,
    taken: Arc<Mutex<HashMap<UserId, usize>>>,
}

impl SocketSlots {
    /// At most `max` sockets per user.
    pub fn new(max: usize) -> SocketSlots {
        SocketSlots {
            max,
            taken: Arc::default(),
        }
    }

    /// A place for one more socket of `user`, if they have fewer than `max`.
    pub fn take(&self, user: UserId) -> Option<Slot> {
        let mut taken = self.taken.lock().unwrap_or_else(|p| p.into_inner());
        let n = taken.entry(user).or_default();
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(Slot {
            user,
            taken: self.taken.clone(),
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut taken = self.taken.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = taken.get_mut(&self.user) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                taken.remove(&self.user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_gets_max_slots_and_a_freed_one_comes_back() {
        let slots = SocketSlots::new(2);
        let (a, b) = (UserId(1), UserId(2));
        let first = slots.take(a).expect("first");
        let _second = slots.take(a).expect("second");
        assert!(slots.take(a).is_none(), "the third is refused");
        assert!(slots.take(b).is_some(), "users are counted apart");
        drop(first);
        assert!(slots.take(a).is_some(), "a closed socket frees its place");
    }

    #[test]
    fn freed_users_are_forgotten() {
        let slots = SocketSlots::new(1);
        drop(slots.take(UserId(7)));
        assert!(slots.taken.lock().expect("lock").is_empty());
    }
}

//! The table of live connections, indexed by id and by user: a message to two friends
//! touches their connections only, not every connection on the server.

use std::collections::HashMap;

use hearth_shared::UserId;

use super::{ConnHandle, ConnId};

/// Live connections by id, with each user's ids beside them.
#[derive(Default)]
pub struct Table {
    by_id: HashMap<ConnId, ConnHandle>,
    by_user: HashMap<UserId, Vec<ConnId>>,
}

impl Table {
    pub fn insert(&mut self, id: ConnId, handle: ConnHandle) {
        self.by_user.entry(handle.user).or_default().push(id);
        self.by_id.insert(id, handle);
    }

    pub fn remove(&mut self, id: ConnId) -> Option<ConnHandle> {
        let handle = self.by_id.remove(&id)?;
        if let Some(ids) = self.by_user.get_mut(&handle.user) {
            ids.retain(|&i| i != id);
            if ids.is_empty() {
                self.by_user.remove(&handle.user);
            }
        }
        Some(handle)
    }

    pub fn get(&self, id: ConnId) -> Option<&ConnHandle> {
        self.by_id.get(&id)
    }

    /// `user`'s connections.
    pub fn of_user(&self, user: UserId) -> impl Iterator<Item = (ConnId, &ConnHandle)> {
        let ids = self.by_user.get(&user).map_or(&[][..], Vec::as_slice);
        ids.iter()
            .filter_map(|&id| self.by_id.get(&id).map(|h| (id, h)))
    }

    pub fn all(&self) -> impl Iterator<Item = &ConnHandle> {
        self.by_id.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    fn handle(user: u32) -> ConnHandle {
        let (tx, _rx) = tokio::sync::mpsc::channel(1);
        ConnHandle {
            user: UserId(user),
            session: Vec::new(),
            tx,
            kick: Arc::default(),
            reason: Arc::new(Mutex::new(None)),
        }
    }

    #[test]
    fn a_users_connections_come_and_go() {
        let mut t = Table::default();
        t.insert(ConnId(1), handle(7));
        t.insert(ConnId(2), handle(8));
        t.insert(ConnId(3), handle(7));
        let ids = |t: &Table, u| t.of_user(UserId(u)).map(|(i, _)| i.0).collect::<Vec<_>>();
        assert_eq!(ids(&t, 7), [1, 3]);
        assert!(t.remove(ConnId(1)).is_some());
        assert!(t.remove(ConnId(1)).is_none());
        assert_eq!(ids(&t, 7), [3]);
        t.remove(ConnId(3));
        assert!(ids(&t, 7).is_empty());
        assert!(
            !t.by_user.contains_key(&UserId(7)),
            "no empty entries left behind"
        );
        assert_eq!(t.all().count(), 1);
    }
}

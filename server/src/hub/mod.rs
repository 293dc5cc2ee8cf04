//! Live state: who is connected, on which tabs, through which send queue. No warp, no I/O
//! beyond handing frames to bounded queues; the database stays the source of truth.
//!
//! Overflow policy: a frame for another connection is offered with `try_send`. If that
//! connection's queue is full (a stalled tab), it is closed rather than grown or silently
//! skipped; the client reconnects and catches up from the database, so nothing is lost.

mod presence;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, Notify};

use hearth_shared::{ServerMsg, UserId};
pub use presence::Presence;

/// A frame on its way to one connection's writer (shared bytes: a fan-out clones a count,
/// not the JSON).
pub type Frame = tokio_tungstenite::tungstenite::Utf8Bytes;

/// Why a connection was told to close.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kick {
    /// Its session was logged out.
    LoggedOut,
    /// Its send queue overflowed.
    TooSlow,
}

/// A connection's id in the hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnId(u64);

/// What the hub needs to reach one connection.
pub struct ConnHandle {
    /// Whose connection.
    pub user: UserId,
    /// The hash of the session that opened it.
    pub session: Vec<u8>,
    /// Its bounded send queue.
    pub tx: mpsc::Sender<Frame>,
    /// Woken to make the connection close itself.
    pub kick: Arc<Notify>,
    /// Why it was kicked, read by the connection after `kick` fires.
    pub reason: Arc<Mutex<Option<Kick>>>,
}

#[derive(Default)]
struct Inner {
    next: u64,
    conns: HashMap<ConnId, ConnHandle>,
    presence: Presence,
}

/// The registry of live connections; cheap to clone.
#[derive(Clone, Default)]
pub struct Hub {
    inner: Arc<Mutex<Inner>>,
}

fn kick(handle: &ConnHandle, why: Kick) {
    if let Ok(mut r) = handle.reason.lock() {
        r.get_or_insert(why);
    }
    handle.kick.notify_one();
}

impl Hub {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // No code panics while holding this lock; if one did, the maps are still usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds a connection; returns its id and whether its user just came online.
    pub fn register(&self, handle: ConnHandle) -> (ConnId, bool) {
        let mut inner = self.lock();
        inner.next += 1;
        let id = ConnId(inner.next);
        let came_online = inner.presence.connect(handle.user);
        inner.conns.insert(id, handle);
        (id, came_online)
    }

    /// Removes a connection; returns its user and whether they just went offline.
    pub fn unregister(&self, id: ConnId) -> Option<(UserId, bool)> {
        let mut inner = self.lock();
        let handle = inner.conns.remove(&id)?;
        let went_offline = inner.presence.disconnect(handle.user);
        Some((handle.user, went_offline))
    }

    /// Whether any tab of `user` is connected.
    pub fn is_online(&self, user: UserId) -> bool {
        self.lock().presence.is_online(user)
    }

    /// Offers `msg` to every connection of each of `users`; kicks connections whose queue is full.
    pub fn send_to(&self, users: &[UserId], msg: &ServerMsg) {
        let Ok(json) = serde_json::to_string(msg) else {
            tracing::error!("could not serialize {msg:?}");
            return;
        };
        let frame = Frame::from(json);
        let inner = self.lock();
        for handle in inner.conns.values().filter(|h| users.contains(&h.user)) {
            if let Err(mpsc::error::TrySendError::Full(_)) = handle.tx.try_send(frame.clone()) {
                tracing::warn!(user = %handle.user, "send queue full; closing the connection");
                kick(handle, Kick::TooSlow);
            }
        }
    }

    /// Closes every connection opened with this session (log out).
    pub fn end_session(&self, session: &[u8]) {
        let inner = self.lock();
        for handle in inner.conns.values().filter(|h| h.session == session) {
            kick(handle, Kick::LoggedOut);
        }
    }

    /// How many connections are live.
    pub fn connection_count(&self) -> usize {
        self.lock().conns.len()
    }
}

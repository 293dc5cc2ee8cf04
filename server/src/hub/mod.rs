//! Live state: who is connected, on which tabs, through which send queue, and the calls.
//! No warp, no I/O beyond handing frames to bounded queues; the database stays the source of
//! truth.
//!
//! Overflow policy: a frame for another connection is offered with `try_send`. If that
//! connection's queue is full (a stalled tab), it is closed rather than grown or silently
//! skipped; the client reconnects and catches up from the database, so nothing is lost.

pub mod calls;
mod presence;
pub mod slots;
mod table;

use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, Notify};

use calls::{Calls, Out};
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

impl ConnId {
    /// No connection: ids start at 1, so nothing is ever delivered here.
    pub const NONE: ConnId = ConnId(0);
}

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

struct Inner {
    next: u64,
    conns: table::Table,
    presence: Presence,
    calls: Calls,
}

/// The registry of live connections and calls; cheap to clone.
#[derive(Clone)]
pub struct Hub {
    inner: Arc<Mutex<Inner>>,
}

/// What [`Hub::deliver`] hands back for the caller to carry out (the hub does no I/O): the
/// call entries to store, and who is out of which call.
#[derive(Debug, Default)]
pub struct Delivered {
    /// Call entries to store.
    pub records: Vec<RecordCall>,
    /// Participants out of a call.
    pub left: Vec<(hearth_shared::call::CallId, UserId)>,
}

/// A call entry to store, handed back by [`Hub::deliver`].
#[derive(Debug, Clone)]
pub struct RecordCall {
    /// Where.
    pub conversation: EntryIn,
    /// The caller (the entry's author).
    pub caller: UserId,
    /// Which call.
    pub call_id: hearth_shared::call::CallId,
    /// What happened.
    pub record: hearth_shared::call::CallRecord,
}

/// Where a call entry goes.
#[derive(Debug, Clone, Copy)]
pub enum EntryIn {
    /// This conversation.
    Conversation(hearth_shared::ConversationId),
    /// The caller's direct conversation with this friend (looked up when stored).
    WithFriend(UserId),
}

/// Which connections a call delivery goes to.
enum Target {
    Conn(ConnId),
    User(UserId),
    UserExcept(UserId, ConnId),
}

impl Target {
    /// Offers `frame` to the connections this target names.
    fn offer(&self, conns: &table::Table, frame: &Frame) {
        match *self {
            Target::Conn(to) => {
                if let Some(handle) = conns.get(to) {
                    offer(to, handle, frame);
                }
            }
            Target::User(u) => conns.of_user(u).for_each(|(id, h)| offer(id, h, frame)),
            Target::UserExcept(u, skip) => conns
                .of_user(u)
                .filter(|&(id, _)| id != skip)
                .for_each(|(id, h)| offer(id, h, frame)),
        }
    }
}

fn encode(msg: &ServerMsg) -> Option<Frame> {
    match serde_json::to_string(msg) {
        Ok(json) => Some(Frame::from(json)),
        Err(e) => {
            tracing::error!("could not serialize {msg:?}: {e}");
            None
        }
    }
}

/// The overflow policy: a full queue closes that connection. A connection already told to
/// close gets nothing more (and no more warnings).
fn offer(id: ConnId, handle: &ConnHandle, frame: &Frame) {
    if handle.reason.lock().map_or(true, |r| r.is_some()) {
        return;
    }
    if let Err(mpsc::error::TrySendError::Full(_)) = handle.tx.try_send(frame.clone()) {
        tracing::warn!(user = %handle.user, conn = id.0, "send queue full; closing the connection");
        kick(handle, Kick::TooSlow);
    }
}

fn kick(handle: &ConnHandle, why: Kick) {
    if let Ok(mut r) = handle.reason.lock() {
        r.get_or_insert(why);
    }
    handle.kick.notify_one();
}

impl Hub {
    /// An empty hub whose unanswered calls end after `ring_timeout`.
    pub fn new(ring_timeout: std::time::Duration) -> Hub {
        let inner = Inner {
            next: 0,
            conns: table::Table::default(),
            presence: Presence::default(),
            calls: Calls::new(ring_timeout),
        };
        Hub {
            inner: Arc::new(Mutex::new(inner)),
        }
    }

    /// Runs `f` on the call table (a pure state machine; no I/O under the lock).
    pub fn calls<R>(&self, f: impl FnOnce(&mut Calls) -> R) -> R {
        f(&mut self.lock().calls)
    }

    /// Sends the call table's deliveries; returns what is left to do.
    pub fn deliver(&self, outs: Vec<Out>) -> Delivered {
        let mut done = Delivered::default();
        let inner = self.lock();
        for out in outs {
            let (target, msg) = match out {
                Out::Conn(to, m) => (Target::Conn(to), m),
                Out::User(u, m) => (Target::User(u), m),
                Out::UserExcept(u, skip, m) => (Target::UserExcept(u, skip), m),
                Out::Record {
                    conversation,
                    caller,
                    call_id,
                    record,
                } => {
                    done.records.push(RecordCall {
                        conversation: EntryIn::Conversation(conversation),
                        caller,
                        call_id,
                        record,
                    });
                    continue;
                }
                Out::RecordWithFriend {
                    friend,
                    caller,
                    call_id,
                    record,
                } => {
                    done.records.push(RecordCall {
                        conversation: EntryIn::WithFriend(friend),
                        caller,
                        call_id,
                        record,
                    });
                    continue;
                }
                Out::Left { call_id, user } => {
                    done.left.push((call_id, user));
                    continue;
                }
            };
            let Some(frame) = encode(&ServerMsg::Call(msg)) else {
                continue;
            };
            target.offer(&inner.conns, &frame);
        }
        done
    }

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

    /// An id for a participant's place in a call that no connection holds (a WHIP
    /// publisher): nothing is delivered to it.
    pub fn detached_conn(&self) -> ConnId {
        let mut inner = self.lock();
        inner.next += 1;
        ConnId(inner.next)
    }

    /// Removes a connection; returns its user and whether they just went offline.
    pub fn unregister(&self, id: ConnId) -> Option<(UserId, bool)> {
        let mut inner = self.lock();
        let handle = inner.conns.remove(id)?;
        let went_offline = inner.presence.disconnect(handle.user);
        Some((handle.user, went_offline))
    }

    /// Whether any tab of `user` is connected.
    pub fn is_online(&self, user: UserId) -> bool {
        self.lock().presence.is_online(user)
    }

    /// Offers `msg` to every connection of each of `users`; kicks connections whose queue is full.
    pub fn send_to(&self, users: &[UserId], msg: &ServerMsg) {
        let Some(frame) = encode(msg) else { return };
        let inner = self.lock();
        for (i, &user) in users.iter().enumerate() {
            // A user named twice still gets each frame once.
            if !users[..i].contains(&user) {
                Target::User(user).offer(&inner.conns, &frame);
            }
        }
    }

    /// Closes every connection opened with this session (log out).
    pub fn end_session(&self, session: &[u8]) {
        let inner = self.lock();
        for handle in inner.conns.all().filter(|h| h.session == session) {
            kick(handle, Kick::LoggedOut);
        }
    }
}

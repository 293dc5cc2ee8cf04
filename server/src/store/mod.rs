//! Durable data in one SQLite file: users, sessions, friendships, conversations and their
//! members, messages, and stream keys.
//!
//! rusqlite is synchronous, so every call runs on tokio's blocking pool behind one
//! connection (`Store::call`). SQLite serialises writers anyway, and one connection keeps the
//! invariants simple (a message's `seq` is assigned inside one transaction). Posts go through
//! `batch`: one thread commits all waiting posts in one transaction (group commit). WAL mode
//! with `synchronous=FULL`: a message the server acknowledged survives a crash or power cut.

mod batch;
mod checkpoint;
mod friends;
mod friends_stage;
mod members;
mod messages;
mod rooms;
mod schema;
mod seats;
mod stream_keys;
mod users;

use std::path::Path;
use std::sync::{Arc, Mutex};

pub use friends::RequestOutcome;
pub use messages::PostOutcome;
pub use rooms::{Left, RoomInfo};
pub use users::StoredUser;

/// Errors from the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The blocking task panicked or was cancelled.
    #[error("database task failed")]
    Task,
    /// A unique value (username) is taken.
    #[error("already exists")]
    Exists,
    /// The users are not friends.
    #[error("not friends")]
    NotFriends,
    /// The user is not a member of the conversation.
    #[error("not in conversation")]
    NotInConversation,
    /// No such user.
    #[error("no such user")]
    NoSuchUser,
    /// The request makes no sense in the current state.
    #[error("{0}")]
    Conflict(&'static str),
}

/// Store result.
pub type StoreResult<T> = Result<T, StoreError>;

/// A handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<rusqlite::Connection>>,
    posts: batch::Posts,
    _checkpointer: Arc<checkpoint::Checkpointer>,
}

impl Store {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> StoreResult<Store> {
        let conn = rusqlite::Connection::open(path)?;
        // 1 KiB pages for a new database (an existing one keeps its size): a post changes
        // one leaf page per conversation, and each commit writes whole pages to the log, so
        // smaller pages write less (bench/relay: 7.5 → 3.2 KB of log per post).
        conn.pragma_update(None, "page_size", 1024)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Hot pages stay in memory (16 MiB at most); the log is copied into the database on
        // a thread of its own (`checkpoint`), not inside a commit.
        conn.pragma_update(None, "cache_size", -16384)?;
        conn.pragma_update(None, "wal_autocheckpoint", checkpoint::FALLBACK_PAGES)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Room for every statement the hot paths prepare (posts, marks, sync) at once.
        conn.set_prepared_statement_cache_capacity(64);
        schema::migrate(&conn)?;
        seats::install(&conn)?;
        let conn = Arc::new(Mutex::new(conn));
        let posts = batch::Posts::start(conn.clone()).map_err(|_| StoreError::Task)?;
        let checkpointer = checkpoint::start(path).map_err(|_| StoreError::Task)?;
        Ok(Store {
            conn,
            posts,
            _checkpointer: Arc::new(checkpointer),
        })
    }

    /// Transactions the posting thread committed, and the posts in them.
    pub fn post_batches(&self) -> (u64, u64) {
        self.posts.stats()
    }

    /// Runs `f` with the connection on the blocking pool.
    pub async fn call<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut rusqlite::Connection) -> StoreResult<T> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            // A poisoned lock means a panic mid-call; SQLite rolled back the transaction, so
            // the connection itself is still consistent.
            let mut guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(|_| StoreError::Task)?
    }
}

impl Store {
    /// Runs `f` in one transaction on the blocking pool; committed only if it succeeds.
    pub async fn transact<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Transaction<'_>) -> StoreResult<T> + Send + 'static,
    {
        self.call(move |db| {
            let tx = db.transaction()?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })
        .await
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Orders a pair of users the way the tables store them (smaller id first).
fn ordered(a: u32, b: u32) -> (u32, u32) {
    if a < b {
        (a, b)
    } else {
        (b, a)
    }
}

//! Checkpoints the write-ahead log on a thread of its own, so that a commit never waits for
//! one. SQLite's automatic checkpoint runs inside the commit that crosses its threshold: the
//! posts of that batch waited while the log was copied into the database and both were
//! synced. Here the store's connection leaves that to this thread, which copies what the
//! log holds a few times a second with a connection of its own (a passive checkpoint: it
//! never blocks the writer). A page written by many commits in between is copied once.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How often the log is copied into the database.
const EVERY: Duration = Duration::from_millis(200);

/// The log size (in pages) at which a commit checkpoints by itself after all, should this
/// thread fall behind or be gone: about 40 MB.
pub(super) const FALLBACK_PAGES: u32 = 10_000;

/// Stops the thread when dropped (with the store).
pub(super) struct Checkpointer {
    stop: Arc<AtomicBool>,
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Starts checkpointing the database at `path` (already in WAL mode).
pub(super) fn start(path: &Path) -> std::io::Result<Checkpointer> {
    let conn = rusqlite::Connection::open(path).map_err(std::io::Error::other)?;
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    std::thread::Builder::new()
        .name("hearth-checkpoint".into())
        .spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                std::thread::sleep(EVERY);
                checkpoint(&conn);
            }
        })?;
    Ok(Checkpointer { stop })
}

/// One passive checkpoint: copies every committed page no reader still needs.
fn checkpoint(conn: &rusqlite::Connection) {
    let done = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(0));
    if let Err(e) = done {
        tracing::warn!("checkpointing the database failed: {e}");
    }
}

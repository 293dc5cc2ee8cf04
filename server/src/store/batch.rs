//! Group commit for posts. Posts from all connections queue for one thread, which takes
//! every post waiting, stores them in one transaction (each in a savepoint of its own, so one
//! refused post does not undo the others), commits once (one fsync for the batch), and only
//! then answers each. A post is acknowledged only after its batch is durable; under load,
//! many posts share the cost of one commit instead of queueing for a commit each.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use tokio::sync::oneshot;

use super::messages::{post_in, Body, PostOutcome};
use super::{StoreError, StoreResult};

/// The most posts one transaction takes.
const MAX_BATCH: usize = 512;

struct Job {
    author: u32,
    conv: u32,
    client_id: String,
    body: Body,
    done: oneshot::Sender<StoreResult<PostOutcome>>,
}

/// The queue in front of the posting thread; cheap to clone.
#[derive(Clone)]
pub struct Posts {
    jobs: mpsc::Sender<Job>,
    stats: Arc<Stats>,
}

/// Counters, for tests and benchmarks.
#[derive(Default)]
pub struct Stats {
    /// Transactions committed.
    pub batches: AtomicU64,
    /// Posts stored or refused in them.
    pub posts: AtomicU64,
}

impl Posts {
    /// Starts the posting thread on `conn` (shared with the rest of the store).
    pub fn start(conn: Arc<Mutex<rusqlite::Connection>>) -> std::io::Result<Posts> {
        let (jobs, rx) = mpsc::channel::<Job>();
        let stats = Arc::new(Stats::default());
        let counters = stats.clone();
        std::thread::Builder::new()
            .name("hearth-posts".into())
            .spawn(move || run(&conn, &rx, &counters))?;
        Ok(Posts { jobs, stats })
    }

    /// Stores a post in the next batch; answers once that batch is committed.
    pub(super) async fn post(
        &self,
        author: u32,
        conv: u32,
        client_id: String,
        body: Body,
    ) -> StoreResult<PostOutcome> {
        let (done, answer) = oneshot::channel();
        let job = Job {
            author,
            conv,
            client_id,
            body,
            done,
        };
        self.jobs.send(job).map_err(|_| StoreError::Task)?;
        answer.await.map_err(|_| StoreError::Task)?
    }

    /// Batches committed and posts in them so far.
    pub fn stats(&self) -> (u64, u64) {
        (
            self.stats.batches.load(Ordering::Relaxed),
            self.stats.posts.load(Ordering::Relaxed),
        )
    }
}

/// The thread: a batch at a time until every `Posts` is dropped.
fn run(conn: &Mutex<rusqlite::Connection>, rx: &mpsc::Receiver<Job>, stats: &Stats) {
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let mut db = conn.lock().unwrap_or_else(|p| p.into_inner());
        let n = jobs.len() as u64;
        let answers = store_batch(&mut db, jobs);
        drop(db);
        stats.batches.fetch_add(1, Ordering::Relaxed);
        stats.posts.fetch_add(n, Ordering::Relaxed);
        for (done, result) in answers {
            let _ = done.send(result);
        }
    }
}

type Answer = (
    oneshot::Sender<StoreResult<PostOutcome>>,
    StoreResult<PostOutcome>,
);

/// Stores `jobs` in one transaction; if the commit fails, every post in it fails.
fn store_batch(db: &mut rusqlite::Connection, jobs: Vec<Job>) -> Vec<Answer> {
    let mut answers = Vec::with_capacity(jobs.len());
    let mut tx = match db.transaction() {
        Ok(tx) => tx,
        Err(e) => return fail_all(jobs, &e),
    };
    for job in jobs {
        let result = one(&mut tx, job.author, job.conv, job.client_id, job.body);
        answers.push((job.done, result));
    }
    match tx.commit() {
        Ok(()) => answers,
        Err(e) => {
            tracing::error!("committing a batch of posts failed: {e}");
            answers
                .into_iter()
                .map(|(done, _)| (done, Err(StoreError::Task)))
                .collect()
        }
    }
}

/// One post in its own savepoint: kept if it succeeds, undone if it fails. The savepoint
/// statements are prepared once (rusqlite's `savepoint()` parses its SQL every time, which
/// cost more than the post itself).
fn one(
    tx: &mut rusqlite::Transaction<'_>,
    author: u32,
    conv: u32,
    client_id: String,
    body: Body,
) -> StoreResult<PostOutcome> {
    let run = |sql: &str| tx.prepare_cached(sql)?.execute([]).map(|_| ());
    run("SAVEPOINT post")?;
    let result = post_in(tx, author, conv, client_id, body);
    if result.is_err() {
        run("ROLLBACK TO post")?;
    }
    run("RELEASE post")?;
    result
}

fn fail_all(jobs: Vec<Job>, e: &rusqlite::Error) -> Vec<Answer> {
    tracing::error!("starting a batch of posts failed: {e}");
    jobs.into_iter()
        .map(|j| (j.done, Err(StoreError::Task)))
        .collect()
}

//! Group commit for posts. Posts from all connections queue for one thread, which takes
//! every post waiting, stores them in one transaction (a post is refused, if at all, before
//! anything of it is written, so one refused post does not undo the others), commits once
//! (one fsync for the batch), and only then answers each. A post is acknowledged only after
//! its batch is durable; under load, many posts share the cost of one commit instead of
//! queueing for a commit each.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

use super::messages::{check_post, write_post, Body, Checked, PostOutcome};
use super::seats::Seats;
use super::{StoreError, StoreResult};

/// The most posts one transaction takes.
const MAX_BATCH: usize = 512;

/// Under load, a batch is held open until its first post has waited this long, so that
/// more posts share its commit (one fsync, and the pages they share written once).
const GATHER: Duration = Duration::from_millis(1);

/// A batch is held open only after one of at least this many posts (load); a lone post
/// on a quiet server is stored at once.
const BUSY_BATCH: usize = 4;

struct Job {
    author: u32,
    conv: u32,
    client_id: String,
    body: Body,
    queued: Instant,
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
            queued: Instant::now(),
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

/// The thread: a batch at a time until every `Posts` is dropped. The batch takes every post
/// that arrived by the time the database is free (another store call may hold it).
fn run(conn: &Mutex<rusqlite::Connection>, rx: &mpsc::Receiver<Job>, stats: &Stats) {
    let mut busy = false;
    let mut seats = Seats::default();
    while let Ok(first) = rx.recv() {
        if busy {
            // Sleeping, not receiving: posting meanwhile wakes nobody.
            std::thread::sleep((first.queued + GATHER).saturating_duration_since(Instant::now()));
        }
        let mut db = conn.lock().unwrap_or_else(|p| p.into_inner());
        let mut jobs = vec![first];
        jobs.extend(rx.try_iter().take(MAX_BATCH - 1));
        busy = jobs.len() >= BUSY_BATCH;
        let n = jobs.len() as u64;
        let answers = store_batch(&mut db, jobs, &mut seats);
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

/// Stores `jobs` in one transaction. A refused post (checked before anything of it is
/// written) is answered and the others go on; if writing a post or the commit fails, the
/// transaction is rolled back and every post in it fails (their clients retry them, with
/// the same client ids).
fn store_batch(db: &mut rusqlite::Connection, jobs: Vec<Job>, seats: &mut Seats) -> Vec<Answer> {
    let tx = match db.transaction() {
        Ok(tx) => tx,
        Err(e) => return fail_rest(Vec::new(), jobs.into_iter(), &e),
    };
    if let Err(e) = seats.refresh(&tx) {
        drop(tx);
        return fail_rest(Vec::new(), jobs.into_iter(), &e);
    }
    let mut answers = Vec::with_capacity(jobs.len());
    let mut jobs = jobs.into_iter();
    while let Some(job) = jobs.next() {
        let checked = check_post(&tx, job.author, job.conv, job.client_id, job.body, seats);
        let result = match checked {
            Ok(Checked::New(post)) => match write_post(&tx, post) {
                Ok(outcome) => Ok(outcome),
                Err(e) => {
                    drop(tx);
                    answers.push((job.done, Err(StoreError::Task)));
                    return fail_rest(answers, jobs, &e);
                }
            },
            Ok(Checked::Stored(earlier)) => Ok(earlier),
            Err(refused) => Err(refused),
        };
        answers.push((job.done, result));
    }
    match tx.commit() {
        Ok(()) => answers,
        Err(e) => fail_rest(answers, Vec::new().into_iter(), &e),
    }
}

/// Fails the posts answered so far (their batch was rolled back) and the ones not reached.
fn fail_rest(
    answers: Vec<Answer>,
    rest: std::vec::IntoIter<Job>,
    e: &rusqlite::Error,
) -> Vec<Answer> {
    tracing::error!("a batch of posts failed and was rolled back: {e}");
    (answers.into_iter().map(|(done, _)| done))
        .chain(rest.map(|j| j.done))
        .map(|done| (done, Err(StoreError::Task)))
        .collect()
}

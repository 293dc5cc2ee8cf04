//! The threads that hash: a fixed few, each owning one argon2 memory area for its whole
//! life. Hashing never allocates its 19 MiB again, so the process holds `threads` × 19 MiB
//! at most, whatever the allocator would have kept of freed buffers (glibc kept one per
//! thread arena: 1 GB after a few hundred hashes).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use argon2::Block;

/// One unit of work, given the thread's memory area.
pub type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

/// Why a job was not queued.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// `threads + max_waiting` jobs are already in.
    Full,
    /// The threads are gone (they panicked).
    Gone,
}

/// A fixed pool of hashing threads with a bounded number of jobs in flight.
pub struct Workers {
    jobs: Mutex<mpsc::Sender<Job>>,
    in_flight: Arc<AtomicUsize>,
    capacity: usize,
}

impl Workers {
    /// Starts `threads` threads; at most `max_waiting` jobs wait behind the running ones.
    pub fn start(threads: usize, max_waiting: usize) -> Workers {
        let threads = threads.max(1);
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        let in_flight = Arc::new(AtomicUsize::new(0));
        for i in 0..threads {
            let rx = rx.clone();
            let in_flight = in_flight.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("hearth-hash-{i}"))
                .spawn(move || work(&rx, &in_flight));
            if let Err(e) = spawned {
                tracing::error!("could not start a hashing thread: {e}");
            }
        }
        Workers {
            jobs: Mutex::new(tx),
            in_flight,
            capacity: threads + max_waiting,
        }
    }

    /// Queues `job`, or says why not.
    pub fn submit(&self, job: Job) -> Result<(), Refused> {
        let admitted = self
            .in_flight
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < self.capacity).then_some(n + 1)
            });
        if admitted.is_err() {
            return Err(Refused::Full);
        }
        let sent = self
            .jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .send(job);
        sent.map_err(|_| {
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            Refused::Gone
        })
    }
}

/// A thread's life: take jobs until the pool is dropped.
fn work(rx: &Mutex<mpsc::Receiver<Job>>, in_flight: &AtomicUsize) {
    let mut memory: Vec<Block> = Vec::new();
    loop {
        let job = rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
        let Ok(job) = job else { return };
        job(&mut memory);
        in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

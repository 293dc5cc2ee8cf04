//! The synthetic participants as a whole ([`Fleet`]) and the figures of one measured window
//! ([`Step`]).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::client::{self, Role, Seat};
use crate::drops::udp_drops;
use crate::pipe::Pipe;
use crate::procstat::{cpu_seconds, rss_mib};
use crate::stats::{percentile_ms, Stats};

/// Above this share of its core, or this send lag (ms), the generator set the pace.
const GENERATOR_CPU_LIMIT: f64 = 0.9;
const SEND_LAG_LIMIT_MS: f64 = 10.0;
/// How long calls get to connect and start flowing before a step is measured anyway.
const SETTLE: Duration = Duration::from_secs(30);

/// Every participant started, in calls of their own.
pub struct Fleet {
    pipe: Pipe,
    stats: Arc<Stats>,
    /// Calls started.
    pub calls: usize,
    users: u32,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Fleet {
    pub fn new(pipe: Pipe, stats: Arc<Stats>) -> Fleet {
        Fleet {
            pipe,
            stats,
            calls: 0,
            users: 0,
            stop: watch::channel(false).0,
            tasks: Vec::new(),
        }
    }

    /// Starts one more call of `n` participants.
    pub fn add_call(&mut self, n: usize) {
        self.calls += 1;
        for _ in 0..n {
            self.add(
                format!("c{}", self.calls),
                Role::Publish(client::FRAME_BYTES),
            );
        }
    }

    /// Starts one more client in `call`.
    pub fn add(&mut self, call: String, role: Role) {
        self.users += 1;
        let seat = Seat {
            call,
            user: self.users,
        };
        let run = client::run(
            (seat, role),
            self.pipe.clone(),
            self.stats.clone(),
            self.stop.subscribe(),
        );
        self.tasks.push(tokio::spawn(run));
    }

    /// Waits (at most [`SETTLE`]) until `downtracks` carry their frames, then measures a
    /// window of `length`.
    pub async fn measure(&mut self, downtracks: usize, length: Duration) -> Step {
        let expected_per_s = downtracks as f64 * 30.0;
        let deadline = Instant::now() + SETTLE;
        // Settled: a second with every frame through, after the joins' offers and keyframes.
        while Instant::now() < deadline {
            self.stats.open();
            tokio::time::sleep(Duration::from_secs(1)).await;
            let w = self.stats.close();
            if w.frames as f64 >= 0.99 * expected_per_s && w.missing == 0 {
                break;
            }
        }
        let (server0, self0, t0) = (
            cpu_seconds(self.pipe.pid),
            cpu_seconds(std::process::id()),
            Instant::now(),
        );
        let drops0 = udp_drops(self.pipe.port);
        self.stats.open();
        tokio::time::sleep(length).await;
        let mut w = self.stats.close();
        let secs = t0.elapsed().as_secs_f64();
        let drops1 = udp_drops(self.pipe.port);
        Step {
            downtracks,
            p50: percentile_ms(&mut w.delays, 50.0),
            p99: percentile_ms(&mut w.delays, 99.0),
            max: percentile_ms(&mut w.delays, 100.0),
            missing: w.missing,
            received: w.frames as f64 / secs / expected_per_s,
            errors: w.errors,
            server_cpu: (cpu_seconds(self.pipe.pid) - server0) / secs,
            server_rss: rss_mib(self.pipe.pid),
            generator_cpu: (cpu_seconds(std::process::id()) - self0) / secs,
            send_lag_p99: percentile_ms(&mut w.send_lag, 99.0),
            sfu_drops: drops1.0.saturating_sub(drops0.0),
            other_drops: drops1.1.saturating_sub(drops0.1),
        }
    }

    /// Every participant leaves.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// The figures of one window.
pub struct Step {
    pub downtracks: usize,
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
    pub missing: u64,
    /// Frames received as a share of those the downtracks should carry.
    pub received: f64,
    pub errors: u64,
    pub server_cpu: f64,
    pub server_rss: f64,
    pub generator_cpu: f64,
    pub send_lag_p99: f64,
    /// Datagrams the kernel dropped for a full buffer: at the SFU's port, elsewhere.
    pub sfu_drops: u64,
    pub other_drops: u64,
}

impl Step {
    pub const HEADER: &'static str = "downtracks   p50 ms   p99 ms   max ms  missing  received  SFU CPU   SFU RSS  gen CPU  send lag p99  drops SFU/gen";

    /// Forwarded in time, nothing missing, everything flowing.
    pub fn held(&self, goal_p99_ms: f64) -> bool {
        self.p99 < goal_p99_ms && self.missing == 0 && self.received >= 0.95 && self.errors == 0
    }

    /// Far past what the SFU keeps up with: no point climbing further.
    pub fn saturated(&self) -> bool {
        self.p99 > 1000.0 || self.received < 0.5 || !self.p99.is_finite()
    }

    /// Whether the generator itself could not keep its schedule.
    pub fn generator_bound(&self) -> bool {
        self.generator_cpu > GENERATOR_CPU_LIMIT || self.send_lag_p99 > SEND_LAG_LIMIT_MS
    }

    pub fn row(&self) -> String {
        format!(
            "{:>10} {:8.1} {:8.1} {:8.1} {:>8} {:>8.0}% {:>7.0}% {:>5.0} MiB {:>7.0}% {:>10.1} ms {:>7}/{:<7}{}{}",
            self.downtracks,
            self.p50,
            self.p99,
            self.max,
            self.missing,
            self.received * 100.0,
            self.server_cpu * 100.0,
            self.server_rss,
            self.generator_cpu * 100.0,
            self.send_lag_p99,
            self.sfu_drops,
            self.other_drops,
            if self.errors > 0 { format!(" ({} refused)", self.errors) } else { String::new() },
            if self.generator_bound() { " *" } else { "" }
        )
    }
}

//! The book of one step: when each message was due (from its index: open loop, a fixed
//! interval) and how long after that its friend received it.

use std::time::{Duration, Instant};

/// Not received (yet).
const MISSING: u32 = u32::MAX;

/// Who sends and who receives message `i`: pairs take turns, and the two friends of a pair
/// take turns too. Connection `2p` and `2p + 1` are pair `p`.
pub fn route(i: u64, pairs: u64) -> (usize, usize) {
    let pair = i % pairs;
    let turn = (i / pairs) % 2;
    ((2 * pair + turn) as usize, (2 * pair + 1 - turn) as usize)
}

/// One step of the ladder.
pub struct Book {
    /// The index of the step's first message (message ids run on across steps).
    pub base: u64,
    pub t0: Instant,
    pub interval: Duration,
    pub pairs: u64,
    /// Microseconds from due to received, per message.
    latency_us: Vec<u32>,
    pub received: usize,
    /// Deliveries of messages outside this step (from an earlier, overrun one).
    pub stale: usize,
    /// `error` frames the server sent (rate limits, refusals).
    pub errors: usize,
}

impl Book {
    pub fn new(base: u64, n: usize, t0: Instant, rate: u32, pairs: u64) -> Book {
        Book {
            base,
            t0,
            interval: Duration::from_secs_f64(1.0 / f64::from(rate)),
            pairs,
            latency_us: vec![MISSING; n],
            received: 0,
            stale: 0,
            errors: 0,
        }
    }

    /// When message `i` of this step was due.
    pub fn due(&self, i: u64) -> Instant {
        self.t0 + self.interval.mul_f64(i as f64)
    }

    /// Connection `me` received message `id` now.
    pub fn record(&mut self, id: u64, me: usize, now: Instant) {
        let Some(i) = id
            .checked_sub(self.base)
            .filter(|&i| (i as usize) < self.latency_us.len())
        else {
            self.stale += 1;
            return;
        };
        if route(i, self.pairs).1 != me {
            return; // the sender's own copy
        }
        let us = now.saturating_duration_since(self.due(i)).as_micros();
        let slot = &mut self.latency_us[i as usize];
        if *slot == MISSING {
            *slot = u32::try_from(us).unwrap_or(MISSING - 1);
            self.received += 1;
        }
    }

    pub fn complete(&self) -> bool {
        self.received == self.latency_us.len()
    }

    /// p50, p99 and max in milliseconds, a missing message counting as the slowest, and how
    /// many are missing.
    pub fn summary(&self) -> Summary {
        let mut xs = self.latency_us.clone();
        xs.sort_unstable();
        let q = |p: f64| {
            let v = xs[((p * xs.len() as f64) as usize).min(xs.len() - 1)];
            if v == MISSING {
                f64::INFINITY
            } else {
                f64::from(v) / 1000.0
            }
        };
        Summary {
            p50: q(0.5),
            p99: q(0.99),
            max: q(1.0),
            missing: xs.len() - self.received,
        }
    }
}

/// Latency figures of a step.
pub struct Summary {
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
    pub missing: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn friends_take_turns() {
        assert_eq!(route(0, 3), (0, 1));
        assert_eq!(route(2, 3), (4, 5));
        assert_eq!(route(3, 3), (1, 0));
        assert_eq!(route(6, 3), (0, 1));
    }
}

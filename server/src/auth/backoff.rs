//! Growing delays after failures, per key, with time passed in: the first few failures are
//! free, then each one doubles the wait before the next attempt, up to a ceiling. Nothing
//! is ever locked for good, and a key (an IP and an account together) is only slowed by its
//! own failures, so a stranger guessing from elsewhere cannot lock an owner out.

use std::collections::HashMap;
use std::hash::Hash;
use std::time::{Duration, Instant};

/// Failure counts and waits per key.
#[derive(Debug)]
pub struct Backoff<K> {
    free: u32,
    base: Duration,
    ceiling: Duration,
    keys: HashMap<K, Failures>,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
    until: Instant,
}

impl<K: Hash + Eq> Backoff<K> {
    /// `free` failures without delay; then `base`, twice that, … up to `ceiling`.
    pub fn new(free: u32, base: Duration, ceiling: Duration) -> Self {
        Backoff {
            free,
            base,
            ceiling,
            keys: HashMap::new(),
        }
    }

    /// How long `key` must still wait before its next attempt, if at all.
    pub fn wait(&self, key: &K, now: Instant) -> Option<Duration> {
        let f = self.keys.get(key)?;
        (f.until > now).then(|| f.until - now)
    }

    /// Records a failure of `key` at `now`.
    pub fn failed(&mut self, key: K, now: Instant) {
        if self.keys.len() >= 10_000 {
            self.prune(now);
        }
        let forget = self.forget_after();
        let (free, base, ceiling) = (self.free, self.base, self.ceiling);
        let f = self.keys.entry(key).or_insert(Failures {
            count: 0,
            last: now,
            until: now,
        });
        if now.duration_since(f.last) >= forget {
            f.count = 0;
        }
        f.count += 1;
        f.last = now;
        f.until = now + delay(free, base, ceiling, f.count);
    }

    /// Forgets `key`'s failures (it succeeded).
    pub fn succeeded(&mut self, key: &K) {
        self.keys.remove(key);
    }

    /// Failures this old no longer count.
    fn forget_after(&self) -> Duration {
        self.ceiling * 4
    }

    /// Drops keys whose failures no longer count.
    pub fn prune(&mut self, now: Instant) {
        let forget = self.forget_after();
        self.keys.retain(|_, f| now.duration_since(f.last) < forget);
    }
}

/// The wait after the `n`th failure in a row.
fn delay(free: u32, base: Duration, ceiling: Duration, n: u32) -> Duration {
    let Some(over) = n.checked_sub(free + 1) else {
        return Duration::ZERO;
    };
    let factor = 1u32.checked_shl(over.min(30)).unwrap_or(u32::MAX);
    base.saturating_mul(factor).min(ceiling)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn free_failures_then_doubling_waits_up_to_the_ceiling() {
        let t0 = Instant::now();
        let mut b = Backoff::new(3, S, 8 * S);
        let mut now = t0;
        let mut waits = Vec::new();
        for _ in 0..7 {
            assert_eq!(b.wait(&"k", now), None, "the wait was served");
            b.failed("k", now);
            let w = b.wait(&"k", now).unwrap_or_default();
            waits.push(w.as_secs());
            now += w;
        }
        assert_eq!(waits, [0, 0, 0, 1, 2, 4, 8]);
        b.failed("k", now);
        assert_eq!(
            b.wait(&"k", now),
            Some(8 * S),
            "never more than the ceiling"
        );
        assert_eq!(b.wait(&"k", now + 8 * S), None, "never a lock for good");
    }

    #[test]
    fn keys_are_separate_and_success_forgets() {
        let t0 = Instant::now();
        let mut b = Backoff::new(0, S, 60 * S);
        b.failed(("stranger", "alice"), t0);
        assert!(b.wait(&("stranger", "alice"), t0).is_some());
        assert_eq!(
            b.wait(&("owner", "alice"), t0),
            None,
            "another IP is not slowed"
        );
        b.succeeded(&("stranger", "alice"));
        assert_eq!(b.wait(&("stranger", "alice"), t0), None);
    }

    #[test]
    fn old_failures_stop_counting() {
        let t0 = Instant::now();
        let mut b = Backoff::new(1, S, 2 * S);
        b.failed("k", t0);
        b.failed("k", t0);
        let later = t0 + 60 * S;
        b.failed("k", later);
        assert_eq!(b.wait(&"k", later), None, "counted from one again");
        b.prune(later + 60 * S);
        assert!(b.keys.is_empty());
    }
}

//! A sliding-window rate limiter with time passed in, so its rules are plain unit tests.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::time::{Duration, Instant};

/// Allows at most `max` events per key within `window`.
#[derive(Debug)]
pub struct RateLimiter<K> {
    max: usize,
    window: Duration,
    events: HashMap<K, VecDeque<Instant>>,
}

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    /// A limiter of `max` events per `window`.
    pub fn new(max: usize, window: Duration) -> Self {
        RateLimiter {
            max,
            window,
            events: HashMap::new(),
        }
    }

    fn expire(&mut self, key: &K, now: Instant) -> Option<&mut VecDeque<Instant>> {
        let window = self.window;
        let q = self.events.get_mut(key)?;
        while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
            q.pop_front();
        }
        Some(q)
    }

    /// Whether another event for `key` would be allowed now (records nothing).
    pub fn allows(&mut self, key: &K, now: Instant) -> bool {
        let max = self.max;
        self.expire(key, now).is_none_or(|q| q.len() < max)
    }

    /// How long until `key` may have another event; `None` if it may now.
    pub fn retry_after(&mut self, key: &K, now: Instant) -> Option<Duration> {
        let (max, window) = (self.max, self.window);
        let q = self.expire(key, now)?;
        if q.len() < max {
            return None;
        }
        let oldest = *q.front()?;
        Some(window.saturating_sub(now.duration_since(oldest)))
    }

    /// Records an event for `key`; returns whether it was within the limit.
    pub fn hit(&mut self, key: K, now: Instant) -> bool {
        let allowed = self.allows(&key, now);
        if allowed {
            self.events.entry(key).or_default().push_back(now);
        }
        if self.events.len() > 10_000 {
            self.prune(now);
        }
        allowed
    }

    /// Forgets keys with no event inside the window.
    pub fn prune(&mut self, now: Instant) {
        let window = self.window;
        self.events
            .retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < window));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_max_per_window_then_recovers() {
        let t0 = Instant::now();
        let mut rl = RateLimiter::new(3, Duration::from_secs(60));
        assert!(rl.hit("ip", t0));
        assert!(rl.hit("ip", t0 + Duration::from_secs(1)));
        assert!(rl.hit("ip", t0 + Duration::from_secs(2)));
        assert!(!rl.hit("ip", t0 + Duration::from_secs(3)));
        assert!(
            rl.hit("other", t0 + Duration::from_secs(3)),
            "keys are separate"
        );
        assert!(!rl.allows(&"ip", t0 + Duration::from_secs(59)));
        assert_eq!(
            rl.retry_after(&"ip", t0 + Duration::from_secs(59)),
            Some(Duration::from_secs(1))
        );
        assert!(
            rl.hit("ip", t0 + Duration::from_secs(60)),
            "the oldest left the window"
        );
    }

    #[test]
    fn prune_forgets_idle_keys() {
        let t0 = Instant::now();
        let mut rl = RateLimiter::new(1, Duration::from_secs(10));
        rl.hit(1, t0);
        rl.prune(t0 + Duration::from_secs(11));
        assert!(rl.events.is_empty());
    }
}

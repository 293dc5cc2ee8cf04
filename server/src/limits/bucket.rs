//! A token bucket with time passed in: `burst` tokens at most, refilled at `per_sec`; each
//! command takes one.

use std::time::{Duration, Instant};

/// How big a bucket is and how fast it refills.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Tokens when full: the burst allowed after a quiet spell.
    pub burst: f64,
    /// Tokens added per second: the sustained rate.
    pub per_sec: f64,
}

/// One bucket's state.
#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    /// A full bucket as of `now`.
    pub fn full(rule: Rule, now: Instant) -> Bucket {
        Bucket {
            tokens: rule.burst,
            at: now,
        }
    }

    fn refill(&mut self, rule: Rule, now: Instant) {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * rule.per_sec).min(rule.burst);
        self.at = now;
    }

    /// How long until a token is there (zero if one is there now).
    pub fn wait(&mut self, rule: Rule, now: Instant) -> Duration {
        self.refill(rule, now);
        if self.tokens >= 1.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64((1.0 - self.tokens) / rule.per_sec)
        }
    }

    /// Takes a token, which must be there (`wait` said zero).
    pub fn take(&mut self) {
        self.tokens -= 1.0;
    }

    /// Whether the bucket is full as of `now` (then it can be forgotten).
    pub fn is_full(&mut self, rule: Rule, now: Instant) -> bool {
        self.refill(rule, now);
        self.tokens >= rule.burst
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: Rule = Rule {
        burst: 3.0,
        per_sec: 2.0,
    };

    #[test]
    fn a_burst_then_the_sustained_rate() {
        let t0 = Instant::now();
        let mut b = Bucket::full(RULE, t0);
        for _ in 0..3 {
            assert_eq!(b.wait(RULE, t0), Duration::ZERO);
            b.take();
        }
        assert_eq!(
            b.wait(RULE, t0),
            Duration::from_millis(500),
            "one token per 500 ms"
        );
        let later = t0 + Duration::from_millis(500);
        assert_eq!(b.wait(RULE, later), Duration::ZERO);
        b.take();
        assert!(b.wait(RULE, later) > Duration::ZERO);
        assert!(!b.is_full(RULE, later));
        assert!(
            b.is_full(RULE, later + Duration::from_secs(2)),
            "never more than the burst"
        );
    }
}

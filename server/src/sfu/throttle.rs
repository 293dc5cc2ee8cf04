//! At most one keyframe request a second per incoming track: every receiver that starts, or
//! loses packets, asks for one, and a publisher flooded with requests sends nothing but
//! keyframes. Pure, time passed in.

use std::time::{Duration, Instant};

/// The least time between two keyframe requests to one track.
pub const KEYFRAME_INTERVAL: Duration = Duration::from_secs(1);

/// When a track was last asked for a keyframe.
#[derive(Debug, Default, Clone, Copy)]
pub struct Throttle {
    last: Option<Instant>,
}

impl Throttle {
    /// Whether a request may go out at `now`; if so, it counts as sent.
    pub fn allow(&mut self, now: Instant) -> bool {
        if self
            .last
            .is_some_and(|t| now.saturating_duration_since(t) < KEYFRAME_INTERVAL)
        {
            return false;
        }
        self.last = Some(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_request_a_second_per_track() {
        let t0 = Instant::now();
        let mut t = Throttle::default();
        assert!(t.allow(t0), "the first goes out");
        assert!(!t.allow(t0 + Duration::from_millis(10)));
        assert!(!t.allow(t0 + Duration::from_millis(999)));
        assert!(t.allow(t0 + KEYFRAME_INTERVAL), "a second later, one more");
        assert!(!t.allow(t0 + KEYFRAME_INTERVAL + Duration::from_millis(500)));
    }
}

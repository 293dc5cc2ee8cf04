//! At most one keyframe request a second per incoming track: every receiver that starts, or
//! loses packets, asks for one, and a publisher flooded with requests sends nothing but
//! keyframes. A request that comes too soon is not lost but held, and goes out as soon as
//! the second is over, so a receiver that starts just after another still gets its picture.
//! Pure, time passed in.

use std::time::{Duration, Instant};

/// The least time between two keyframe requests to one track.
pub const KEYFRAME_INTERVAL: Duration = Duration::from_secs(1);

/// When a track was last asked for a keyframe, and whether another request waits.
#[derive(Debug, Default, Clone, Copy)]
pub struct Throttle {
    last: Option<Instant>,
    held: bool,
}

impl Throttle {
    /// A receiver wants a keyframe at `now`: whether to ask the sender now (else it is held
    /// for [`Throttle::due`]).
    pub fn ask(&mut self, now: Instant) -> bool {
        if self.waiting(now) {
            self.held = true;
            return false;
        }
        self.last = Some(now);
        self.held = false;
        true
    }

    /// Whether a held request may go out at `now`; if so, it counts as sent.
    pub fn due(&mut self, now: Instant) -> bool {
        self.held && self.ask(now)
    }

    /// When a held request may go out, if one is held.
    pub fn next(&self) -> Option<Instant> {
        self.held
            .then(|| self.last.map(|t| t + KEYFRAME_INTERVAL))
            .flatten()
    }

    fn waiting(&self, now: Instant) -> bool {
        self.last
            .is_some_and(|t| now.saturating_duration_since(t) < KEYFRAME_INTERVAL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_request_a_second_per_track() {
        let t0 = Instant::now();
        let mut t = Throttle::default();
        assert!(t.ask(t0), "the first goes out");
        assert!(!t.ask(t0 + Duration::from_millis(10)));
        assert!(!t.ask(t0 + Duration::from_millis(999)));
        assert!(t.ask(t0 + KEYFRAME_INTERVAL), "a second later, one more");
        assert!(!t.ask(t0 + KEYFRAME_INTERVAL + Duration::from_millis(500)));
    }

    #[test]
    fn a_request_too_soon_is_held_and_goes_out_once_the_second_is_over() {
        let t0 = Instant::now();
        let mut t = Throttle::default();
        assert!(t.ask(t0));
        assert_eq!(t.next(), None, "nothing held");
        assert!(!t.ask(t0 + Duration::from_millis(300)), "too soon");
        assert!(
            !t.ask(t0 + Duration::from_millis(600)),
            "a second one merges in"
        );
        assert_eq!(t.next(), Some(t0 + KEYFRAME_INTERVAL));
        assert!(!t.due(t0 + Duration::from_millis(900)), "not yet");
        assert!(t.due(t0 + KEYFRAME_INTERVAL), "the held one goes out, once");
        assert!(!t.due(t0 + KEYFRAME_INTERVAL * 3), "and only once");
        assert_eq!(t.next(), None);
    }
}

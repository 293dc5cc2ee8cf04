//! Who is speaking, from each participant's audio level (`getSynchronizationSources()`,
//! sampled a few times a second): the loudest one above a floor, held for a moment after
//! they pause so the highlight does not flicker between words. Pure, with time passed in.

use hearth_shared::UserId;

/// Below this level (0..1, about -34 dBov) nobody is speaking.
pub const FLOOR: f64 = 0.02;
/// How long a speaker keeps the highlight after their last loud sample.
pub const HOLD_MS: f64 = 1_500.0;
/// How much louder someone must be to take the highlight from a speaker who is still loud.
const TAKE_OVER: f64 = 1.5;

/// The speaker so far.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Speaker {
    /// Who, and when they were last loud.
    current: Option<(UserId, f64)>,
}

impl Speaker {
    /// Who has the highlight.
    pub fn who(&self) -> Option<UserId> {
        self.current.map(|(u, _)| u)
    }

    /// Takes one sample of everyone's level at `now_ms`; returns who has the highlight.
    pub fn sample(&mut self, levels: &[(UserId, f64)], now_ms: f64) -> Option<UserId> {
        let loud = |(_, l): &&(UserId, f64)| *l >= FLOOR;
        let loudest = levels
            .iter()
            .filter(loud)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .copied();
        let current_level = self
            .current
            .and_then(|(u, _)| levels.iter().find(|(w, _)| *w == u))
            .map_or(0.0, |(_, l)| *l);
        self.current = match (self.current, loudest) {
            (Some((u, _)), _) if current_level >= FLOOR => match loudest {
                Some((w, l)) if w != u && l > current_level * TAKE_OVER => Some((w, now_ms)),
                _ => Some((u, now_ms)),
            },
            (Some((u, since)), None) if now_ms - since < HOLD_MS => Some((u, since)),
            (_, Some((w, _))) => Some((w, now_ms)),
            (_, None) => None,
        };
        self.who()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOB: UserId = UserId(2);
    const CAROL: UserId = UserId(3);

    #[test]
    fn the_loudest_above_the_floor_speaks_and_keeps_it_through_a_pause() {
        let mut s = Speaker::default();
        assert_eq!(s.sample(&[(BOB, 0.01), (CAROL, 0.015)], 0.0), None);
        assert_eq!(s.sample(&[(BOB, 0.2), (CAROL, 0.05)], 500.0), Some(BOB));
        // A pause between words: bob keeps it for a moment, then nobody has it.
        assert_eq!(s.sample(&[(BOB, 0.0), (CAROL, 0.0)], 1_000.0), Some(BOB));
        assert_eq!(s.sample(&[(BOB, 0.0), (CAROL, 0.0)], 1_900.0), Some(BOB));
        assert_eq!(s.sample(&[(BOB, 0.0), (CAROL, 0.0)], 2_100.0), None);
    }

    #[test]
    fn someone_takes_over_only_when_clearly_louder_or_when_the_speaker_stops() {
        let mut s = Speaker::default();
        s.sample(&[(BOB, 0.2)], 0.0);
        assert_eq!(s.sample(&[(BOB, 0.2), (CAROL, 0.25)], 500.0), Some(BOB));
        assert_eq!(s.sample(&[(BOB, 0.2), (CAROL, 0.4)], 1_000.0), Some(CAROL));
        // carol stops, bob goes on: bob has it at once.
        assert_eq!(s.sample(&[(BOB, 0.1), (CAROL, 0.0)], 1_500.0), Some(BOB));
    }

    #[test]
    fn someone_who_left_loses_it() {
        let mut s = Speaker::default();
        s.sample(&[(BOB, 0.2)], 0.0);
        assert_eq!(s.sample(&[(CAROL, 0.05)], 500.0), Some(CAROL));
    }
}

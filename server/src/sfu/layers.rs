//! Which simulcast layer of a sender's camera one receiver gets. A browser sending simulcast
//! encodes its picture two or three times (say 320x180, 640x360, 1280x720); the SFU forwards
//! one of them to each receiver, from what the receiver shows (a thumbnail needs no more than
//! the lowest layer) and from how much the network to it carries (its bandwidth estimate).
//! Down at once when the estimate falls, up only once the higher layer has fitted, with a
//! margin, for a while (so a wobbling estimate does not flap between layers, each change
//! costing a keyframe); nothing at all when not even the lowest fits: the picture pauses,
//! the sound goes on. Pure, time passed in.

use std::time::{Duration, Instant};

/// How long a higher layer must fit before the receiver is moved up to it.
pub const UP_AFTER: Duration = Duration::from_secs(2);

/// What the receiver shows this sender's picture as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// A small tile: the lowest layer is enough.
    Thumbnail,
    /// The large spot (or a tile of a small grid): as high as the network allows.
    Large,
}

/// The layer one receiver gets of one sender's picture.
#[derive(Debug, Default, Clone)]
pub struct Choice {
    /// The layer forwarded now (an index, lowest first), or none (paused or not started).
    current: Option<usize>,
    /// A higher layer that fits, and since when it has.
    rising: Option<(usize, Instant)>,
}

/// The outcome of one [`Choice::update`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pick {
    /// The layer to forward, or none: the picture pauses.
    pub layer: Option<usize>,
    /// It differs from before: the receiver needs a keyframe of it.
    pub changed: bool,
}

impl Choice {
    /// Decides from the layers' bitrates (bits a second, lowest layer first), what the
    /// receiver shows, and the estimate of what reaches it (bits a second, with its audio
    /// already taken off).
    pub fn update(&mut self, layers: &[u32], shown: Shown, estimate: u32, now: Instant) -> Pick {
        let fits = |i: usize, margin: f64| f64::from(layers[i]) * margin <= f64::from(estimate);
        let cap = match shown {
            Shown::Thumbnail => 0,
            Shown::Large => layers.len().saturating_sub(1),
        };
        let best = (0..layers.len().min(cap + 1)).rev().find(|&i| fits(i, 1.0));
        let next = match (self.current, best) {
            (Some(c), Some(b)) if b > c => self.rise(c, layers, estimate, now),
            // A new receiver, or one whose picture was paused, gets what fits now; a
            // receiver whose estimate fell goes down at once. A dip ends any wait to rise.
            (_, b) => {
                self.rising = None;
                b
            }
        };
        let changed = next != self.current;
        self.current = next;
        Pick {
            layer: next,
            changed,
        }
    }

    /// From layer `current` toward a higher one that fits: up one step once that step has
    /// fitted, with a 15 % margin, for [`UP_AFTER`].
    fn rise(
        &mut self,
        current: usize,
        layers: &[u32],
        estimate: u32,
        now: Instant,
    ) -> Option<usize> {
        let up = current + 1;
        if f64::from(layers[up]) * 1.15 > f64::from(estimate) {
            self.rising = None;
            return Some(current);
        }
        match self.rising {
            Some((layer, since)) if layer == up && now.duration_since(since) >= UP_AFTER => {
                self.rising = None;
                Some(up)
            }
            Some((layer, _)) if layer == up => Some(current),
            _ => {
                self.rising = Some((up, now));
                Some(current)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three layers: 150 kbit/s, 500 kbit/s, 1.5 Mbit/s.
    const LAYERS: [u32; 3] = [150_000, 500_000, 1_500_000];

    /// Runs `steps` (ms after the start, what the receiver shows, the estimate) and checks the
    /// layer after each, and whether it changed.
    fn run(steps: &[(u64, Shown, u32, Option<usize>, bool)]) {
        let t0 = Instant::now();
        let mut c = Choice::default();
        for (i, &(ms, shown, estimate, layer, changed)) in steps.iter().enumerate() {
            let pick = c.update(&LAYERS, shown, estimate, t0 + Duration::from_millis(ms));
            assert_eq!(
                pick,
                Pick { layer, changed },
                "step {i}: {ms} ms, {estimate} bit/s"
            );
        }
    }

    use Shown::{Large, Thumbnail};

    #[test]
    fn a_new_receiver_starts_at_what_fits_and_a_thumbnail_at_the_lowest() {
        run(&[(0, Large, 2_000_000, Some(2), true)]);
        run(&[(0, Thumbnail, 2_000_000, Some(0), true)]);
        run(&[(0, Large, 600_000, Some(1), true)]);
    }

    #[test]
    fn down_at_once_when_the_estimate_falls_then_paused_when_nothing_fits() {
        run(&[
            (0, Large, 2_000_000, Some(2), true),
            (100, Large, 400_000, Some(0), true),
            // Video pauses, and stays paused without asking for keyframes.
            (200, Large, 100_000, None, true),
            (300, Large, 100_000, None, false),
            // Back as soon as the lowest fits.
            (400, Large, 200_000, Some(0), true),
        ]);
    }

    #[test]
    fn up_one_step_only_after_the_higher_layer_fitted_with_a_margin_for_two_seconds() {
        run(&[
            (0, Large, 300_000, Some(0), true),
            // 520 kbit/s: layer 1 fits, but not with the margin (575 kbit/s).
            (100, Large, 520_000, Some(0), false),
            (5_000, Large, 520_000, Some(0), false),
            // Plenty now: still one step at a time, each after two seconds.
            (6_000, Large, 3_000_000, Some(0), false),
            (7_999, Large, 3_000_000, Some(0), false),
            (8_000, Large, 3_000_000, Some(1), true),
            (9_000, Large, 3_000_000, Some(1), false),
            (10_999, Large, 3_000_000, Some(1), false),
            (11_000, Large, 3_000_000, Some(2), true),
        ]);
    }

    #[test]
    fn a_dip_while_rising_starts_the_wait_again() {
        run(&[
            (0, Large, 300_000, Some(0), true),
            (0, Large, 1_000_000, Some(0), false),
            (1_500, Large, 400_000, Some(0), false),
            (2_000, Large, 1_000_000, Some(0), false),
            (3_999, Large, 1_000_000, Some(0), false),
            (4_000, Large, 1_000_000, Some(1), true),
        ]);
    }

    #[test]
    fn a_tile_made_small_drops_to_the_lowest_layer_at_once() {
        run(&[
            (0, Large, 3_000_000, Some(2), true),
            (10, Thumbnail, 3_000_000, Some(0), true),
        ]);
    }
}

//! What the network to one receiver carries, worked out from the loss its browser reports
//! (RTCP receiver reports, read once a second), the way the loss-based half of Google's
//! congestion control does: above 10 % lost the estimate falls to what was forwarded less
//! half the loss; under 2 % it grows 8 % a second; between, it holds; grown past
//! [`NO_LIMIT_FROM`] it is no limit at all. A second in which next to nothing was forwarded
//! (the picture paused) says nothing of the network: its loss, if any, is old news, and
//! cutting to what was sent then would leave the estimate near zero for a minute. The layer choice (`layers.rs`) then steps video
//! down, and pauses it, before the sound suffers.
//!
//! Not str0m's own estimator (TWCC): with it on, str0m paces everything forwarded at the
//! estimate, and the burst of keyframes after a join waited behind the pacer: the longest
//! frame gap of the mesh-to-relay switch (e2e, five browsers) was 510–1,315 ms with it and
//! 330–630 ms without. Pure, time passed in.

use std::time::Duration;

/// How often each connection reports its stats (the loss its receiver reported).
pub const REPORT_EVERY: Duration = Duration::from_secs(1);

/// Below this much forwarded in a second, bits, a report of loss is no evidence.
pub const MIN_EVIDENCE: f64 = 16_000.0;

/// An estimate grown past this, bits a second, limits nothing.
pub const NO_LIMIT_FROM: f64 = 50_000_000.0;

/// The estimate for one receiver.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Bits a second; none: no loss seen, no limit.
    limit: Option<f64>,
}

impl Estimate {
    /// One second's report: `sent` bits a second forwarded to the receiver, and the most it
    /// reported lost of any track (a fraction, 0..1).
    pub fn report(&mut self, sent: f64, loss: f32) {
        let loss = f64::from(loss);
        if loss > 0.10 && sent >= MIN_EVIDENCE {
            let cut = sent * (1.0 - 0.5 * loss);
            self.limit = Some(self.limit.map_or(cut, |l| l.min(cut)));
        } else if loss < 0.02 {
            self.limit = self.limit.map(|l| l * 1.08).filter(|l| *l < NO_LIMIT_FROM);
        }
    }

    /// The estimate, bits a second (`u32::MAX`: no limit).
    pub fn bits(&self) -> u32 {
        self.limit
            .map_or(u32::MAX, |l| l.round().min(f64::from(u32::MAX)) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_limit_until_loss_is_reported() {
        let mut e = Estimate::default();
        assert_eq!(e.bits(), u32::MAX);
        e.report(2_000_000.0, 0.05);
        assert_eq!(e.bits(), u32::MAX, "a little loss is no congestion");
    }

    #[test]
    fn heavy_loss_cuts_to_what_got_through_then_it_grows_back_slowly() {
        let mut e = Estimate::default();
        e.report(2_000_000.0, 0.30);
        assert_eq!(e.bits(), 1_700_000, "2 Mbit/s less half the 30 % lost");
        e.report(900_000.0, 0.05);
        assert_eq!(e.bits(), 1_700_000, "some loss: it holds");
        e.report(900_000.0, 0.0);
        assert_eq!(e.bits(), 1_836_000, "no loss: 8 % more");
        e.report(900_000.0, 0.5);
        assert_eq!(
            e.bits(),
            675_000,
            "a worse second cuts again, from what was sent"
        );
        e.report(2_000_000.0, 0.5);
        assert_eq!(e.bits(), 675_000, "never up on loss");
    }

    #[test]
    fn a_second_with_nothing_forwarded_says_nothing() {
        let mut e = Estimate::default();
        e.report(40_000.0, 0.3);
        assert_eq!(e.bits(), 34_000);
        e.report(2_000.0, 0.5);
        assert_eq!(e.bits(), 34_000, "paused: the loss reported is no evidence");
        e.report(0.0, 0.0);
        assert_eq!(e.bits(), 36_720, "no loss: it grows back");
    }

    #[test]
    fn grown_far_enough_it_is_no_limit() {
        let mut e = Estimate::default();
        e.report(1_000_000.0, 0.2);
        let mut seconds = 0;
        while e.bits() != u32::MAX {
            e.report(1_000_000.0, 0.0);
            seconds += 1;
            assert!(seconds < 100, "still limited after {seconds} s");
        }
        assert_eq!(seconds, 53, "900 kbit/s to 50 Mbit/s at 8 % a second");
    }
}

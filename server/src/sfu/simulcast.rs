//! Simulcast on the wire: the layers of one sender's picture as they arrive (which are
//! live, and their bitrates), and what one receiver gets of them — the layer [`Choice`]
//! picks, switched to on a keyframe of the new layer (so the picture never breaks up) with
//! the media time made continuous (each layer counts its own RTP timestamps). Pure, time
//! passed in; the driver feeds it packets and asks it what to forward.

use std::time::{Duration, Instant};

use str0m::media::{MediaTime, Rid};

use super::layers::{Choice, Shown};
use hearth_shared::call::Tile;

/// A layer heard less recently than this is gone (the sender stopped it, e.g. its own
/// uplink got too thin): no receiver is moved to it.
const STALE: Duration = Duration::from_secs(1);

/// How long a layer's bytes are summed before its bitrate is taken.
const WINDOW: Duration = Duration::from_millis(500);

/// One layer of a sender's picture.
#[derive(Debug, Clone)]
struct LayerIn {
    rid: Rid,
    /// Bits counted since `since`.
    bits: u64,
    since: Instant,
    /// The bitrate over the last full window, bits a second (0 until one has passed).
    rate: u32,
    last: Instant,
}

/// The layers of one incoming video track, as they arrive.
#[derive(Debug, Default, Clone)]
pub(super) struct Layers {
    seen: Vec<LayerIn>,
    /// The last time the whole picture went silent (every layer stale; the sender stalled,
    /// or its network did): when it was last heard before, and when again. That time is
    /// left out of a layer's age, so the layer heard first after it is not taken for the
    /// only one left (a thumbnail would be moved to the high layer and back).
    silence: Option<(Instant, Instant)>,
}

/// Where a layer's name puts it: `l` (low), `m`, `h` (high), then any other.
fn rank(rid: &Rid) -> u8 {
    match &**rid {
        "l" | "q" | "0" => 0,
        "m" | "1" => 1,
        "h" | "f" | "2" => 2,
        _ => 3,
    }
}

impl Layers {
    /// A frame of layer `rid`, `bytes` long, came in at `now`.
    pub(super) fn heard(&mut self, rid: Rid, bytes: usize, now: Instant) {
        let before = self.seen.iter().map(|l| l.last).max();
        if let Some(before) = before.filter(|&b| now.saturating_duration_since(b) >= STALE) {
            self.silence = Some((before, now));
        }
        let l = match self.seen.iter_mut().position(|l| l.rid == rid) {
            Some(i) => &mut self.seen[i],
            None => {
                self.seen.push(LayerIn {
                    rid,
                    bits: 0,
                    since: now,
                    rate: 0,
                    last: now,
                });
                self.seen.sort_by_key(|l| rank(&l.rid));
                let Some(l) = self.seen.iter_mut().find(|l| l.rid == rid) else {
                    return;
                };
                l
            }
        };
        if now.saturating_duration_since(l.last) >= STALE {
            // Back after a silence: its rate is taken from when it came back.
            (l.bits, l.since) = (0, now);
        }
        let span = now.saturating_duration_since(l.since);
        if span >= WINDOW {
            // This frame opens the next window.
            l.rate = (l.bits as f64 / span.as_secs_f64()) as u32;
            l.bits = 0;
            l.since = now;
        }
        l.bits += bytes as u64 * 8;
        l.last = now;
    }

    /// The layers heard within the last second (not counting the last silence of the whole
    /// picture), lowest first, with their bitrates.
    pub(super) fn live(&self, now: Instant) -> Vec<(Rid, u32)> {
        (self.seen.iter())
            .filter(|l| self.age(l, now) < STALE)
            .map(|l| (l.rid, l.rate))
            .collect()
    }

    /// How long since `l` was heard, leaving out the picture's last silence if `l` was last
    /// heard before it.
    fn age(&self, l: &LayerIn, now: Instant) -> Duration {
        let age = now.saturating_duration_since(l.last);
        match self.silence {
            Some((before, again)) if l.last <= before => {
                age.saturating_sub(again.saturating_duration_since(before))
            }
            _ => age,
        }
    }
}

/// What one receiver gets of one sender's picture.
#[derive(Debug, Default, Clone)]
pub(super) struct LayerOut {
    /// How the receiver shows it.
    pub(super) tile: Tile,
    choice: Choice,
    /// The layer forwarded now (none: nothing yet, or paused).
    current: Option<Rid>,
    /// The layer to move to on its next keyframe.
    next: Option<Rid>,
    /// Added to an incoming frame's media time: makes the times of the layers one line.
    shift: i64,
    /// The last media time written, and when its frame came in.
    last: Option<(i64, Instant)>,
}

impl LayerOut {
    /// A receiver showing the picture as `tile`.
    pub(super) fn new(tile: Tile) -> LayerOut {
        LayerOut {
            tile,
            ..LayerOut::default()
        }
    }

    /// Decides again from the layers live now and the receiver's share of the estimate
    /// (bits a second). Returns the layer to ask a keyframe of, when the receiver is to
    /// move to one.
    pub(super) fn decide(
        &mut self,
        layers: &[(Rid, u32)],
        estimate: u32,
        now: Instant,
    ) -> Option<Rid> {
        let rates: Vec<u32> = layers.iter().map(|l| l.1).collect();
        let shown = match self.tile {
            Tile::Thumbnail => Shown::Thumbnail,
            Tile::Large => Shown::Large,
        };
        let pick = self.choice.update(&rates, shown, estimate, now);
        let target = pick.layer.and_then(|i| layers.get(i)).map(|l| l.0);
        match target {
            None => {
                // Paused: nothing fits; the sound goes on.
                self.current = None;
                self.next = None;
                None
            }
            Some(rid) if Some(rid) == self.current => {
                self.next = None;
                None
            }
            Some(rid) => {
                self.next = Some(rid);
                Some(rid)
            }
        }
    }

    /// The layer this receiver waits to move to, if any (its keyframe is asked again while
    /// it waits).
    pub(super) fn waiting_for(&self) -> Option<Rid> {
        self.next
    }

    /// Whether a frame of layer `rid` (none: not simulcast), media time `time`, come in at
    /// `at`, goes to this receiver, and as what.
    pub(super) fn pass(
        &mut self,
        rid: Option<Rid>,
        keyframe: bool,
        time: MediaTime,
        at: Instant,
    ) -> Option<Passed> {
        let Some(rid) = rid else {
            // Not simulcast: everything goes, as it came.
            return Some(Passed { time, at });
        };
        // The layers' frames of one moment are handled in no set order: a keyframe of the
        // new layer may have come in a little before the old layer's frame just passed on.
        // str0m sends what it is given in the order of these times, so they never go back
        // (else the old layer's frame would follow the new one's keyframe).
        let at = self.last.map_or(at, |(_, then)| at.max(then));
        if self.next == Some(rid) && keyframe {
            self.current = self.next.take();
            self.shift = match self.last {
                Some((t, then)) => {
                    let gap = at.saturating_duration_since(then);
                    let ticks = (gap.as_secs_f64() * f64::from(time.denom())).round() as i64;
                    t + ticks.max(1) - time.numer() as i64
                }
                None => 0,
            };
        }
        if self.current != Some(rid) {
            return None;
        }
        let t = time.numer() as i64 + self.shift;
        self.last = Some((t, at));
        let time = MediaTime::new(t.max(0) as u64, time.frequency());
        Some(Passed { time, at })
    }
}

/// A frame passed on to a receiver: its media time there, and the time to hand str0m with
/// it (which orders what it sends by this).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Passed {
    pub(super) time: MediaTime,
    pub(super) at: Instant,
}

#[cfg(test)]
mod tests;

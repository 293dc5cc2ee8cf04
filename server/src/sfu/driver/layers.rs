//! The SFU task's keyframe requests (at most one a second per layer of a track, see
//! `throttle.rs`) and its choice, every [`super::LAYERS_EVERY`], of the simulcast layer each
//! receiver gets of each picture: from how it shows it and from its share of the bandwidth
//! estimate to it (`layers.rs`, `simulcast.rs`).

use std::collections::HashMap;
use std::time::Instant;

use str0m::media::{KeyframeRequestKind, MediaKind, Mid, Rid};

use super::{Hub, Participant};
use crate::sfu::congestion::REPORT_EVERY;
use crate::sfu::Seat;
use hearth_shared::call::{CallId, Tile};
use hearth_shared::UserId;

/// What one audio track to a receiver is counted as, bits a second, before any picture gets
/// a share of the estimate: sound goes first.
const AUDIO_SHARE: u32 = 50_000;

/// The live layers of every simulcast picture, per call, by sender and mid.
type Sources = HashMap<CallId, HashMap<(UserId, Mid), Vec<(Rid, u32)>>>;

impl Hub {
    /// Asks `seat` for a keyframe of its track on `mid` (of layer `rid`), at most once a
    /// second.
    pub(super) fn ask_keyframe(&mut self, seat: &Seat, mid: Mid, rid: Option<Rid>, now: Instant) {
        let Some(p) = self.parts.iter_mut().find(|p| &p.seat == seat) else {
            return;
        };
        let Some(t) = (p.tracks_in.iter_mut()).find(|t| t.mid == mid && t.kind == MediaKind::Video)
        else {
            return;
        };
        if t.throttle(rid).ask(now) {
            request_keyframe(p, mid, rid);
        }
    }

    /// Sends the keyframe requests held back by the throttle whose second is over; returns
    /// when the next one is due.
    pub(super) fn held_keyframes(&mut self, now: Instant) -> Option<Instant> {
        let mut next: Option<Instant> = None;
        for p in &mut self.parts {
            let mut due = Vec::new();
            for t in &mut p.tracks_in {
                for (rid, k) in &mut t.keyframes {
                    if k.due(now) {
                        due.push((t.mid, *rid));
                    }
                    next = match (next, k.next()) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
            }
            for (mid, rid) in due {
                request_keyframe(p, mid, rid);
            }
        }
        next
    }

    /// Once a [`REPORT_EVERY`]: each receiver's estimate from what was forwarded to it and
    /// the loss it reported meanwhile.
    pub(super) fn estimate(&mut self, now: Instant) {
        let span = now.saturating_duration_since(self.estimated);
        if span < REPORT_EVERY {
            return;
        }
        self.estimated = now;
        for p in &mut self.parts {
            let sent = p.sent_bits as f64 / span.as_secs_f64();
            let was = p.estimate.bits();
            p.estimate.report(sent, p.loss);
            if was == u32::MAX && p.estimate.bits() != u32::MAX {
                tracing::info!(
                    "relay: user {} lost {:.0} % of a second's media; limited to {} kbit/s",
                    p.seat.user.0,
                    p.loss * 100.0,
                    p.estimate.bits() / 1000
                );
            }
            (p.sent_bits, p.loss) = (0, 0.0);
        }
    }

    /// Chooses again the layer each receiver gets of each simulcast picture; asks for the
    /// keyframes the moves (and the moves still waiting) need, and tells each connection's
    /// bandwidth estimator what it would like to carry.
    pub(super) fn choose_layers(&mut self, now: Instant) {
        let mut sources: Sources = HashMap::new();
        for p in &self.parts {
            for t in &p.tracks_in {
                let live = t.layers.live(now);
                if !live.is_empty() {
                    let call = sources.entry(p.seat.call.clone()).or_default();
                    call.insert((p.seat.user, t.mid), live);
                }
            }
        }
        let mut asks = Vec::new();
        for p in &mut self.parts {
            if let Some(call) = sources.get(&p.seat.call) {
                for (from, rid) in choose_for(p, call, now) {
                    asks.push((p.seat.clone(), from, rid));
                }
            }
        }
        for (to, (user, mid), rid) in asks {
            let from = Seat {
                call: to.call.clone(),
                user,
            };
            self.start_picture(&to, (&from, mid), Some(rid), now);
        }
    }
}

/// The layers `p` gets of the pictures in `call` with layers; returns the layers to ask a
/// keyframe of (sender and mid, layer). Sound goes first; each thumbnail then takes its
/// lowest layer; the large pictures share what is left.
fn choose_for(
    p: &mut Participant,
    call: &HashMap<(UserId, Mid), Vec<(Rid, u32)>>,
    now: Instant,
) -> Vec<((UserId, Mid), Rid)> {
    let sounds = (p.tracks_out.iter())
        .filter(|t| t.kind == MediaKind::Audio && t.open_mid().is_some())
        .count() as u32;
    let total = p.estimate.bits();
    let mut budget = total.saturating_sub(AUDIO_SHARE * sounds);
    let mut large = 0u32;
    for t in (p.tracks_out.iter()).filter(|t| t.open_mid().is_some()) {
        let Some(layers) = t.source().and_then(|s| call.get(&s)) else {
            continue;
        };
        match t.layer.tile {
            Tile::Thumbnail => budget = budget.saturating_sub(layers[0].1),
            Tile::Large => large += 1,
        }
    }
    let share = budget / large.max(1);
    let mut asks = Vec::new();
    for t in (p.tracks_out.iter_mut()).filter(|t| t.open_mid().is_some()) {
        let Some(source) = t.source() else { continue };
        let Some(layers) = call.get(&source) else {
            continue;
        };
        let estimate = match t.layer.tile {
            // What was set aside for it, unless the estimate could not cover even that.
            Tile::Thumbnail => layers[0].1.min(total),
            Tile::Large => share,
        };
        let moved = t.layer.decide(layers, estimate, now);
        if let Some(rid) = moved.or(t.layer.waiting_for()) {
            asks.push((source, rid));
        }
    }
    asks
}

fn request_keyframe(p: &mut Participant, mid: Mid, rid: Option<Rid>) {
    if let Some(mut w) = p.rtc.writer(mid) {
        let _ = w.request_keyframe(rid, KeyframeRequestKind::Pli);
        p.dirty = true;
    }
}

//! A receiver who starts a picture gets it at once: the frames since the sender's last
//! keyframe, kept for this (`gop.rs`), or else the keyframe asked for (at most once a
//! second per layer, `throttle.rs`), as a receiver moving to another layer does.

use std::time::Instant;

use str0m::media::{MediaKind, Mid, Rid};

use super::poll::forward;
use super::Hub;
use crate::sfu::Seat;

impl Hub {
    /// `to` starts receiving `from`'s picture on `mid` (layer `rid`), or moves to that layer.
    pub(super) fn start_picture(
        &mut self,
        to: &Seat,
        (from, mid): (&Seat, Mid),
        rid: Option<Rid>,
        now: Instant,
    ) {
        if !self.catch_up(to, (from, mid), rid) {
            self.ask_keyframe(from, mid, rid, now);
        }
    }

    /// Sends `to` the frames of `from`'s layer kept since its last keyframe, if it has not
    /// had any of that picture yet; whether they went.
    fn catch_up(&mut self, to: &Seat, (from, mid): (&Seat, Mid), rid: Option<Rid>) -> bool {
        let frames = (self.parts.iter_mut())
            .find(|p| &p.seat == from)
            .and_then(|p| {
                (p.tracks_in.iter_mut()).find(|t| t.mid == mid && t.kind == MediaKind::Video)
            })
            .map(|t| t.gop(rid).catch_up())
            .unwrap_or_default();
        if frames.is_empty() {
            return false;
        }
        let Some(p) = self.parts.iter_mut().find(|p| &p.seat == to) else {
            return false;
        };
        let source = (from.user, mid);
        let fresh = |p: &crate::sfu::participant::Participant| {
            (p.tracks_out.iter())
                .any(|t| t.source() == Some(source) && t.open_mid().is_some() && !t.forwarded)
        };
        if !fresh(p) {
            return false;
        }
        for f in &frames {
            forward(p, source, f);
        }
        !fresh(p)
    }
}

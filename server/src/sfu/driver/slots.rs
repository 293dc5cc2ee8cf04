//! What a newcomer to a call receives: the tracks the others send already, and a slot for
//! each track of those whose connection is not up yet (`sfu::Slots`). str0m tells what a
//! connection sends only once it is up, and when a call moves to the relay everyone
//! connects within a second or two: without slots each would be offered the others' tracks
//! as each came up, one negotiation per other participant. A connection that comes up fills
//! the slots kept for it; those it sends nothing for are stopped.

use std::time::Instant;

use str0m::media::{MediaKind, Mid};

use super::{Found, Hub};
use crate::sfu::participant::Participant;
use crate::sfu::{Seat, Slots};
use hearth_shared::UserId;

/// The participants whose connection came up in one batch of what polling found.
pub(super) fn came_up(found: &[Found]) -> Vec<Seat> {
    (found.iter())
        .filter_map(|f| match f {
            Found::Up(seat) => Some(seat.clone()),
            _ => None,
        })
        .collect()
}

impl Hub {
    /// The newcomer `p` is to receive what its call's others send, and what those it is to
    /// `expect` will send once their connection is up.
    pub(super) fn welcome(&self, p: &mut Participant, expect: Slots) {
        let call = &p.seat.call;
        let others: Vec<&Participant> = (self.parts.iter())
            .filter(|o| &o.seat.call == call)
            .collect();
        for other in &others {
            for t in &other.tracks_in {
                p.receive((other.seat.user, t.mid), t.kind);
            }
        }
        // What those whose connection is up send came above; the others get slots.
        let up = |u: &UserId| (others.iter()).any(|o| o.seat.user == *u && o.rtc.is_connected());
        let me = p.seat.user;
        for user in expect.from.into_iter().filter(|u| !up(u) && *u != me) {
            p.expect(user, MediaKind::Audio);
            if expect.video {
                p.expect(user, MediaKind::Video);
            }
        }
    }

    /// `seat` sends a track: the others of its call receive it, on a slot kept for it if
    /// they have one; a slot answered already flows at once, and its picture starts.
    pub(super) fn track_found(&mut self, seat: Seat, mid: Mid, kind: MediaKind, now: Instant) {
        let mut started = Vec::new();
        for p in self.others(&seat) {
            if p.receive((seat.user, mid), kind).is_some() && kind == MediaKind::Video {
                started.push(p.seat.clone());
            }
        }
        for to in started {
            self.start_picture(&to, (&seat, mid), None, now);
        }
    }

    /// The connections in `up` said what they send in the same poll as they came up (all
    /// their tracks were found with them): the slots of theirs still empty go.
    pub(super) fn unslot(&mut self, up: Vec<Seat>) {
        for seat in up {
            for p in self.others(&seat) {
                p.unslot(seat.user);
            }
        }
    }
}

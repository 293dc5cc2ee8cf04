//! One participant's connection to the SFU: its `Rtc`, the tracks it sends (in) and the
//! tracks of others it receives (out), and the server's offers of those.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use str0m::change::{SdpAnswer, SdpOffer, SdpPendingOffer};
use str0m::crypto::{from_feature_flags, CryptoProvider};
use str0m::media::{Direction, MediaKind, Mid, Rid};
use str0m::{Candidate, Rtc};

use super::congestion::{Estimate, REPORT_EVERY};
use super::gop::Gop;
use super::simulcast::{LayerOut, Layers};
use super::throttle::Throttle;
use super::{Seat, SfuError};
use hearth_shared::call::Tile;
use hearth_shared::UserId;

/// A track this participant sends.
pub(super) struct TrackIn {
    pub(super) mid: Mid,
    pub(super) kind: MediaKind,
    /// Its simulcast layers as they arrive (none: it is not simulcast).
    pub(super) layers: Layers,
    /// Keyframe requests, per layer (none: the track without layers).
    pub(super) keyframes: Vec<(Option<Rid>, Throttle)>,
    /// A video track's frames since its last keyframe, per layer, for receivers who start.
    pub(super) gops: Vec<(Option<Rid>, Gop)>,
}

impl TrackIn {
    pub(super) fn new(mid: Mid, kind: MediaKind) -> TrackIn {
        TrackIn {
            mid,
            kind,
            layers: Layers::default(),
            keyframes: Vec::new(),
            gops: Vec::new(),
        }
    }

    /// The frames kept of layer `rid` since its last keyframe.
    pub(super) fn gop(&mut self, rid: Option<Rid>) -> &mut Gop {
        let i = match self.gops.iter().position(|g| g.0 == rid) {
            Some(i) => i,
            None => {
                self.gops.push((rid, Gop::default()));
                self.gops.len() - 1
            }
        };
        &mut self.gops[i].1
    }

    /// The keyframe throttle of layer `rid`.
    pub(super) fn throttle(&mut self, rid: Option<Rid>) -> &mut Throttle {
        let i = match self.keyframes.iter().position(|k| k.0 == rid) {
            Some(i) => i,
            None => {
                self.keyframes.push((rid, Throttle::default()));
                self.keyframes.len() - 1
            }
        };
        &mut self.keyframes[i].1
    }
}

/// Where a track this participant receives stands in the server's offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OutState {
    /// Not offered yet.
    ToOffer,
    /// In the offer waiting for an answer, on this mid.
    Offered(Mid),
    /// Answered: media flows on this mid.
    Open(Mid),
    /// In the offer waiting for an answer, but its sender left meanwhile: stopped once
    /// answered, forgotten if that offer is dropped.
    Withdrawn(Mid),
    /// Its sender left: to be stopped in the next offer.
    ToStop(Mid),
    /// Stopped in the offer waiting for an answer.
    Stopping(Mid),
}

/// A track of another participant that this one receives.
pub(super) struct TrackOut {
    /// Whose track.
    pub(super) from: UserId,
    /// Its mid on their connection; none while it is a slot kept for a track they will
    /// send but have not offered yet (see [`Participant::expect`]).
    pub(super) from_mid: Option<Mid>,
    pub(super) kind: MediaKind,
    state: OutState,
    /// Which of its simulcast layers this participant gets.
    pub(super) layer: LayerOut,
    /// Whether any of its frames was written to this participant yet.
    pub(super) forwarded: bool,
}

impl TrackOut {
    /// Whose track and its mid on their connection, once they send it.
    pub(super) fn source(&self) -> Option<(UserId, Mid)> {
        self.from_mid.map(|mid| (self.from, mid))
    }

    /// The mid it flows on to this participant, once answered.
    pub(super) fn open_mid(&self) -> Option<Mid> {
        match self.state {
            OutState::Open(m) => Some(m),
            _ => None,
        }
    }
}

/// One participant connected to the SFU.
pub(super) struct Participant {
    pub(super) seat: Seat,
    pub(super) rtc: Rtc,
    pub(super) tracks_in: Vec<TrackIn>,
    pub(super) tracks_out: Vec<TrackOut>,
    /// When its connection next wants the time.
    pub(super) wake: Instant,
    /// It has had input (a packet, media to forward, a change) since it was last polled.
    pub(super) dirty: bool,
    /// Whether what it sends is forwarded (a broadcast's viewer: no).
    pub(super) sends: bool,
    /// The server's offer waiting for this participant's answer.
    pending: Option<SdpPendingOffer>,
    /// How it shows others' pictures (`shows`); a picture not named is shown large.
    pub(super) tiles: Vec<(UserId, Tile)>,
    /// What the network to this participant carries, from the loss it reports.
    pub(super) estimate: Estimate,
    /// Bits forwarded to it, and the most it reported lost of any track (0..1), since the
    /// estimate was last updated.
    pub(super) sent_bits: u64,
    pub(super) loss: f32,
}

/// Video packets kept per track sent, to resend on a NACK. str0m keeps at most 3 s of them,
/// and at most 1,000: 180 packets a 500 kbit/s camera, about 280 KiB of the SFU's memory per
/// forwarded track (bench/sfu.sh). 100 is 1.7 s of such a camera, 0.4 s at 2.5 Mbit/s: more
/// than a NACK's round trip needs.
const SEND_BUFFER_VIDEO: usize = 100;

/// One crypto provider for every connection, made once.
fn crypto() -> Arc<CryptoProvider> {
    static CRYPTO: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    CRYPTO
        .get_or_init(|| Arc::new(from_feature_flags()))
        .clone()
}

impl Participant {
    /// A connection for `seat`, ICE-lite, with the media port's address as its only
    /// candidate.
    pub(super) fn new(seat: Seat, media: SocketAddr, now: Instant) -> Result<Self, SfuError> {
        let mut rtc = Rtc::builder()
            .set_ice_lite(true)
            .set_stats_interval(Some(REPORT_EVERY))
            .set_crypto_provider(crypto())
            .set_send_buffer_video(SEND_BUFFER_VIDEO)
            .build(now);
        let candidate =
            Candidate::host(media, "udp").map_err(|e| SfuError::Sdp(format!("candidate: {e}")))?;
        rtc.add_local_candidate(candidate);
        Ok(Participant {
            seat,
            rtc,
            tracks_in: Vec::new(),
            tracks_out: Vec::new(),
            pending: None,
            tiles: Vec::new(),
            estimate: Estimate::default(),
            sent_bits: 0,
            loss: 0.0,
            wake: now,
            dirty: true,
            sends: true,
        })
    }

    /// Applies the participant's offer and returns the answer. An offer of the server's
    /// still waiting is dropped: its tracks are offered again afterwards.
    pub(super) fn accept_offer(&mut self, sdp: &str) -> Result<String, SfuError> {
        let offer = SdpOffer::from_sdp_string(sdp).map_err(|e| SfuError::Sdp(e.to_string()))?;
        let answer = self
            .rtc
            .sdp_api()
            .accept_offer(offer)
            .map_err(|e| SfuError::Sdp(e.to_string()))?;
        if self.pending.take().is_some() {
            for t in &mut self.tracks_out {
                t.state = match t.state {
                    OutState::Offered(_) => OutState::ToOffer,
                    OutState::Stopping(m) => OutState::ToStop(m),
                    other => other,
                };
            }
            self.tracks_out
                .retain(|t| !matches!(t.state, OutState::Withdrawn(_)));
        }
        Ok(answer.to_sdp_string())
    }

    /// Applies the participant's answer to the server's offer: its tracks flow.
    pub(super) fn accept_answer(&mut self, sdp: &str) -> Result<(), SfuError> {
        let pending = self.pending.take().ok_or(SfuError::NoOffer)?;
        let answer = SdpAnswer::from_sdp_string(sdp).map_err(|e| SfuError::Sdp(e.to_string()))?;
        self.rtc
            .sdp_api()
            .accept_answer(pending, answer)
            .map_err(|e| SfuError::Sdp(e.to_string()))?;
        self.tracks_out
            .retain(|t| !matches!(t.state, OutState::Stopping(_)));
        for t in &mut self.tracks_out {
            t.state = match t.state {
                OutState::Offered(m) => OutState::Open(m),
                OutState::Withdrawn(m) => OutState::ToStop(m),
                other => other,
            };
        }
        Ok(())
    }

    /// This participant is to receive `from`'s track (offered at the next chance), on the
    /// slot kept for one of its kind if there is one (no offer needed); returns the mid it
    /// flows on at once if that slot is answered already.
    pub(super) fn receive(&mut self, (from, mid): (UserId, Mid), kind: MediaKind) -> Option<Mid> {
        if self
            .tracks_out
            .iter()
            .any(|t| t.source() == Some((from, mid)))
        {
            return None;
        }
        let slot = (self.tracks_out.iter_mut())
            .find(|t| t.from == from && t.kind == kind && t.from_mid.is_none());
        if let Some(t) = slot {
            t.from_mid = Some(mid);
            return t.open_mid();
        }
        self.add_out(from, Some(mid), kind);
        None
    }

    /// This participant will receive a track of `kind` from `from`, who has not offered it
    /// yet: a slot for it goes in the next offer, so that when it comes it flows at once,
    /// with no offer more. When a call moves to the relay, everyone connects at about the
    /// same time, and without slots each would be offered the others' tracks one or two at
    /// a time, as they connect: up to one negotiation per other participant, each of which
    /// holds up the browser's media while the move already keeps it busy.
    pub(super) fn expect(&mut self, from: UserId, kind: MediaKind) {
        if (self.tracks_out.iter()).all(|t| t.from != from || t.kind != kind) {
            self.add_out(from, None, kind);
        }
    }

    fn add_out(&mut self, from: UserId, from_mid: Option<Mid>, kind: MediaKind) {
        self.tracks_out.push(TrackOut {
            from,
            from_mid,
            kind,
            state: OutState::ToOffer,
            layer: LayerOut::new(self.tile_of(from)),
            forwarded: false,
        });
    }

    /// How this participant shows `user`'s picture.
    fn tile_of(&self, user: UserId) -> Tile {
        (self.tiles.iter())
            .find(|t| t.0 == user)
            .map_or(Tile::Large, |t| t.1)
    }

    /// This participant shows `user`'s picture as `tile`, from now on.
    pub(super) fn shows(&mut self, user: UserId, tile: Tile) {
        self.tiles.retain(|t| t.0 != user);
        self.tiles.push((user, tile));
        let video = |t: &&mut TrackOut| t.from == user && t.kind == MediaKind::Video;
        for t in self.tracks_out.iter_mut().filter(video) {
            t.layer.tile = tile;
        }
    }

    /// Whose tracks flow to this participant: (sender, the sender's mid).
    pub(super) fn open_sources(&self) -> Vec<(UserId, Mid)> {
        (self.tracks_out.iter())
            .filter(|t| t.open_mid().is_some())
            .filter_map(TrackOut::source)
            .collect()
    }

    /// Whose track flows to this participant on `mid`.
    pub(super) fn source_of(&self, mid: Mid) -> Option<(UserId, Mid)> {
        (self.tracks_out.iter())
            .find(|t| t.open_mid() == Some(mid))
            .and_then(TrackOut::source)
    }

    /// Stops receiving everything from `user` (they left): what flows is stopped in the
    /// next offer, what is being offered once that offer is answered, and what was not
    /// offered yet is dropped.
    pub(super) fn forget(&mut self, user: UserId) {
        self.drop_out(|t| t.from == user);
    }

    /// `user`'s connection is up, and sends what it sends: the slots kept for tracks of
    /// theirs that did not come (a camera in a video call they joined without one) go, as
    /// in [`Participant::forget`].
    pub(super) fn unslot(&mut self, user: UserId) {
        self.drop_out(|t| t.from == user && t.from_mid.is_none());
    }

    fn drop_out(&mut self, which: impl Fn(&TrackOut) -> bool) {
        self.tracks_out
            .retain(|t| !which(t) || t.state != OutState::ToOffer);
        for t in self.tracks_out.iter_mut().filter(|t| which(t)) {
            t.state = match t.state {
                OutState::Offered(m) => OutState::Withdrawn(m),
                OutState::Open(m) => OutState::ToStop(m),
                other => other,
            };
        }
    }

    /// The server's next offer, when tracks wait to be offered or stopped and no offer is
    /// in flight.
    pub(super) fn next_offer(&mut self) -> Option<String> {
        let waiting = |t: &TrackOut| matches!(t.state, OutState::ToOffer | OutState::ToStop(_));
        // Called after every packet: no SDP work unless a track waits.
        if self.pending.is_some() || !self.tracks_out.iter().any(waiting) {
            return None;
        }
        let mut change = self.rtc.sdp_api();
        let mut changed = Vec::new();
        for (i, t) in self.tracks_out.iter().enumerate() {
            match t.state {
                OutState::ToOffer => {
                    let stream = format!("u{}", t.from.0);
                    let mid =
                        change.add_media(t.kind, Direction::SendOnly, Some(stream), None, None);
                    changed.push((i, OutState::Offered(mid)));
                }
                OutState::ToStop(mid) => {
                    change.stop_media(mid);
                    changed.push((i, OutState::Stopping(mid)));
                }
                _ => {}
            }
        }
        if changed.is_empty() {
            return None;
        }
        let (offer, pending) = change.apply()?;
        for (i, state) in changed {
            self.tracks_out[i].state = state;
        }
        self.pending = Some(pending);
        Some(offer.to_sdp_string())
    }
}

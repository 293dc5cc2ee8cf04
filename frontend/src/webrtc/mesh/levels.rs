//! Every connection sampled a few times a second: the active speaker (its received audio's
//! loudness worked out from two samples, and the speaker rule, `speaker`, deciding who is
//! highlighted), and every [`QUALITY_MS`] the connection's quality (round trip, loss,
//! bitrate) for that person's tile.

use std::cell::Cell;
use std::rc::Rc;

use web_sys::{MediaStreamTrack, RtcPeerConnection};

use super::{MeshCall, MeshEvent, Phase};
use crate::webrtc::{media, stats};
use hearth_shared::call::Via;
use hearth_shared::UserId;

/// Each participant's own connection; the relay's, and the tracks each participant's media
/// arrives on there.
type Sources = (
    Vec<(UserId, RtcPeerConnection)>,
    Option<RtcPeerConnection>,
    Vec<(UserId, Vec<MediaStreamTrack>)>,
);

/// How often the audio levels are sampled for the active speaker.
const SAMPLE_MS: u32 = 400;

/// How often each connection's quality is worked out (loss over shorter spans is noise).
const QUALITY_MS: f64 = 2000.0;

impl MeshCall {
    /// Samples everyone's audio level a few times a second, and reports who speaks when
    /// that changes. A tick while the last sample is still being read is skipped: on a
    /// starved page `getStats()` can take longer than a tick, and piled-up reports only
    /// starve it more.
    pub(super) fn start_sampling(&self) {
        let weak = Rc::downgrade(&self.inner);
        let busy = Rc::new(Cell::new(false));
        let timer = gloo::timers::callback::Interval::new(SAMPLE_MS, move || {
            if busy.get() {
                return;
            }
            if let Some(inner) = weak.upgrade() {
                busy.set(true);
                MeshCall { inner }.sample_speaker(busy.clone());
            }
        });
        self.inner.borrow_mut().sampler = Some(timer);
    }

    /// Reads every connection's received audio energy, then lets the speaker rule decide.
    /// Media that now flows through the relay takes over from its own connection. One
    /// report per connection: the relay's counts each sender's tracks apart. `busy` is
    /// cleared once read.
    fn sample_speaker(&self, busy: Rc<Cell<bool>>) {
        let waiting = self.relay_waiting();
        self.update_tiles();
        let (direct, relay, shown) = self.sources();
        let weak = Rc::downgrade(&self.inner);
        wasm_bindgen_futures::spawn_local(async move {
            let mut now = Vec::new();
            for (user, pc) in direct {
                if let Ok(t) = stats::totals(&pc).await {
                    now.push((user, t));
                }
            }
            let mut got = Vec::new();
            if let Some(pc) = relay {
                let groups: Vec<_> = (shown.iter().chain(&waiting))
                    .map(|(_, tracks)| tracks.clone())
                    .collect();
                if let Ok(totals) = stats::totals_by(&pc, &groups).await {
                    let mut totals = totals.into_iter();
                    now.extend(shown.iter().map(|(u, _)| *u).zip(totals.by_ref()));
                    got.extend(waiting.iter().map(|(u, _)| *u).zip(totals));
                }
            }
            busy.set(false);
            if let Some(inner) = weak.upgrade() {
                let call = MeshCall { inner };
                call.on_levels(now);
                call.take_over(got);
            }
        });
    }

    /// Where each participant's media arrives: their own connection, or (the second and
    /// third) the relay's, with their tracks on it. Once the call is on the relay (and this
    /// side has a connection to it), the connections still open to participants are not
    /// read: the relay says who speaks, they close within seconds, and each report costs a
    /// page that is moving everyone to the relay time its pictures need.
    fn sources(&self) -> Sources {
        let m = self.inner.borrow();
        let relay = m.relay.as_ref().map(|r| r.peer.connection().clone());
        let on_relay = m.via == Via::Sfu && relay.is_some();
        let mut direct = Vec::new();
        let mut shown = Vec::new();
        for r in m.remotes.iter() {
            match (&r.peer, &r.stream) {
                (Some(_), _) if on_relay => {}
                (Some(p), _) => direct.push((r.user, p.connection().clone())),
                (None, Some(s)) if relay.is_some() => shown.push((r.user, media::tracks(s))),
                _ => {}
            }
        }
        (direct, relay, shown)
    }

    fn on_levels(&self, now: Vec<(UserId, stats::Totals)>) {
        let mut qualities = Vec::new();
        let (before, after) = {
            let mut m = self.inner.borrow_mut();
            if !matches!(m.phase, Phase::In(..)) {
                return;
            }
            let mut levels = Vec::with_capacity(now.len());
            for (user, t) in now {
                if let Some(r) = m.remotes.get_mut(user) {
                    r.arrived |= r.peer.is_none() && t.packets_in > 0.0;
                    let level = r.heard.map_or(0.0, |prev| stats::audio_level(&prev, &t));
                    r.heard = Some(t);
                    levels.push((user, level));
                    match r.graded {
                        Some(base) if t.at_ms - base.at_ms < QUALITY_MS => {}
                        Some(base) => {
                            qualities.push((user, stats::quality(&base, &t)));
                            r.graded = Some(t);
                        }
                        None => r.graded = Some(t),
                    }
                }
            }
            let before = m.speaker.who();
            // On the relay, the relay says who speaks (`on_speaker`).
            let after = match m.via {
                Via::Sfu => before,
                Via::Mesh => m.speaker.sample(&levels, js_sys::Date::now()),
            };
            (before, after)
        };
        self.relay_tiles();
        if before != after {
            self.emit(MeshEvent::Speaker(after));
        }
        for (user, q) in qualities {
            self.emit(MeshEvent::Quality(user, q));
        }
    }
}

//! Every connection sampled a few times a second: the active speaker (its received audio's
//! loudness worked out from two samples, and the speaker rule, `speaker`, deciding who is
//! highlighted), and every [`QUALITY_MS`] the connection's quality (round trip, loss,
//! bitrate) for that person's tile.

use std::rc::Rc;

use web_sys::{MediaStreamTrack, RtcPeerConnection};

use super::{MeshCall, MeshEvent, Phase};
use crate::webrtc::remotes::Remote;
use crate::webrtc::{media, stats};
use hearth_shared::call::Via;
use hearth_shared::UserId;

/// How often the audio levels are sampled for the active speaker.
const SAMPLE_MS: u32 = 400;

/// How often each connection's quality is worked out (loss over shorter spans is noise).
const QUALITY_MS: f64 = 2000.0;

impl MeshCall {
    /// Samples everyone's audio level a few times a second, and reports who speaks when
    /// that changes.
    pub(super) fn start_sampling(&self) {
        let weak = Rc::downgrade(&self.inner);
        let timer = gloo::timers::callback::Interval::new(SAMPLE_MS, move || {
            if let Some(inner) = weak.upgrade() {
                MeshCall { inner }.sample_speaker();
            }
        });
        self.inner.borrow_mut().sampler = Some(timer);
    }

    /// Reads every connection's received audio energy, then lets the speaker rule decide.
    /// Media that now flows through the relay takes over from its own connection.
    fn sample_speaker(&self) {
        self.take_over_relayed();
        self.update_tiles();
        let sources = self.sources();
        let weak = Rc::downgrade(&self.inner);
        wasm_bindgen_futures::spawn_local(async move {
            let mut now = Vec::new();
            for (user, pc, tracks) in sources {
                if let Ok(t) = stats::totals_of(&pc, tracks.as_deref()).await {
                    now.push((user, t));
                }
            }
            if let Some(inner) = weak.upgrade() {
                MeshCall { inner }.on_levels(now);
            }
        });
    }

    /// Where each participant's media arrives: their own connection, or their tracks on the
    /// relay's.
    fn sources(&self) -> Vec<(UserId, RtcPeerConnection, Option<Vec<MediaStreamTrack>>)> {
        let m = self.inner.borrow();
        let relay = m.relay.as_ref().map(|r| r.peer.connection());
        let source = |r: &Remote| match (&r.peer, relay, &r.stream) {
            (Some(p), ..) => Some((r.user, p.connection().clone(), None)),
            (None, Some(pc), Some(s)) => Some((r.user, pc.clone(), Some(media::tracks(s)))),
            _ => None,
        };
        m.remotes.iter().filter_map(source).collect()
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
        if before != after {
            self.emit(MeshEvent::Speaker(after));
        }
        for (user, q) in qualities {
            self.emit(MeshEvent::Quality(user, q));
        }
    }
}

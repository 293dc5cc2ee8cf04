//! In-call controls: microphone and camera on/off, voice to video, screenshots, switching
//! devices, the ringtone's silence button, and the once-a-second quality sample.

use std::rc::Rc;

use gloo::timers::callback::Interval;
use web_sys::MediaStream;

use super::{CallController, CallEvent, Phase};
use crate::webrtc::{media, snapshot, stats};

impl CallController {
    /// Mutes or unmutes the microphone.
    pub fn toggle_mic(&self) {
        self.toggle("audio");
    }

    /// Turns the camera picture off or on.
    pub fn toggle_camera(&self) {
        self.toggle("video");
    }

    fn toggle(&self, kind: &str) {
        if let Some(s) = self.inner.borrow().local.clone() {
            let on = media::tracks_of(&s, kind).iter().any(|t| t.enabled());
            media::set_enabled(&s, kind, !on);
        }
        self.report_local();
    }

    /// Adds the camera to a voice call (renegotiates).
    pub fn add_video(&self) {
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let track = match media::open_camera().await {
                Ok(t) => t,
                Err(e) => return this.emit(CallEvent::Warning(e)),
            };
            let local = this
                .inner
                .borrow()
                .local
                .clone()
                .or_else(|| MediaStream::new().ok());
            let Some(local) = local else { return };
            local.add_track(&track);
            this.inner.borrow_mut().local = Some(media::handle(&local));
            // While a screen is shared the camera waits; stopping the share sends it.
            if !this.sharing() {
                if let Some(peer) = this.inner.borrow().peer() {
                    peer.send_video(Some(&track), &local);
                }
            }
            this.emit(CallEvent::LocalStream(Some(local)));
            this.report_local();
        });
    }

    /// Takes a screenshot of the friend's picture, or of this side's (camera or screen).
    pub fn screenshot(&self, mine: bool) {
        let Phase::InCall(call) = self.phase() else {
            return;
        };
        let source = if mine {
            self.shared_stream()
                .or_else(|| self.inner.borrow().local.clone())
        } else {
            let me = self.inner.borrow();
            me.friend().and_then(|r| r.stream.clone())
        };
        let Some(stream) = source else {
            return self.emit(CallEvent::Warning("There is no picture to take.".into()));
        };
        let who = if mine {
            self.inner.borrow().me.clone()
        } else {
            call.peer.username
        };
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match snapshot::take(&stream, &who).await {
                Ok(shot) => this.emit(CallEvent::Screenshot(shot)),
                Err(e) => this.emit(CallEvent::Warning(e)),
            }
        });
    }

    /// Stops the ringtone (the call keeps ringing silently).
    pub fn silence(&self) {
        self.inner.borrow_mut().ringtone = None;
        self.emit(CallEvent::Ringtone(false));
    }

    pub(super) async fn report_devices(&self) {
        let list = media::devices().await;
        let local = self.inner.borrow().local.clone();
        let in_use = |kind| local.as_ref().and_then(|l| media::device_in_use(l, kind));
        let (mic, camera) = (in_use("audio"), in_use("video"));
        self.emit(CallEvent::Devices { list, mic, camera });
    }

    /// Switches the microphone (`audio`) or camera (`video`) to another device, replacing the
    /// outgoing track without renegotiation.
    pub fn switch_device(&self, kind: &'static str, device_id: String) {
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let prefs = this.inner.borrow().prefs;
            let track = match media::open_device(kind, &device_id, prefs).await {
                Ok(t) => t,
                Err(e) => return this.emit(CallEvent::Warning(e)),
            };
            let Some(local) = this.inner.borrow().local.clone() else {
                return track.stop();
            };
            track.set_enabled(media::tracks_of(&local, kind).iter().all(|t| t.enabled()));
            // A shared screen keeps the video sender; the new camera waits for its end.
            let replaced = (kind == "video" && this.sharing())
                || this
                    .inner
                    .borrow()
                    .peer()
                    .is_some_and(|p| p.replace_track(kind, &track));
            if !replaced {
                if let Some(peer) = this.inner.borrow().peer() {
                    peer.add_track(&track, &local);
                }
            }
            media::swap_track(&local, &track);
            this.emit(CallEvent::LocalStream(Some(local)));
            this.report_local();
            this.report_devices().await;
        });
    }

    pub(super) fn start_sampling(&self) {
        let weak = Rc::downgrade(&self.inner);
        let sampler = Interval::new(1000, move || {
            let Some(inner) = weak.upgrade() else { return };
            let this = CallController { inner };
            wasm_bindgen_futures::spawn_local(async move { this.sample().await });
        });
        self.inner.borrow_mut().sampler = Some(sampler);
    }

    async fn sample(&self) {
        let Some(pc) = self.inner.borrow().peer().map(|p| p.connection().clone()) else {
            return;
        };
        let Ok(now) = stats::totals(&pc).await else {
            return;
        };
        self.arrived(&pc, &now);
        let Some(prev) = self
            .inner
            .borrow_mut()
            .friend_mut()
            .map(|r| r.graded.replace(now))
        else {
            return;
        };
        if let Some(prev) = prev {
            self.emit(CallEvent::Quality(stats::quality(&prev, &now)));
        }
    }
}

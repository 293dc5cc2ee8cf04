//! Choosing the microphone and camera during a room call: the new device's track replaces
//! the old one on every connection (no renegotiation), and the list of devices, with the
//! ones in use, is reported for the pickers.

use super::{MeshCall, MeshEvent};
use crate::webrtc::media;

impl MeshCall {
    /// Switches the microphone (`audio`) or camera (`video`) to another device.
    pub fn switch_device(&self, kind: &'static str, device_id: String) {
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let prefs = this.inner.borrow().prefs;
            let track = match media::open_device(kind, &device_id, prefs).await {
                Ok(t) => t,
                Err(e) => return this.emit(MeshEvent::Warning(e)),
            };
            let Some(local) = this.inner.borrow().local.clone() else {
                return track.stop();
            };
            track.set_enabled(media::tracks_of(&local, kind).iter().all(|t| t.enabled()));
            // A shared screen keeps the video senders; the new camera waits for its end.
            if !(kind == "video" && this.sharing()) {
                this.each_sender(|peer| {
                    if !peer.replace_track(kind, &track) {
                        peer.add_track(&track, &local);
                    }
                });
            }
            media::swap_track(&local, &track);
            this.emit(MeshEvent::LocalStream(local));
            this.report_local();
            this.refresh_recording();
            this.report_devices().await;
        });
    }

    /// Tells the screen which microphones and cameras there are, and which are in use.
    pub(super) async fn report_devices(&self) {
        let list = media::devices().await;
        let local = self.inner.borrow().local.clone();
        let in_use = |kind| local.as_ref().and_then(|l| media::device_in_use(l, kind));
        let (mic, camera) = (in_use("audio"), in_use("video"));
        self.emit(MeshEvent::Devices { list, mic, camera });
    }
}

//! What this side sends: tracks added and removed, pictures swapped on a sender without
//! renegotiation, and receive-only transceivers when there is nothing to send.

use wasm_bindgen::JsCast;
use web_sys::{
    MediaStream, MediaStreamTrack, RtcRtpSender, RtcRtpTransceiver, RtcRtpTransceiverDirection,
    RtcRtpTransceiverInit,
};

use super::Peer;

impl Peer {
    /// With no devices of its own, the offering side still asks to receive (an offer needs
    /// media sections), so the call goes on: this side hears and sees the friend.
    pub fn receive_only(&self, video: bool) {
        let init = RtcRtpTransceiverInit::new();
        init.set_direction(RtcRtpTransceiverDirection::Recvonly);
        self.pc.add_transceiver_with_str_and_init("audio", &init);
        if video {
            self.pc.add_transceiver_with_str_and_init("video", &init);
        }
    }

    /// Sends one more track (e.g. the camera in a call that was voice only); renegotiates.
    /// To the media relay it goes on a new m-line of its own: `addTrack` would take over one
    /// the relay offered to send this side someone else's media, which the relay does not
    /// take for a new track (a shared screen's sound reached nobody).
    pub fn add_track(&self, track: &MediaStreamTrack, stream: &MediaStream) -> RtcRtpSender {
        if !self.neg.borrow().layered {
            return self.pc.add_track_0(track, stream);
        }
        let init = RtcRtpTransceiverInit::new();
        init.set_direction(RtcRtpTransceiverDirection::Sendonly);
        init.set_streams(&js_sys::Array::of1(stream));
        (self.pc)
            .add_transceiver_with_media_stream_track_and_init(track, &init)
            .sender()
    }

    /// Stops sending `track`, if this connection sends it; renegotiates.
    pub fn stop_sending(&self, track: &MediaStreamTrack) {
        let sender = self
            .pc
            .get_senders()
            .iter()
            .filter_map(|s| s.dyn_into::<RtcRtpSender>().ok())
            .find(|s| s.track().is_some_and(|t| t.id() == track.id()));
        if let Some(s) = sender {
            self.pc.remove_track(&s);
        }
    }

    /// Stops sending what `sender` sends and drops its track from the call; renegotiates.
    pub fn remove_sender(&self, sender: &RtcRtpSender) {
        self.pc.remove_track(sender);
    }

    /// Sends `track` as this side's picture (None: nothing). An existing video sender gets
    /// it without renegotiation, including one emptied earlier; otherwise a track is added.
    pub fn send_video(&self, track: Option<&MediaStreamTrack>, stream: &MediaStream) {
        let emptied = || {
            self.pc
                .get_transceivers()
                .iter()
                .filter_map(|t| t.dyn_into::<RtcRtpTransceiver>().ok())
                .find(|t| {
                    t.sender().track().is_none()
                        && t.receiver().track().kind() == "video"
                        && matches!(
                            t.direction(),
                            RtcRtpTransceiverDirection::Sendrecv
                                | RtcRtpTransceiverDirection::Sendonly
                        )
                })
                .map(|t| t.sender())
        };
        match self.sender_of("video").or_else(emptied) {
            Some(sender) => {
                let _ = sender.replace_track(track);
            }
            None => {
                if let Some(track) = track {
                    self.add_track(track, stream);
                }
            }
        }
    }

    fn sender_of(&self, kind: &str) -> Option<RtcRtpSender> {
        self.pc
            .get_senders()
            .iter()
            .filter_map(|s| s.dyn_into::<RtcRtpSender>().ok())
            .find(|s| s.track().is_some_and(|t| t.kind() == kind))
    }

    /// Replaces what the sender of this kind sends, without renegotiation. False when no
    /// sender of that kind exists (then a track must be added instead).
    pub fn replace_track(&self, kind: &str, track: &MediaStreamTrack) -> bool {
        match self.sender_of(kind) {
            Some(s) => {
                let _ = s.replace_track(Some(track));
                true
            }
            None => false,
        }
    }
}

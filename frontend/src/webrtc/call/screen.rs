//! Screen sharing in a call: the screen replaces the camera picture on the same sender (no
//! renegotiation), or is added in a voice call (renegotiation); its audio, when the browser
//! gives one, goes as an extra track. Stopping, from the app or the browser's own "Stop
//! sharing" bar, brings the camera back (or nothing, in a voice call). A call moving to the
//! media relay takes the screen with it.

use std::rc::Rc;

use gloo::events::EventListener;
use web_sys::{MediaStream, RtcRtpSender};

use super::{CallController, CallEvent, Phase};
use crate::webrtc::peer::Peer;
use crate::webrtc::{media, screen};

/// A screen being shared.
pub(super) struct Sharing {
    stream: MediaStream,
    audio_sender: Option<RtcRtpSender>,
    _ended: Option<EventListener>,
}

impl CallController {
    /// Whether this browser can share a screen at all.
    pub fn can_share_screen() -> bool {
        screen::supported()
    }

    /// Asks for a screen and sends it in place of the camera.
    pub fn share_screen(&self) {
        if self.inner.borrow().sharing.is_some() || !matches!(self.phase(), Phase::InCall(_)) {
            return;
        }
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let stream = match screen::open(screen::For::Friend).await {
                Ok(Some(s)) => s,
                Ok(None) => return,
                Err(e) => return this.emit(CallEvent::Warning(e)),
            };
            let in_call = matches!(this.phase(), Phase::InCall(_));
            if !in_call || this.inner.borrow().sharing.is_some() {
                return media::stop(&stream);
            }
            let Some(video) = media::tracks_of(&stream, "video").into_iter().next() else {
                return media::stop(&stream);
            };
            let audio_sender = {
                let me = this.inner.borrow();
                let Some(peer) = me.peer() else {
                    drop(me);
                    return media::stop(&stream);
                };
                put_screen(peer, &stream, me.local.as_ref())
            };
            // The browser's own stop button ends the track.
            let weak = Rc::downgrade(&this.inner);
            let ended = EventListener::once(&video, "ended", move |_| {
                if let Some(inner) = weak.upgrade() {
                    CallController { inner }.stop_sharing();
                }
            });
            this.inner.borrow_mut().sharing = Some(Sharing {
                stream: media::handle(&stream),
                audio_sender,
                _ended: Some(ended),
            });
            this.emit(CallEvent::Sharing(Some(stream)));
            this.report_local();
        });
    }

    /// Stops sharing: the camera goes back on the same sender (or nothing in a voice call).
    pub fn stop_sharing(&self) {
        let Some(sharing) = self.inner.borrow_mut().sharing.take() else {
            return;
        };
        {
            let me = self.inner.borrow();
            if let Some(peer) = me.peer() {
                let camera = me
                    .local
                    .as_ref()
                    .and_then(|l| media::tracks_of(l, "video").into_iter().next());
                peer.send_video(
                    camera.as_ref(),
                    me.local.as_ref().unwrap_or(&sharing.stream),
                );
                if let Some(sender) = &sharing.audio_sender {
                    peer.remove_sender(sender);
                }
            }
        }
        media::stop(&sharing.stream);
        self.emit(CallEvent::Sharing(None));
        self.report_local();
    }
}

impl CallController {
    /// The screen being shared (if any) goes on `peer`, a new connection to the relay in
    /// place of the one it went on.
    pub(super) fn share_on(&self, peer: &Peer) {
        let mut guard = self.inner.borrow_mut();
        let me = &mut *guard;
        let Some(sharing) = me.sharing.as_mut() else {
            return;
        };
        sharing.audio_sender = put_screen(peer, &sharing.stream, me.local.as_ref());
    }
}

/// Sends the screen `stream` on `peer` in the camera's place, grouped with the microphone
/// (`local`) so the friend plays one stream; its sound, if any, on a track of its own,
/// whose sender is returned.
fn put_screen(
    peer: &Peer,
    stream: &MediaStream,
    local: Option<&MediaStream>,
) -> Option<RtcRtpSender> {
    let group = local.map_or_else(|| media::handle(stream), media::handle);
    if let Some(video) = media::tracks_of(stream, "video").first() {
        peer.send_video(Some(video), &group);
    }
    media::tracks_of(stream, "audio")
        .first()
        .map(|a| peer.add_track(a, &group))
}

impl Sharing {
    /// The screen's stream.
    pub(super) fn stream(&self) -> &MediaStream {
        &self.stream
    }
}

impl CallController {
    /// The screen being shared, if any.
    pub(super) fn shared_stream(&self) -> Option<MediaStream> {
        let me = self.inner.borrow();
        me.sharing.as_ref().map(|s| media::handle(&s.stream))
    }

    /// Whether a screen is being shared.
    pub(super) fn sharing(&self) -> bool {
        self.inner.borrow().sharing.is_some()
    }

    /// Ends any sharing without touching the peer (the call is over).
    pub(super) fn drop_sharing(&self) {
        let sharing = self.inner.borrow_mut().sharing.take();
        if let Some(s) = sharing {
            media::stop(&s.stream);
            self.emit(CallEvent::Sharing(None));
        }
    }
}

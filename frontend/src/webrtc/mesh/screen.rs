//! Sharing a screen in a room call: the screen replaces the camera picture on every
//! connection (a voice call adds it, which renegotiates that pair), and goes to anyone who
//! joins while it is shared. Stopping, from the app or the browser's own "Stop sharing" bar,
//! brings the camera back. The screen's own sound, when the browser gives one, goes as one
//! more track on every connection (which renegotiates each pair) and stops with it.

use std::rc::Rc;

use gloo::events::EventListener;
use web_sys::{MediaStream, MediaStreamTrack};

use super::{MeshCall, MeshEvent, Phase};
use crate::webrtc::peer::Peer;
use crate::webrtc::{media, screen};

/// A screen being shared.
pub(super) struct Sharing {
    stream: MediaStream,
    _ended: EventListener,
}

impl Sharing {
    /// The screen's stream.
    pub(super) fn stream(&self) -> &MediaStream {
        &self.stream
    }

    fn video(&self) -> Option<MediaStreamTrack> {
        media::tracks_of(&self.stream, "video").into_iter().next()
    }

    /// The screen's own sound, if the browser captured one.
    pub(super) fn audio(&self) -> Option<MediaStreamTrack> {
        media::tracks_of(&self.stream, "audio").into_iter().next()
    }
}

impl MeshCall {
    /// Whether this browser can share a screen.
    pub fn can_share_screen() -> bool {
        screen::supported()
    }

    /// Asks for a screen and sends it to everyone in place of the camera.
    pub fn share_screen(&self) {
        let in_call = |this: &MeshCall| matches!(this.inner.borrow().phase, Phase::In(..));
        if self.inner.borrow().sharing.is_some() || !in_call(self) {
            return;
        }
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let stream = match screen::open(screen::For::Room).await {
                Ok(Some(s)) => s,
                Ok(None) => return,
                Err(e) => return this.emit(MeshEvent::Warning(e)),
            };
            let Some(video) = media::tracks_of(&stream, "video").into_iter().next() else {
                return media::stop(&stream);
            };
            if !in_call(&this) || this.inner.borrow().sharing.is_some() {
                return media::stop(&stream);
            }
            // The browser's own stop button ends the track.
            let weak = Rc::downgrade(&this.inner);
            let ended = EventListener::once(&video, "ended", move |_| {
                if let Some(inner) = weak.upgrade() {
                    MeshCall { inner }.stop_sharing();
                }
            });
            this.inner.borrow_mut().sharing = Some(Sharing {
                stream: media::handle(&stream),
                _ended: ended,
            });
            let sound = media::tracks_of(&stream, "audio").into_iter().next();
            let group = this.group();
            this.each_sender(|peer| {
                this.send_picture(peer);
                if let (Some(a), Some(group)) = (&sound, &group) {
                    peer.add_track(a, group);
                }
            });
            this.emit(MeshEvent::Sharing(Some(stream)));
            this.report_local();
            this.refresh_recording();
        });
    }

    /// Stops sharing: the camera goes back on every connection.
    pub fn stop_sharing(&self) {
        let Some(sharing) = self.inner.borrow_mut().sharing.take() else {
            return;
        };
        let sound = sharing.audio();
        self.each_sender(|peer| {
            self.send_picture(peer);
            if let Some(a) = &sound {
                peer.stop_sending(a);
            }
        });
        media::stop(&sharing.stream);
        self.emit(MeshEvent::Sharing(None));
        self.report_local();
        self.refresh_recording();
    }

    /// Sends `peer` this side's picture as it is now: the shared screen, or the camera.
    pub(super) fn send_picture(&self, peer: &Peer) {
        let m = self.inner.borrow();
        let camera = m
            .local
            .as_ref()
            .and_then(|l| media::tracks_of(l, "video").into_iter().next());
        let screen = m.sharing.as_ref().and_then(Sharing::video);
        drop(m);
        if let Some(group) = self.group() {
            peer.send_video(screen.or(camera).as_ref(), &group);
        }
    }

    /// The stream this side's tracks go out in, so each remote plays them as one.
    fn group(&self) -> Option<MediaStream> {
        let m = self.inner.borrow();
        m.local
            .clone()
            .or_else(|| m.sharing.as_ref().map(|s| media::handle(&s.stream)))
    }

    /// Whether a screen is being shared.
    pub(super) fn sharing(&self) -> bool {
        self.inner.borrow().sharing.is_some()
    }
}

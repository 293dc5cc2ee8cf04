//! Recording a room call, and screenshots of its tiles. A recording has the grid as this side sees it (names on tiles, a shared screen in
//! the large spot) and every voice mixed. Started and stopped by the user, kept up to date
//! as people come, go, share or turn their camera off, and stopped and saved however the
//! call ends. Everyone in the call is told while it lasts.

use std::rc::Rc;

use super::{Mesh, MeshCall, MeshEvent, Phase};
use crate::webrtc::media;
use crate::webrtc::recording::{
    self, picture, Layout, Progress, Recorder, RecordingStatus, Sources, Tile,
};
use crate::webrtc::snapshot;
use hearth_shared::call::ClientCall;
use hearth_shared::UserId;

impl MeshCall {
    /// Whether this browser can record.
    pub fn can_record() -> bool {
        recording::supported()
    }

    /// Starts recording the call (the composite, or the sound alone); `room` names the file.
    pub fn start_recording(&self, audio_only: bool, room: &str) {
        let Phase::In(call_id, _) = self.inner.borrow().phase.clone() else {
            return;
        };
        if self.inner.borrow().recorder.is_some() {
            return;
        }
        let name = format!("hearth-room-{}-{}.webm", file_safe(room), snapshot::stamp());
        let since_ms = js_sys::Date::now();
        let status = move |bytes| {
            MeshEvent::Recording(RecordingStatus {
                audio_only,
                bytes,
                since_ms,
            })
        };
        let weak = Rc::downgrade(&self.inner);
        let report = move |p: Progress| {
            let Some(inner) = weak.upgrade() else { return };
            let this = MeshCall { inner };
            // The last chunk comes after "Stop recording": the recording is over by then.
            if this.inner.borrow().recorder.is_none() {
                return;
            }
            match p {
                Progress::Bytes(bytes) => this.emit(status(bytes)),
                Progress::Failed(why) => {
                    this.emit(MeshEvent::Warning(why));
                    this.stop_recording();
                }
            }
        };
        let sources = sources(&self.inner.borrow());
        match Recorder::start(&sources, name, audio_only, report) {
            Ok(r) => {
                self.inner.borrow_mut().recorder = Some(r);
                self.send(ClientCall::Recording { call_id, on: true });
                self.emit(status(0));
            }
            Err(e) => self.emit(MeshEvent::Warning(format!("Cannot record: {e}"))),
        }
    }

    /// Stops recording, tells the others, and saves the file.
    pub fn stop_recording(&self) {
        let phase = self.inner.borrow().phase.clone();
        if let (Phase::In(call_id, _), true) = (phase, self.inner.borrow().recorder.is_some()) {
            self.send(ClientCall::Recording { call_id, on: false });
        }
        self.end_recording();
    }

    /// Stops any recording and saves it (the call being over tells the others).
    pub(super) fn end_recording(&self) {
        let Some(rec) = self.inner.borrow_mut().recorder.take() else {
            return;
        };
        self.emit(MeshEvent::RecordingStopped);
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let saved = rec.stop().await;
            this.emit(MeshEvent::Saved(saved));
        });
    }

    /// Shows the recording who is in the call and what they show now.
    pub(super) fn refresh_recording(&self) {
        let Ok(mut m) = self.inner.try_borrow_mut() else {
            return;
        };
        if m.recorder.is_none() {
            return;
        }
        let now = sources(&m);
        if let Some(r) = m.recorder.as_mut() {
            r.update(&now);
        }
    }
}

impl MeshCall {
    /// Takes the current frame of `user`'s picture at full size (None: this side's own, or
    /// the screen it shares).
    pub fn screenshot(&self, user: Option<UserId>) {
        let (stream, who) = {
            let m = self.inner.borrow();
            match user {
                None => {
                    let shared = m.sharing.as_ref().map(|s| media::handle(s.stream()));
                    (shared.or_else(|| m.local.clone()), m.me.username.clone())
                }
                Some(u) => match m.remotes.get(u) {
                    Some(r) => (r.stream.clone(), r.name.clone()),
                    None => return,
                },
            }
        };
        let Some(stream) = stream else {
            return self.emit(MeshEvent::Warning("There is no picture to take.".into()));
        };
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match snapshot::take(&stream, &who).await {
                Ok(shot) => this.emit(MeshEvent::Screenshot(shot)),
                Err(e) => this.emit(MeshEvent::Warning(e)),
            }
        });
    }
}

/// A room name as a file name: letters and digits kept (any script's), anything else a
/// dash. Outside ASCII, only spaces and control characters are dropped.
fn file_safe(name: &str) -> String {
    let keep = |c: char| c.is_ascii_alphanumeric() || !(c.is_ascii() || c.is_whitespace());
    let safe: String = name
        .chars()
        .map(|c| if keep(c) && !c.is_control() { c } else { '-' })
        .collect();
    let trimmed = safe.trim_matches('-');
    if trimmed.is_empty() {
        "call".to_owned()
    } else {
        trimmed.chars().take(40).collect()
    }
}

/// The call as this side sees it: its own tile first, then the others in the order they
/// came, and every voice.
fn sources(m: &Mesh) -> Sources {
    let shared = m.sharing.as_ref().map(|s| s.stream());
    let mine = match (shared, &m.local) {
        (Some(screen), _) => picture(Some(screen), true, true),
        (None, Some(local)) => {
            let on = media::tracks_of(local, "video").iter().any(|t| t.enabled());
            picture(Some(local), on, false)
        }
        (None, None) => picture(None, false, false),
    };
    let mut tiles = vec![Tile {
        name: m.me.username.clone(),
        picture: mine,
        own: true,
    }];
    for r in &m.remotes {
        let has_video = r
            .stream
            .as_ref()
            .is_some_and(|s| !media::tracks_of(s, "video").is_empty());
        tiles.push(Tile {
            name: r.name.clone(),
            picture: picture(r.stream.as_ref(), r.video && has_video, r.screen),
            own: false,
        });
    }
    let audio = m
        .local
        .iter()
        .chain(m.remotes.iter().filter_map(|r| r.stream.as_ref()))
        .flat_map(|s| media::tracks_of(s, "audio"))
        .collect();
    Sources {
        layout: Layout::Grid,
        tiles,
        audio,
    }
}

#[cfg(test)]
mod tests {
    use super::file_safe;

    #[test]
    fn room_names_make_safe_file_names() {
        assert_eq!(file_safe("Trip"), "Trip");
        assert_eq!(file_safe("Family / Ski 2027"), "Family---Ski-2027");
        assert_eq!(file_safe("../.."), "call");
        assert_eq!(file_safe("Ünïcode ok"), "Ünïcode-ok");
    }
}

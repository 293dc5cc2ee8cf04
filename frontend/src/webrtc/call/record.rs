//! Recording the call: started and stopped by the user, kept up to date as the call
//! changes, stopped and saved when the call ends however it ends. The friend is told while
//! it lasts.

use std::rc::Rc;

use super::{call_id, CallController, CallEvent, Ctl, Phase};
use crate::webrtc::recording::{self, picture, Layout, Progress, Recorder, Sources, Tile};
use crate::webrtc::{media, snapshot};
use hearth_shared::call::ClientCall;

impl CallController {
    /// Whether this browser can record calls.
    pub fn can_record() -> bool {
        recording::supported()
    }

    /// Starts recording the call: with the composite picture, or the sound alone.
    pub fn start_recording(&self, audio_only: bool) {
        let Phase::InCall(call) = self.phase() else {
            return;
        };
        if self.inner.borrow().recorder.is_some() {
            return;
        }
        let friend = call.peer.username;
        let sources = sources(&self.inner.borrow(), &friend);
        let name = format!("hearth-call-{friend}-{}.webm", snapshot::stamp());
        let weak = Rc::downgrade(&self.inner);
        let report = move |p: Progress| {
            let Some(inner) = weak.upgrade() else { return };
            let this = CallController { inner };
            // The last chunk comes after "Stop recording": the recording is over by then.
            if this.inner.borrow().recorder.is_none() {
                return;
            }
            match p {
                Progress::Bytes(bytes) => this.emit(CallEvent::Recording { audio_only, bytes }),
                Progress::Failed(why) => {
                    this.emit(CallEvent::Warning(why));
                    this.stop_recording();
                }
            }
        };
        match Recorder::start(&sources, name, audio_only, report) {
            Ok(r) => {
                self.inner.borrow_mut().recorder = Some(r);
                self.send(ClientCall::Recording {
                    call_id: call.id,
                    on: true,
                });
                self.emit(CallEvent::Recording {
                    audio_only,
                    bytes: 0,
                });
            }
            Err(e) => self.emit(CallEvent::Warning(format!("Cannot record: {e}"))),
        }
    }

    /// Stops recording and saves the file.
    pub fn stop_recording(&self) {
        if let Some(id) = call_id(&self.phase()) {
            if self.inner.borrow().recorder.is_some() {
                self.send(ClientCall::Recording {
                    call_id: id,
                    on: false,
                });
            }
        }
        self.end_recording();
    }

    /// Stops any recording and saves it (the friend needs no word when the call is over).
    pub(super) fn end_recording(&self) {
        let Some(rec) = self.inner.borrow_mut().recorder.take() else {
            return;
        };
        self.emit(CallEvent::RecordingStopped);
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let saved = rec.stop().await;
            this.emit(CallEvent::Saved(saved));
        });
    }

    /// Shows the recording what the call looks and sounds like now.
    pub(super) fn refresh_recording(&self) {
        let Ok(mut me) = self.inner.try_borrow_mut() else {
            return;
        };
        if me.recorder.is_none() {
            return;
        }
        let friend = match &me.phase {
            Phase::InCall(call) => call.peer.username.clone(),
            _ => return,
        };
        let now = sources(&me, &friend);
        if let Some(r) = me.recorder.as_mut() {
            r.update(&now);
        }
    }
}

/// The call as it is: both pictures and every sound.
fn sources(me: &Ctl, friend_name: &str) -> Sources {
    let remote = me.friend();
    let stream = remote.and_then(|r| r.stream.as_ref());
    let (remote_video, remote_screen) = remote.map_or((true, false), |r| (r.video, r.screen));
    let friend_has_video = stream.is_some_and(|s| !media::tracks_of(s, "video").is_empty());
    let friend = picture(stream, remote_video && friend_has_video, remote_screen);
    let shared = me.sharing.as_ref().map(|s| s.stream());
    let mine = match (shared, &me.local) {
        (Some(screen), _) => picture(Some(screen), true, true),
        (None, Some(local)) => {
            let on = media::tracks_of(local, "video").iter().any(|t| t.enabled());
            picture(Some(local), on, false)
        }
        (None, None) => picture(None, false, false),
    };
    let audio = [me.local.as_ref(), stream, shared]
        .into_iter()
        .flatten()
        .flat_map(|s| media::tracks_of(s, "audio"))
        .collect();
    Sources {
        layout: Layout::Corner,
        tiles: vec![
            Tile {
                name: friend_name.to_owned(),
                picture: friend,
                own: false,
            },
            Tile {
                name: String::new(),
                picture: mine,
                own: true,
            },
        ],
        audio,
    }
}

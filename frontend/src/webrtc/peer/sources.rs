//! What arrives on a connection, as streams: one stream for everything from the other side
//! (a browser), or one per sender (the media relay groups each sender's tracks in a stream
//! of its own, named after them).

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{
    MediaStream, MediaStreamTrack, MediaStreamTrackState, RtcPeerConnection, RtcTrackEvent,
};

use super::{Emit, PeerEvent};
use crate::webrtc::{js, media};

/// The track of a `track` event, with the tracks its sender grouped with it.
fn arrived(e: &web_sys::Event) -> Option<(MediaStreamTrack, Vec<MediaStream>)> {
    let e = e.dyn_ref::<RtcTrackEvent>()?;
    let streams = (e.streams().iter())
        .filter_map(|s| s.dyn_into::<MediaStream>().ok())
        .collect();
    Some((e.track(), streams))
}

fn add_new(to: &MediaStream, tracks: impl IntoIterator<Item = MediaStreamTrack>) {
    for track in tracks {
        if to.get_track_by_id(&track.id()).is_none() {
            to.add_track(&track);
        }
    }
}

/// Every track joins one remote stream, whatever stream its sender grouped it in, with the
/// tracks grouped with it: the first event then brings voice and picture together, before
/// the player is attached.
pub(super) fn listen_one(pc: &RtcPeerConnection, emit: Emit) -> Result<EventListener, String> {
    let remote = MediaStream::new().map_err(js::describe)?;
    Ok(EventListener::new(pc, "track", move |e| {
        let Some((track, streams)) = arrived(e) else {
            return;
        };
        add_new(&remote, std::iter::once(track));
        for s in &streams {
            add_new(&remote, media::tracks(s));
        }
        emit(PeerEvent::RemoteStream(media::handle(&remote)));
    }))
}

/// Each track joins the stream of its sender (the stream id the relay gave it), kept here
/// so that a sender's second track (their picture after their voice) joins the first. The
/// tracks of a sender who left (their m-lines stopped) have ended: they go when the sender
/// is back with new ones.
pub(super) fn listen(pc: &RtcPeerConnection, emit: Emit) -> EventListener {
    // A handful of senders: a list is smaller in the bundle than a map.
    let by_source: Rc<RefCell<Vec<(String, MediaStream)>>> = Rc::default();
    EventListener::new(pc, "track", move |e| {
        let Some((track, streams)) = arrived(e) else {
            return;
        };
        let Some(id) = streams.first().map(MediaStream::id) else {
            return;
        };
        let stream = {
            let mut known = by_source.borrow_mut();
            match known.iter().find(|(k, _)| *k == id) {
                Some((_, s)) => media::handle(s),
                None => {
                    let Ok(s) = MediaStream::new() else { return };
                    known.push((id.clone(), media::handle(&s)));
                    s
                }
            }
        };
        for old in media::tracks(&stream) {
            if old.ready_state() == MediaStreamTrackState::Ended {
                stream.remove_track(&old);
            }
        }
        add_new(&stream, std::iter::once(track));
        emit(PeerEvent::SourceStream(id, media::handle(&stream)));
    })
}

//! The offer, answer and candidate steps of perfect negotiation, each started synchronously
//! (so the browser begins before any re-render the caller triggers) and finished in a task
//! that sends the result.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{
    MediaStream, RtcIceCandidateInit, RtcPeerConnection, RtcRtpTransceiverDirection,
    RtcRtpTransceiverInit,
};

use super::{Emit, Negotiation, PeerEvent};
use crate::webrtc::js;
use hearth_shared::call::{IceCandidate, SessionDescription};

pub(super) fn local_description(pc: &RtcPeerConnection) -> Option<SessionDescription> {
    pc.local_description().and_then(|d| js::from_js(&d).ok())
}

/// Starts `setLocalDescription()` now (synchronously, so the browser begins the offer before
/// any re-render the caller triggers next) and sends the result when it is ready.
pub(super) fn make_offer(pc: RtcPeerConnection, neg: Rc<RefCell<Negotiation>>, emit: Emit) {
    neg.borrow_mut().making_offer = true;
    let started = js::start0(&pc, "setLocalDescription");
    wasm_bindgen_futures::spawn_local(finish_offer(pc, neg, emit, started));
}

pub(super) async fn finish_offer(
    pc: RtcPeerConnection,
    neg: Rc<RefCell<Negotiation>>,
    emit: Emit,
    started: Result<js_sys::Promise, String>,
) {
    let result = js::settle(started).await;
    neg.borrow_mut().making_offer = false;
    match result {
        Ok(_) => {
            if let Some(d) = local_description(&pc) {
                emit(PeerEvent::Description(d));
            }
        }
        Err(e) => gloo::console::warn!(format!("could not make an offer: {e}")),
    }
}

pub(super) fn add_tracks(pc: &RtcPeerConnection, stream: &MediaStream) {
    for track in crate::webrtc::media::tracks(stream) {
        pc.add_track_0(&track, stream);
    }
}

/// The narrowest camera sent in layers. Chromium sends fewer layers the smaller the
/// picture, dropping the top ones (one below about 480x270): a smaller camera would reach
/// everyone at half its size.
const LAYERED_FROM: i32 = 640;

/// The media relay gets this side's camera in two simulcast layers (`l` at half size, `h`
/// at full size; docs/protocol.md), so it can send each receiver the one it shows; the
/// sound as it is, and a camera narrower than [`LAYERED_FROM`] in one piece.
pub(super) fn add_layered(pc: &RtcPeerConnection, stream: &MediaStream) {
    for track in crate::webrtc::media::tracks(stream) {
        let wide = track.get_settings().get_width().unwrap_or(0) >= LAYERED_FROM;
        if track.kind() != "video" || !wide {
            pc.add_track_0(&track, stream);
            continue;
        }
        let init = RtcRtpTransceiverInit::new();
        init.set_direction(RtcRtpTransceiverDirection::Sendonly);
        init.set_streams(&js_sys::Array::of1(stream));
        let layers = r#"[{"rid":"l","scaleResolutionDownBy":2},{"rid":"h"}]"#;
        if let Ok(layers) = js_sys::JSON::parse(layers) {
            init.set_send_encodings(&layers);
        }
        pc.add_transceiver_with_media_stream_track_and_init(&track, &init);
    }
}

/// Starts answering the applied remote offer (now, synchronously), first adding any media
/// held for it.
pub(super) fn start_answer(
    pc: &RtcPeerConnection,
    neg: &Rc<RefCell<Negotiation>>,
) -> Result<js_sys::Promise, String> {
    let held = neg.borrow_mut().held.take();
    if let Some(stream) = held {
        add_tracks(pc, &stream);
    }
    js::start0(pc, "setLocalDescription")
}

/// Waits for the answer started by `start_answer` and sends it.
pub(super) async fn finish_answer(
    pc: &RtcPeerConnection,
    emit: &Emit,
    started: Result<js_sys::Promise, String>,
) {
    let result = js::settle(started).await;
    match result {
        Ok(_) => {
            if let Some(d) = local_description(pc) {
                emit(PeerEvent::Description(d));
            }
        }
        Err(e) => gloo::console::warn!(format!("could not answer: {e}")),
    }
}

/// Starts adding a remote candidate (now, synchronously); None: the other side has sent
/// them all (end of candidates).
pub(super) fn start_candidate(
    pc: &RtcPeerConnection,
    c: &Option<IceCandidate>,
) -> Result<js_sys::Promise, String> {
    let init: Option<RtcIceCandidateInit> = match c {
        Some(c) => Some(js::to_js(c)?.unchecked_into()),
        None => None,
    };
    Ok(pc.add_ice_candidate_with_opt_rtc_ice_candidate_init(init.as_ref()))
}

pub(super) async fn add_candidate(
    pc: &RtcPeerConnection,
    c: &Option<IceCandidate>,
) -> Result<(), String> {
    js::wait(start_candidate(pc, c)?).await.map(|_| ())
}

//! Polling one participant's connection: what it says goes out on the socket, and what it
//! found for the others (a track, media, a keyframe request) is handed back to the loop;
//! forwarding media to a receiver, on the layer it gets. A video track's frames since its
//! last keyframe are kept on the way (`gop.rs`).

use std::time::{Duration, Instant};

use str0m::media::{MediaKind, Mid};
use str0m::{Event, IceConnectionState, Input, Output};
use tokio::net::UdpSocket;

use super::Found;
use crate::sfu::codecs;
use crate::sfu::gop::Frame;
use crate::sfu::participant::{Participant, TrackIn};
use hearth_shared::UserId;

/// Polls one connection until it waits; returns when it next wants the time. A timer already
/// due is handled at once: media just written waits for one (str0m's pacer), and a trip
/// through the runtime's timer would add a millisecond or two to every forwarded packet.
pub(super) fn poll(
    p: &mut Participant,
    socket: &UdpSocket,
    now: Instant,
    found: &mut Vec<Found>,
) -> Instant {
    let mut timed = false;
    loop {
        if !p.rtc.is_alive() {
            return now + Duration::from_millis(100);
        }
        let out = match p.rtc.poll_output() {
            Ok(out) => out,
            Err(e) => {
                tracing::debug!("a media connection failed: {e}");
                p.rtc.disconnect();
                continue;
            }
        };
        match out {
            Output::Timeout(t) if t > now || timed => return t.max(now + Duration::from_millis(1)),
            Output::Timeout(_) => {
                timed = true;
                if p.rtc.handle_input(Input::Timeout(now)).is_err() {
                    p.rtc.disconnect();
                }
            }
            Output::Transmit(t) => {
                // UDP: a full socket buffer drops the packet, as the network would.
                let _ = socket.try_send_to(&t.contents, t.destination);
            }
            Output::Event(e) => on_event(p, e, found, now),
        }
    }
}

fn on_event(p: &mut Participant, e: Event, found: &mut Vec<Found>, now: Instant) {
    match e {
        // A viewer's media goes nowhere.
        Event::MediaAdded(_) | Event::MediaData(_) if !p.sends => {}
        Event::MediaAdded(m) if m.direction.is_receiving() => {
            p.tracks_in.push(TrackIn::new(m.mid, m.kind));
            found.push(Found::Track(p.seat.clone(), m.mid, m.kind));
        }
        Event::MediaData(d) => {
            if let Some(t) = p.tracks_in.iter_mut().find(|t| t.mid == d.mid) {
                if let Some(rid) = d.rid {
                    t.layers.heard(rid, d.data.len(), now);
                }
                if t.kind == MediaKind::Video {
                    t.gop(d.rid).heard(&Frame::of(&d), d.contiguous);
                }
            }
            found.push(Found::Media(p.seat.clone(), d));
        }
        Event::Connected => found.push(Found::Up(p.seat.clone())),
        Event::MediaEgressStats(s) => p.loss = p.loss.max(s.loss.unwrap_or(0.0)),
        Event::KeyframeRequest(r) => found.push(Found::Keyframe(p.seat.clone(), r)),
        Event::IceConnectionStateChange(IceConnectionState::Disconnected) => p.rtc.disconnect(),
        _ => {}
    }
}

/// Writes `from`'s frame `f` of their track on `mid` to `p`, on the track `p` receives it on
/// (of a simulcast picture, only the layer `p` gets).
pub(super) fn forward(p: &mut Participant, (from, mid): (UserId, Mid), f: &Frame) {
    let Some(t) = (p.tracks_out.iter_mut()).find(|t| t.source() == Some((from, mid))) else {
        return;
    };
    let Some(to) = t.open_mid() else { return };
    let keyframe = f.rid.is_some() && f.keyframe;
    let Some(passed) = t.layer.pass(f.rid, keyframe, f.time, f.at) else {
        return;
    };
    t.forwarded = true;
    let Some(w) = p.rtc.writer(to) else { return };
    let exact = w.match_params(f.params);
    let Some(pt) = codecs::payload_type(exact, || w.payload_params(), &f.params) else {
        return;
    };
    p.dirty = true;
    p.sent_bits += f.data.len() as u64 * 8;
    if let Err(e) = w.write(pt, passed.at, passed.time, f.data.clone()) {
        tracing::debug!("forwarding media failed: {e}");
    }
}

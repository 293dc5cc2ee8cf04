//! Polling one participant's connection: what it says goes out on the socket, and what it
//! found for the others (a track, media, a keyframe request) is handed back to the loop;
//! forwarding media to a receiver, on the layer it gets.

use std::time::{Duration, Instant};

use str0m::media::MediaData;
use str0m::{Event, IceConnectionState, Input, Output};
use tokio::net::UdpSocket;

use super::Found;
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
            if let Some(rid) = d.rid {
                if let Some(t) = p.tracks_in.iter_mut().find(|t| t.mid == d.mid) {
                    t.layers.heard(rid, d.data.len(), now);
                }
            }
            found.push(Found::Media(p.seat.clone(), d));
        }
        Event::MediaEgressStats(s) => p.loss = p.loss.max(s.loss.unwrap_or(0.0)),
        Event::KeyframeRequest(r) => found.push(Found::Keyframe(p.seat.clone(), r)),
        Event::IceConnectionStateChange(IceConnectionState::Disconnected) => p.rtc.disconnect(),
        _ => {}
    }
}

/// Writes `from`'s media to `p`, on the track it receives it on (of a simulcast picture,
/// only the layer `p` gets).
pub(super) fn forward(p: &mut Participant, from: UserId, data: &MediaData) {
    let Some(t) = (p.tracks_out.iter_mut()).find(|t| t.from == (from, data.mid)) else {
        return;
    };
    let Some(mid) = t.open_mid() else { return };
    let keyframe = data.rid.is_some() && data.is_keyframe();
    let Some(time) = t
        .layer
        .pass(data.rid, keyframe, data.time, data.network_time)
    else {
        return;
    };
    let Some(w) = p.rtc.writer(mid) else { return };
    let Some(pt) = w.match_params(data.params) else {
        return;
    };
    p.dirty = true;
    p.sent_bits += data.data.len() as u64 * 8;
    if let Err(e) = w.write(pt, data.network_time, time, data.data.clone()) {
        tracing::debug!("forwarding media failed: {e}");
    }
}

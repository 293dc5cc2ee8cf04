//! The SFU's task: it owns the media port's socket and every participant's connection, and
//! runs one loop: a command, the packets waiting or a timer go in; the connections that had
//! input or whose timer is due are then polled until they have nothing more to say, and what
//! one participant sends is written to the others of its call. Only those connections: with
//! a hundred participants, polling every one after every packet cost more than forwarding.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use str0m::media::{KeyframeRequest, MediaData, MediaKind, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Event, IceConnectionState, Input, Output};
use tokio::net::UdpSocket;
use tokio::sync::mpsc;

use super::participant::{Participant, TrackIn};
use super::speaker::Speakers;
use super::{Command, Seat, SfuError, SfuEvent};
use hearth_shared::call::{CallId, Tile};
use hearth_shared::UserId;

mod layers;

/// How often the layers each receiver gets are chosen again (from the estimates and the
/// layers' bitrates), and a keyframe asked again of a layer someone waits for.
const LAYERS_EVERY: Duration = Duration::from_millis(250);

/// At most this many more packets are read before the connections are polled.
const RECEIVE_BATCH: usize = 64;

/// Every connection, and where its events go.
struct Hub {
    parts: Vec<Participant>,
    /// The media port's address, as participants reach it.
    media: SocketAddr,
    events: mpsc::UnboundedSender<SfuEvent>,
    /// Who speaks, per call (from the audio-level extension of what they send).
    speakers: HashMap<CallId, Speakers>,
    /// When the simulcast layers each receiver gets are next chosen again, and when each
    /// receiver's estimate was last updated.
    next_layers: Instant,
    estimated: Instant,
    /// How participants not connected yet show others' pictures (`shows` came first).
    early_tiles: HashMap<Seat, Vec<(UserId, Tile)>>,
}

/// What polling the connections found for the others. Nearly every one is `Media`, so it
/// is not boxed: that would be one more allocation per frame.
#[allow(clippy::large_enum_variant)]
enum Found {
    /// A participant sends one more track.
    Track(Seat, Mid, MediaKind),
    /// Media to forward.
    Media(Seat, MediaData),
    /// A receiver wants a keyframe of the track on its `mid`.
    Keyframe(Seat, KeyframeRequest),
}

pub(super) async fn run(
    socket: UdpSocket,
    media: SocketAddr,
    mut commands: mpsc::UnboundedReceiver<Command>,
    events: mpsc::UnboundedSender<SfuEvent>,
) {
    let mut hub = Hub {
        parts: Vec::new(),
        media,
        events,
        speakers: HashMap::new(),
        next_layers: Instant::now(),
        estimated: Instant::now(),
        early_tiles: HashMap::new(),
    };
    let mut buf = vec![0u8; 2000];
    loop {
        let wake = hub.drive(&socket, Instant::now());
        tokio::select! {
            cmd = commands.recv() => match cmd {
                Some(cmd) => hub.command(cmd, Instant::now()),
                None => return,
            },
            got = socket.recv_from(&mut buf) => match got {
                Ok((n, source)) => {
                    hub.receive(&buf[..n], source, Instant::now());
                    // The packets that came meanwhile, before the connections are polled.
                    for _ in 0..RECEIVE_BATCH {
                        let Ok((n, source)) = socket.try_recv_from(&mut buf) else { break };
                        hub.receive(&buf[..n], source, Instant::now());
                    }
                }
                Err(e) => tracing::debug!("media port: {e}"),
            },
            // The connections whose timer is due are polled by `drive`.
            () = tokio::time::sleep_until(wake.into()) => {}
        }
    }
}

impl Hub {
    fn command(&mut self, cmd: Command, now: Instant) {
        match cmd {
            Command::Offer {
                from,
                sdp,
                sends,
                reply,
            } => {
                let answered = self.offer(from.clone(), &sdp, sends, now).map(|sdp| {
                    let _ = self.events.send(SfuEvent::Answer { to: from, sdp });
                });
                let _ = reply.send(answered);
            }
            Command::Answer { from, sdp, reply } => {
                let _ = reply.send(self.answer(&from, &sdp, now));
            }
            Command::Leave(seat) => self.leave(&seat),
            Command::Shows { seat, of, tile } => {
                match self.parts.iter_mut().find(|p| p.seat == seat) {
                    Some(p) => p.shows(of, tile),
                    // Said before its connection was made: kept for it (`offer`).
                    None => {
                        let early = self.early_tiles.entry(seat).or_default();
                        early.retain(|t| t.0 != of);
                        early.push((of, tile));
                    }
                }
                self.next_layers = now;
            }
        }
    }

    fn offer(
        &mut self,
        from: Seat,
        sdp: &str,
        sends: bool,
        now: Instant,
    ) -> Result<String, SfuError> {
        if let Some(p) = self.parts.iter_mut().find(|p| p.seat == from) {
            p.dirty = true;
            return p.accept_offer(sdp);
        }
        let mut p = Participant::new(from, self.media, now)?;
        p.sends = sends;
        let answer = p.accept_offer(sdp)?;
        for (of, tile) in self.early_tiles.remove(&p.seat).unwrap_or_default() {
            p.shows(of, tile);
        }
        // Everything the call's others already send comes to the newcomer.
        let call = p.seat.call.clone();
        for other in self.parts.iter().filter(|o| o.seat.call == call) {
            for t in &other.tracks_in {
                p.receive((other.seat.user, t.mid), t.kind);
            }
        }
        self.parts.push(p);
        Ok(answer)
    }

    fn answer(&mut self, from: &Seat, sdp: &str, now: Instant) -> Result<(), SfuError> {
        let p = self
            .parts
            .iter_mut()
            .find(|p| &p.seat == from)
            .ok_or(SfuError::NotConnected)?;
        let before: Vec<(UserId, Mid)> = p.open_sources();
        p.dirty = true;
        p.accept_answer(sdp)?;
        // A receiver that just started needs a keyframe to show anything.
        let started: Vec<(UserId, Mid)> = p
            .open_sources()
            .into_iter()
            .filter(|s| !before.contains(s))
            .collect();
        let call = from.call.clone();
        // Which layers of theirs it gets is chosen at once.
        self.next_layers = now;
        for (user, mid) in started {
            self.ask_keyframe(
                &Seat {
                    call: call.clone(),
                    user,
                },
                mid,
                None,
                now,
            );
        }
        Ok(())
    }

    fn leave(&mut self, seat: &Seat) {
        self.parts.retain(|p| &p.seat != seat);
        self.early_tiles.remove(seat);
        if !self.parts.iter().any(|p| p.seat.call == seat.call) {
            self.speakers.remove(&seat.call);
        } else if let Some(s) = self.speakers.get_mut(&seat.call) {
            s.forget(seat.user);
        }
        for p in self.parts.iter_mut().filter(|p| p.seat.call == seat.call) {
            p.forget(seat.user);
        }
    }

    fn receive(&mut self, packet: &[u8], source: SocketAddr, now: Instant) {
        let Ok(recv) = Receive::new(Protocol::Udp, source, self.media, packet) else {
            return;
        };
        let input = Input::Receive(now, recv);
        if let Some(p) = self.parts.iter_mut().find(|p| p.rtc.accepts(&input)) {
            p.dirty = true;
            if let Err(e) = p.rtc.handle_input(input) {
                tracing::debug!("media from a participant refused: {e}");
                p.rtc.disconnect();
            }
        }
    }

    /// Polls the connections that had input or whose timer is due until each waits for time
    /// or input, passing what it found to the others; returns when the next timer is due.
    fn drive(&mut self, socket: &UdpSocket, now: Instant) -> Instant {
        let mut wake = now + Duration::from_millis(100);
        if let Some(t) = self.held_keyframes(now) {
            wake = wake.min(t);
        }
        if now >= self.next_layers {
            self.estimate(now);
            self.choose_layers(now);
            self.next_layers = now + LAYERS_EVERY;
        }
        wake = wake.min(self.next_layers);
        loop {
            let mut found = Vec::new();
            for p in (self.parts.iter_mut()).filter(|p| p.dirty || p.wake <= now) {
                p.dirty = false;
                p.wake = poll(p, socket, now, &mut found);
            }
            if found.is_empty() {
                break;
            }
            for f in found {
                self.pass(f, now);
            }
        }
        for p in &self.parts {
            wake = wake.min(p.wake);
        }
        self.drop_dead();
        for (call, s) in &mut self.speakers {
            if let Some(user) = s.decide(now) {
                let call = call.clone();
                let _ = self.events.send(SfuEvent::Speaker { call, user });
            }
        }
        for p in &mut self.parts {
            if let Some(sdp) = p.next_offer() {
                let to = p.seat.clone();
                let _ = self.events.send(SfuEvent::Offer { to, sdp });
            }
        }
        wake.max(now + Duration::from_millis(1))
    }

    fn pass(&mut self, found: Found, now: Instant) {
        match found {
            Found::Track(seat, mid, kind) => {
                for p in self.others(&seat) {
                    p.receive((seat.user, mid), kind);
                }
            }
            Found::Media(seat, data) => {
                if let Some(level) = data.ext_vals.audio_level {
                    // Every audio packet comes here: the call's id is cloned only once.
                    if !self.speakers.contains_key(&seat.call) {
                        self.speakers.insert(seat.call.clone(), Speakers::default());
                    }
                    if let Some(s) = self.speakers.get_mut(&seat.call) {
                        s.hear(seat.user, level, now);
                    }
                }
                if !data.contiguous {
                    self.ask_keyframe(&seat, data.mid, data.rid, now);
                }
                for p in self.others(&seat) {
                    forward(p, seat.user, &data);
                }
            }
            Found::Keyframe(seat, req) => {
                let Some(p) = self.parts.iter().find(|p| p.seat == seat) else {
                    return;
                };
                let Some((user, mid)) = p.source_of(req.mid) else {
                    return;
                };
                let source = Seat {
                    call: seat.call,
                    user,
                };
                self.ask_keyframe(&source, mid, req.rid, now);
            }
        }
    }

    /// The others in `seat`'s call.
    fn others<'a>(&'a mut self, seat: &'a Seat) -> impl Iterator<Item = &'a mut Participant> {
        self.parts
            .iter_mut()
            .filter(move |p| p.seat.call == seat.call && p.seat.user != seat.user)
    }

    /// Connections that closed (ICE gave up, a fatal error) are out of their call.
    fn drop_dead(&mut self) {
        let dead: Vec<Seat> = self
            .parts
            .iter()
            .filter(|p| !p.rtc.is_alive())
            .map(|p| p.seat.clone())
            .collect();
        for seat in dead {
            self.leave(&seat);
        }
    }
}

/// Polls one connection until it waits; returns when it next wants the time. A timer already
/// due is handled at once: media just written waits for one (str0m's pacer), and a trip
/// through the runtime's timer would add a millisecond or two to every forwarded packet.
fn poll(p: &mut Participant, socket: &UdpSocket, now: Instant, found: &mut Vec<Found>) -> Instant {
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
fn forward(p: &mut Participant, from: UserId, data: &MediaData) {
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

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
use str0m::Input;
use tokio::net::UdpSocket;
use tokio::sync::mpsc;

use super::gop::Frame;
use super::participant::Participant;
use super::speaker::Speakers;
use super::{AnswerTo, Command, Seat, SfuError, SfuEvent, Slots};
use hearth_shared::call::{CallId, Tile};
use hearth_shared::UserId;

mod catch_up;
mod layers;
mod poll;
mod slots;

use poll::{forward, poll};
use slots::came_up;

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
    /// A participant's connection is up: what it sends is found now too (str0m tells it no
    /// sooner).
    Up(Seat),
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
                expect,
                reply,
            } => {
                let new = self.parts.iter().all(|p| p.seat != from);
                let answer = self.offer(from.clone(), &sdp, (sends, expect), now);
                let joined = new && answer.is_ok();
                match reply {
                    AnswerTo::Events(reply) => {
                        let to = from.clone();
                        let _ = reply.send(answer.map(|sdp| {
                            let _ = self.events.send(SfuEvent::Answer { to, sdp });
                        }));
                    }
                    AnswerTo::Caller(reply) => {
                        let _ = reply.send(answer);
                    }
                }
                if joined {
                    self.tell_speaker(&from);
                }
            }
            Command::Candidate(seat, candidate) => {
                if let Some(p) = self.parts.iter_mut().find(|p| p.seat == seat) {
                    p.rtc.add_remote_candidate(candidate);
                    p.dirty = true;
                }
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

    /// `from`'s offer; a newcomer's (who `sends` or not) also connects it, to receive what
    /// the call's others send and a slot for each track the senders it is to `expect` will
    /// send once they connect too.
    fn offer(
        &mut self,
        from: Seat,
        sdp: &str,
        (sends, expect): (bool, Slots),
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
        self.welcome(&mut p, expect);
        self.parts.push(p);
        Ok(answer)
    }

    /// Tells a newcomer who speaks: the others were told when that changed, maybe before
    /// the newcomer was there.
    fn tell_speaker(&self, to: &Seat) {
        if let Some(user) = self.speakers.get(&to.call).and_then(Speakers::current) {
            let (call, to) = (to.call.clone(), Some(to.user));
            let _ = self.events.send(SfuEvent::Speaker { call, user, to });
        }
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
        // A receiver that just started needs a keyframe to show anything: the frames since
        // the last one, or one asked for.
        let started: Vec<(UserId, Mid)> = p
            .open_sources()
            .into_iter()
            .filter(|s| !before.contains(s))
            .collect();
        let call = from.call.clone();
        // Which layers of theirs it gets is chosen at once.
        self.next_layers = now;
        for (user, mid) in started {
            let source = Seat {
                call: call.clone(),
                user,
            };
            self.start_picture(from, (&source, mid), None, now);
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
            let up = came_up(&found);
            for f in found {
                self.pass(f, now);
            }
            self.unslot(up);
        }
        for p in &self.parts {
            wake = wake.min(p.wake);
        }
        self.drop_dead();
        for (call, s) in &mut self.speakers {
            if let Some(user) = s.decide(now) {
                let call = call.clone();
                let _ = self.events.send(SfuEvent::Speaker {
                    call,
                    user,
                    to: None,
                });
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
            Found::Up(_) => {}
            Found::Track(seat, mid, kind) => self.track_found(seat, mid, kind, now),
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
                let frame = Frame::of(&data);
                for p in self.others(&seat) {
                    forward(p, (seat.user, data.mid), &frame);
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
            let _ = self.events.send(SfuEvent::Gone(seat));
        }
    }
}

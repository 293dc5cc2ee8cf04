//! One synthetic participant on str0m: it connects to the SFU, publishes a camera of
//! `FRAME_BYTES` a frame at 30 frames a second (about 500 kbit/s; each frame carries its
//! number and the instant it was sent), or a broadcast's bigger one, or (a viewer) only
//! watches; answers the SFU's offers of what the call's others send, and records each frame
//! it receives, and a viewer how long its first took, in [`Stats`].

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use str0m::change::{SdpAnswer, SdpOffer, SdpPendingOffer};
use str0m::format::Codec;
use str0m::media::{Direction, MediaData, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, Input, Output, Rtc};
use tokio::net::UdpSocket;
use tokio::sync::watch;

use crate::pipe::{Pipe, Signal};
use crate::stats::{epoch, Stats};

/// 500 kbit/s at 30 frames a second.
pub const FRAME_BYTES: usize = 500_000 / 8 / 30;
const FRAME_EVERY: Duration = Duration::from_micros(33_333);

/// What a client does.
#[derive(Clone, Copy)]
pub enum Role {
    /// Publishes a camera of this many bytes a frame, and receives the call's others.
    Publish(usize),
    /// A broadcast's viewer: offers only a data channel, sends nothing, receives the host.
    Watch,
}

/// Who a client is.
pub struct Seat {
    pub call: String,
    pub user: u32,
}

struct Client {
    rtc: Rtc,
    socket: UdpSocket,
    addr: SocketAddr,
    pending: Option<SdpPendingOffer>,
    camera: Option<Mid>,
    frame_bytes: usize,
    sent: u64,
    /// When it asked to join, until its first frame arrives.
    joining: Option<Instant>,
    started: Option<Instant>,
    /// The last frame number received on each mid.
    last: HashMap<Mid, u64>,
    stats: Arc<Stats>,
}

/// Runs one participant until `stop` turns true; then it leaves.
pub async fn run(
    (seat, role): (Seat, Role),
    pipe: Pipe,
    stats: Arc<Stats>,
    mut stop: watch::Receiver<bool>,
) {
    let mut signals = pipe.listen(&seat.call, seat.user);
    let mut c = Client::new(stats);
    match role {
        Role::Publish(bytes) => {
            c.frame_bytes = bytes;
            let offer = c.offer_camera();
            pipe.send("offer", &seat.call, seat.user, &offer);
        }
        Role::Watch => {
            c.joining = Some(Instant::now());
            let offer = c.offer_channel();
            pipe.send("watch", &seat.call, seat.user, &offer);
        }
    }
    let mut buf = vec![0u8; 2000];
    loop {
        let wake = c.drain();
        let next = c.next_frame().map_or(wake, |f| f.min(wake));
        tokio::select! {
            got = c.socket.recv_from(&mut buf) => {
                if let Ok((n, from)) = got {
                    c.input(&buf[..n], from);
                    while let Ok((n, from)) = c.socket.try_recv_from(&mut buf) {
                        c.input(&buf[..n], from);
                    }
                }
            }
            s = signals.recv() => match s {
                Some(s) => c.signal(s, &seat, &pipe),
                None => return,
            },
            () = tokio::time::sleep_until(next.into()) => c.tick(),
            _ = stop.changed() => {
                pipe.send("leave", &seat.call, seat.user, "");
                return;
            }
        }
    }
}

impl Client {
    fn new(stats: Arc<Stats>) -> Client {
        let socket = client_socket();
        let addr = socket.local_addr().expect("addr");
        let mut rtc = Rtc::builder().build(Instant::now());
        rtc.add_local_candidate(Candidate::host(addr, "udp").expect("candidate"));
        Client {
            rtc,
            socket,
            addr,
            pending: None,
            camera: None,
            frame_bytes: FRAME_BYTES,
            sent: 0,
            joining: None,
            started: None,
            last: HashMap::new(),
            stats,
        }
    }

    fn offer_camera(&mut self) -> String {
        let mut change = self.rtc.sdp_api();
        let mid = change.add_media(
            MediaKind::Video,
            Direction::SendOnly,
            Some("me".into()),
            None,
            None,
        );
        self.camera = Some(mid);
        let (offer, pending) = change.apply().expect("an offer");
        self.pending = Some(pending);
        offer.to_sdp_string()
    }

    /// A viewer's offer: a data channel, to open the connection; the SFU offers the rest.
    fn offer_channel(&mut self) -> String {
        let mut change = self.rtc.sdp_api();
        change.add_channel("watch".into());
        let (offer, pending) = change.apply().expect("an offer");
        self.pending = Some(pending);
        offer.to_sdp_string()
    }

    fn signal(&mut self, s: Signal, seat: &Seat, pipe: &Pipe) {
        match s {
            Signal::Answer(sdp) => {
                let answer = SdpAnswer::from_sdp_string(&sdp).expect("an answer");
                let pending = self.pending.take().expect("an offer of ours");
                (self.rtc.sdp_api())
                    .accept_answer(pending, answer)
                    .expect("the answer applies");
            }
            Signal::Offer(sdp) => {
                let offer = SdpOffer::from_sdp_string(&sdp).expect("an offer");
                let answer = (self.rtc.sdp_api())
                    .accept_offer(offer)
                    .expect("the offer applies");
                pipe.send("answer", &seat.call, seat.user, &answer.to_sdp_string());
            }
            Signal::Error(e) => {
                eprintln!("the SFU refused user {}: {e}", seat.user);
                self.stats.error();
            }
        }
    }

    fn input(&mut self, packet: &[u8], from: SocketAddr) {
        if let Ok(r) = Receive::new(Protocol::Udp, from, self.addr, packet) {
            let _ = self.rtc.handle_input(Input::Receive(Instant::now(), r));
        }
    }

    /// When the next frame is due, once connected; never for a viewer, who sends none.
    fn next_frame(&self) -> Option<Instant> {
        self.camera?;
        let started = self.started?;
        Some(started + FRAME_EVERY * self.sent as u32)
    }

    fn tick(&mut self) {
        let now = Instant::now();
        let _ = self.rtc.handle_input(Input::Timeout(now));
        let Some(due) = self.next_frame().filter(|&due| due <= now) else {
            return;
        };
        let Some(mid) = self.camera else { return };
        let Some(w) = self.rtc.writer(mid) else {
            return;
        };
        let Some(pt) = (w.payload_params())
            .find(|p| p.spec().codec == Codec::Vp8)
            .map(|p| p.pt())
        else {
            return;
        };
        let time = MediaTime::new(self.sent * 3000, str0m::media::Frequency::NINETY_KHZ);
        let frame = stamped(self.sent, now, self.frame_bytes);
        if w.write(pt, now, time, frame).is_ok() {
            self.stats.sent(now - due);
            self.sent += 1;
        }
    }

    /// Handles everything the connection has to say; returns when it next wants the time.
    fn drain(&mut self) -> Instant {
        loop {
            match self.rtc.poll_output() {
                Ok(Output::Timeout(t)) => return t,
                Ok(Output::Transmit(t)) => {
                    let _ = self.socket.try_send_to(&t.contents, t.destination);
                }
                Ok(Output::Event(Event::Connected)) => {
                    self.started = Some(Instant::now());
                }
                Ok(Output::Event(Event::MediaData(d))) => self.received(&d),
                Ok(Output::Event(_)) => {}
                Err(_) => return Instant::now() + Duration::from_secs(1),
            }
        }
    }

    fn received(&mut self, d: &MediaData) {
        let (Some(n), Some(sent)) = (word(&d.data, 0), word(&d.data, 8)) else {
            return;
        };
        if let Some(asked) = self.joining.take() {
            self.stats.first_frame(asked.elapsed());
        }
        let missing = match self.last.insert(d.mid, n) {
            Some(last) if n > last => n - last - 1,
            _ => 0,
        };
        self.stats.frame(Duration::from_micros(sent), missing);
    }
}

/// A loopback UDP socket with a receive buffer that holds a second of what a client gets.
fn client_socket() -> UdpSocket {
    use socket2::{Domain, Protocol, Socket, Type};
    let s = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP)).expect("udp");
    let _ = s.set_recv_buffer_size(1 << 20);
    s.set_nonblocking(true).expect("nonblocking");
    let any: std::net::SocketAddr = "127.0.0.1:0".parse().expect("an address");
    s.bind(&any.into()).expect("bind");
    UdpSocket::from_std(s.into()).expect("a tokio socket")
}

/// Frame `n`, sent at `at`, `bytes` long: its number, the send instant (microseconds after
/// [`epoch`]), then filler. The first byte is 0, so VP8 reads every frame as a keyframe.
fn stamped(n: u64, at: Instant, bytes: usize) -> Vec<u8> {
    let mut f = Vec::with_capacity(bytes);
    f.extend(n.to_be_bytes());
    f.extend((at.duration_since(epoch()).as_micros() as u64).to_be_bytes());
    f.resize(bytes, 0x5a);
    f
}

fn word(data: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(data.get(at..at + 8)?.try_into().ok()?))
}

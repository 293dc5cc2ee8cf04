//! A WebRTC client without a browser, on str0m: it connects to Hearth's SFU over loopback,
//! sends a synthetic microphone (Opus) or camera (VP8): frames of known bytes, 50 a second,
//! and counts what it receives and the keyframes it is asked for, so the SFU's rules are
//! tested in milliseconds.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use str0m::change::{SdpAnswer, SdpOffer, SdpPendingOffer};
use str0m::format::Codec;
use str0m::media::{Direction, MediaKind, MediaTime, Mid, Rid, Simulcast, SimulcastLayer};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, Input, Output, Rtc};
use tokio::net::UdpSocket;

/// One client of the SFU.
pub struct MediaClient {
    pub rtc: Rtc,
    socket: UdpSocket,
    addr: SocketAddr,
    pending: Option<SdpPendingOffer>,
    /// The track it sends, if any, and its codec.
    sending: Option<(Mid, Codec)>,
    /// Keyframe requests received for it.
    pub keyframe_requests: usize,
    /// Frames sent so far.
    pub sent: u64,
    /// The audio level (dBov, -127..=0, RFC 6464) stamped on each audio frame sent, if any.
    pub level: Option<i8>,
    started: Option<Instant>,
    /// ICE and DTLS are up.
    pub connected: bool,
    /// Frames received, by the mid they came on.
    pub received: HashMap<Mid, Vec<Vec<u8>>>,
    /// The simulcast layers its camera is sent in (none: one stream): each frame once per
    /// layer, the higher ones longer (see [`layer_frame`]).
    pub layers: Vec<Rid>,
    /// Keyframe requests received, by layer.
    pub keyframes_of: HashMap<Option<Rid>, usize>,
    /// Drops one in this many packets that arrive once connected (0: none), as a congested
    /// network would.
    pub drop_one_in: u32,
    /// One camera frame in this many is a keyframe, the others deltas (0: every one is a
    /// keyframe); requests for more are counted, not answered.
    pub keyframe_every: u64,
    arrived: u32,
}

/// The bytes of frame `n` of layer `i` (0: the lowest): frame `n`, then 1,000 bytes more
/// per layer above the lowest, so a receiver tells the layers apart by length (and each
/// layer has a bitrate of its own: 32, 432 kbit/s...).
pub fn layer_frame(n: u64, i: usize) -> Vec<u8> {
    let mut f = frame(n);
    f.resize(f.len() + 1000 * i, i as u8);
    f
}

/// The bytes of frame `n`: its number, then a pattern.
pub fn frame(n: u64) -> Vec<u8> {
    let mut f = n.to_be_bytes().to_vec();
    f.extend((0..72u8).map(|i| i ^ (n as u8)));
    f
}

impl MediaClient {
    /// A client on its own loopback UDP port.
    pub async fn new() -> MediaClient {
        let socket = UdpSocket::bind("127.0.0.1:0").await.expect("udp");
        let addr = socket.local_addr().expect("addr");
        let mut rtc = Rtc::builder().build(Instant::now());
        rtc.add_local_candidate(Candidate::host(addr, "udp").expect("candidate"));
        MediaClient {
            rtc,
            socket,
            addr,
            pending: None,
            sending: None,
            keyframe_requests: 0,
            sent: 0,
            level: None,
            started: None,
            connected: false,
            received: HashMap::new(),
            layers: Vec::new(),
            keyframes_of: HashMap::new(),
            drop_one_in: 0,
            keyframe_every: 0,
            arrived: 0,
        }
    }

    /// The first offer: a microphone or a camera to send, or (`None`) only a data channel,
    /// to receive.
    pub fn first_offer(&mut self, send: Option<MediaKind>) -> String {
        let mut change = self.rtc.sdp_api();
        match send {
            Some(kind) => {
                let simulcast = (!self.layers.is_empty()).then(|| {
                    let mut s = Simulcast::new();
                    for rid in &self.layers {
                        s.add_send_layer(SimulcastLayer::new(rid));
                    }
                    s
                });
                let stream = Some("me".into());
                let mid = change.add_media(kind, Direction::SendOnly, stream, None, simulcast);
                let codec = match kind {
                    MediaKind::Audio => Codec::Opus,
                    MediaKind::Video => Codec::Vp8,
                };
                self.sending = Some((mid, codec));
            }
            None => {
                change.add_channel("hello".into());
            }
        }
        let (offer, pending) = change.apply().expect("an offer");
        self.pending = Some(pending);
        offer.to_sdp_string()
    }

    /// A later offer: a microphone to send as well (after a data-channel-only start).
    pub fn offer_microphone(&mut self) -> String {
        let mut change = self.rtc.sdp_api();
        let mid = change.add_media(
            MediaKind::Audio,
            Direction::SendOnly,
            Some("me".into()),
            None,
            None,
        );
        self.sending = Some((mid, Codec::Opus));
        let (offer, pending) = change.apply().expect("an offer");
        self.pending = Some(pending);
        offer.to_sdp_string()
    }

    /// The SFU's answer to this client's offer.
    pub fn take_answer(&mut self, sdp: &str) {
        let answer = SdpAnswer::from_sdp_string(sdp).expect("an answer");
        let pending = self.pending.take().expect("an offer of ours");
        self.rtc
            .sdp_api()
            .accept_answer(pending, answer)
            .expect("answer applies");
    }

    /// Answers the SFU's offer.
    pub fn answer(&mut self, sdp: &str) -> String {
        let offer = SdpOffer::from_sdp_string(sdp).expect("an offer");
        let answer = self
            .rtc
            .sdp_api()
            .accept_offer(offer)
            .expect("offer applies");
        answer.to_sdp_string()
    }

    /// Handles what has arrived and what is due, and sends a frame every 20 ms once
    /// connected.
    pub fn step(&mut self) {
        let mut buf = vec![0u8; 2000];
        while let Ok((n, source)) = self.socket.try_recv_from(&mut buf) {
            let Ok(r) = Receive::new(Protocol::Udp, source, self.addr, &buf[..n]) else {
                continue;
            };
            if self.connected && self.drop_one_in > 0 {
                self.arrived += 1;
                if self.arrived.is_multiple_of(self.drop_one_in) {
                    continue;
                }
            }
            let _ = self.rtc.handle_input(Input::Receive(Instant::now(), r));
        }
        let _ = self.rtc.handle_input(Input::Timeout(Instant::now()));
        self.send_due();
        self.drain();
    }

    fn send_due(&mut self) {
        let (Some((mid, codec)), true) = (self.sending, self.connected) else {
            return;
        };
        let (rate, clock) = match codec {
            Codec::Opus => (960, str0m::media::Frequency::FORTY_EIGHT_KHZ),
            _ => (1800, str0m::media::Frequency::NINETY_KHZ),
        };
        let started = *self.started.get_or_insert_with(Instant::now);
        let due = (started.elapsed().as_millis() / 20) as u64 + 1;
        while self.sent < due {
            let Some(w) = self.rtc.writer(mid) else {
                return;
            };
            let Some(pt) = w
                .payload_params()
                .find(|p| p.spec().codec == codec)
                .map(|p| p.pt())
            else {
                return;
            };
            let time = MediaTime::new(self.sent * rate, clock);
            let sent_at = started + Duration::from_millis(self.sent * 20);
            let w = match self.level {
                Some(level) if codec == Codec::Opus => w.audio_level(level, level > -127),
                _ => w,
            };
            if self.layers.is_empty() {
                let mut data = frame(self.sent);
                if self.keyframe_every > 0 && !self.sent.is_multiple_of(self.keyframe_every) {
                    // The VP8 frame tag's first bit, set: an inter frame.
                    data[0] |= 1;
                }
                w.write(pt, sent_at, time, data).expect("write");
            } else {
                for (i, rid) in self.layers.clone().into_iter().enumerate() {
                    let Some(w) = self.rtc.writer(mid) else {
                        return;
                    };
                    let data = layer_frame(self.sent, i);
                    w.rid(rid).write(pt, sent_at, time, data).expect("write");
                }
            }
            self.sent += 1;
        }
    }

    fn drain(&mut self) {
        loop {
            match self.rtc.poll_output().expect("poll") {
                Output::Timeout(_) => return,
                Output::Transmit(t) => {
                    let _ = self.socket.try_send_to(&t.contents, t.destination);
                }
                Output::Event(Event::Connected) => self.connected = true,
                Output::Event(Event::KeyframeRequest(r)) => {
                    self.keyframe_requests += 1;
                    *self.keyframes_of.entry(r.rid).or_default() += 1;
                }
                Output::Event(Event::MediaData(d)) => {
                    self.received
                        .entry(d.mid)
                        .or_default()
                        .push(d.data.to_vec());
                }
                Output::Event(_) => {}
            }
        }
    }

    /// Every frame received, on whatever track.
    pub fn frames(&self) -> usize {
        self.received.values().map(Vec::len).sum()
    }
}

/// Runs the clients until `found` gives something, failing after 10 s with `what`.
pub async fn run_for<T>(
    clients: &mut [MediaClient],
    what: &str,
    mut found: impl FnMut(&[MediaClient]) -> Option<T>,
) -> T {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(t) = found(clients) {
            return t;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        for c in clients.iter_mut() {
            c.step();
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Runs the clients until `done` holds, failing after 10 s with `what`.
pub async fn run_until(
    clients: &mut [MediaClient],
    what: &str,
    done: impl Fn(&[MediaClient]) -> bool,
) {
    run_for(clients, what, |c| done(c).then_some(())).await;
}

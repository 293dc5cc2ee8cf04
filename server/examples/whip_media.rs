//! The media side of a WHIP publisher outside any browser, for the browser test of WHIP
//! ingest (`e2e/whip.spec.ts`): a str0m client that offers a camera (VP8) and a microphone
//! (Opus), sends the VP8 frames of an IVF file (made by ffmpeg) over and over at the file's
//! frame rate, and 20 ms Opus frames of silence. The test makes the WHIP requests itself,
//! as OBS does them: this program only prints its offer and reads the answer.
//!
//! `whip_media <frames.ivf>`: prints the offer as one JSON string on a line, reads the answer
//! as one JSON string on a line, then prints `connected` once media flows, and runs until
//! it is killed or its input closes.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use str0m::change::{SdpAnswer, SdpPendingOffer};
use str0m::format::Codec;
use str0m::media::{Direction, Frequency, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, Input, Output, Rtc};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::UdpSocket;

/// An IVF file's VP8 frames, and how many a second.
struct Ivf {
    frames: Vec<Vec<u8>>,
    fps: u64,
}

fn read_ivf(bytes: &[u8]) -> Result<Ivf, String> {
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]);
    let u32_at =
        |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    if bytes.len() < 32 || &bytes[0..4] != b"DKIF" || &bytes[8..12] != b"VP80" {
        return Err("not an IVF file of VP8".into());
    }
    let (rate, scale) = (u64::from(u32_at(16)), u64::from(u32_at(20)).max(1));
    let mut at = usize::from(u16_at(6));
    let mut frames = Vec::new();
    while at + 12 <= bytes.len() {
        let size = u32_at(at) as usize;
        let start = at + 12;
        let frame = bytes.get(start..start + size).ok_or("a frame cut short")?;
        frames.push(frame.to_vec());
        at = start + size;
    }
    if frames.is_empty() {
        return Err("no frames".into());
    }
    Ok(Ivf {
        frames,
        fps: (rate / scale).max(1),
    })
}

struct Publisher {
    rtc: Rtc,
    socket: UdpSocket,
    addr: SocketAddr,
    camera: Mid,
    microphone: Mid,
    started: Option<Instant>,
    video_sent: u64,
    audio_sent: u64,
}

impl Publisher {
    async fn new() -> std::io::Result<(Publisher, String, SdpPendingOffer)> {
        let socket = UdpSocket::bind("127.0.0.1:0").await?;
        let addr = socket.local_addr()?;
        let mut rtc = Rtc::builder().build(Instant::now());
        let candidate = Candidate::host(addr, "udp").map_err(std::io::Error::other)?;
        rtc.add_local_candidate(candidate);
        let mut change = rtc.sdp_api();
        let stream = Some("whip".to_owned());
        let camera = change.add_media(
            MediaKind::Video,
            Direction::SendOnly,
            stream.clone(),
            None,
            None,
        );
        let microphone =
            change.add_media(MediaKind::Audio, Direction::SendOnly, stream, None, None);
        let (offer, pending) = change
            .apply()
            .ok_or_else(|| std::io::Error::other("no offer"))?;
        let publisher = Publisher {
            rtc,
            socket,
            addr,
            camera,
            microphone,
            started: None,
            video_sent: 0,
            audio_sent: 0,
        };
        Ok((publisher, offer.to_sdp_string(), pending))
    }

    /// Writes the frames due by now: video at the file's rate, audio every 20 ms.
    fn send_due(&mut self, ivf: &Ivf) {
        let started = *self.started.get_or_insert_with(Instant::now);
        let ms = started.elapsed().as_millis() as u64;
        while self.video_sent <= ms * ivf.fps / 1000 {
            let n = self.video_sent;
            let frame = ivf.frames[(n % ivf.frames.len() as u64) as usize].clone();
            let time = MediaTime::new(n * 90_000 / ivf.fps, Frequency::NINETY_KHZ);
            let at = started + Duration::from_millis(n * 1000 / ivf.fps);
            self.write(self.camera, Codec::Vp8, (at, time), frame);
            self.video_sent += 1;
        }
        while self.audio_sent <= ms / 20 {
            let n = self.audio_sent;
            let time = MediaTime::new(n * 960, Frequency::FORTY_EIGHT_KHZ);
            let at = started + Duration::from_millis(n * 20);
            // One Opus frame of silence (CELT, 20 ms).
            self.write(
                self.microphone,
                Codec::Opus,
                (at, time),
                vec![0xf8, 0xff, 0xfe],
            );
            self.audio_sent += 1;
        }
    }

    fn write(&mut self, mid: Mid, codec: Codec, (at, time): (Instant, MediaTime), data: Vec<u8>) {
        let Some(w) = self.rtc.writer(mid) else {
            return;
        };
        let Some(pt) = (w.payload_params())
            .find(|p| p.spec().codec == codec)
            .map(|p| p.pt())
        else {
            return;
        };
        if let Err(e) = w.write(pt, at, time, data) {
            eprintln!("whip_media: write: {e}");
        }
    }

    /// Sends what the connection has to send and notes when it connects; returns when it
    /// next wants the time.
    fn drain(&mut self, connected: &mut bool) -> Instant {
        loop {
            match self.rtc.poll_output() {
                Ok(Output::Timeout(t)) => return t,
                Ok(Output::Transmit(t)) => {
                    let _ = self.socket.try_send_to(&t.contents, t.destination);
                }
                Ok(Output::Event(Event::Connected)) => {
                    *connected = true;
                    println!("connected");
                }
                Ok(Output::Event(_)) => {}
                Err(e) => {
                    eprintln!("whip_media: {e}");
                    std::process::exit(1);
                }
            }
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: whip_media <frames.ivf>")?;
    let ivf = read_ivf(&std::fs::read(path)?)?;
    let (mut p, offer, pending) = Publisher::new().await?;
    println!("{}", serde_json::to_string(&offer)?);
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let answer: String = serde_json::from_str(&lines.next_line().await?.ok_or("no answer")?)?;
    let answer = SdpAnswer::from_sdp_string(&answer)?;
    p.rtc.sdp_api().accept_answer(pending, answer)?;
    let mut connected = false;
    let mut buf = vec![0u8; 2000];
    loop {
        if connected {
            p.send_due(&ivf);
        }
        let wake = p
            .drain(&mut connected)
            .min(Instant::now() + Duration::from_millis(10));
        tokio::select! {
            got = p.socket.recv_from(&mut buf) => {
                let (n, source) = got?;
                if let Ok(r) = Receive::new(Protocol::Udp, source, p.addr, &buf[..n]) {
                    p.rtc.handle_input(Input::Receive(Instant::now(), r))?;
                }
            }
            line = lines.next_line() => {
                if !matches!(line, Ok(Some(_))) {
                    return Ok(());
                }
            }
            () = tokio::time::sleep_until(wake.into()) => {}
        }
        p.rtc.handle_input(Input::Timeout(Instant::now()))?;
    }
}

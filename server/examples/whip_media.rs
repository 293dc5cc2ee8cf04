//! The media side of a WHIP publisher outside any browser, for the browser tests of WHIP
//! ingest (`e2e/whip.spec.ts`): a str0m client that offers a camera and a microphone (Opus),
//! sends the frames of a file that ffmpeg made over and over at the file's frame rate, and
//! 20 ms Opus frames of silence. The file is VP8 in IVF, or H.264 (High profile, as OBS
//! sends by default) in Annex B with an access unit delimiter before each frame. The test
//! makes the WHIP requests itself, as OBS does them: this program only prints its offer and
//! reads the answer.
//!
//! `whip_media <frames.ivf | frames.h264> [frames a second of an .h264, 15 if not given]`:
//! prints the offer as one JSON string on a line, reads the answer as one JSON string on a
//! line, then prints `connected` once media flows, and runs until it is killed or its input
//! closes.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use str0m::change::{SdpAnswer, SdpPendingOffer};
use str0m::format::{Codec, PayloadParams};
use str0m::media::{Direction, Frequency, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, Input, Output, Rtc};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::UdpSocket;

/// H.264's High profile at level 3.1, as OBS's x264 sends it.
const H264_HIGH: u32 = 0x64001f;

/// The frames of a file, their codec and how many a second.
struct Clip {
    codec: Codec,
    frames: Vec<Vec<u8>>,
    fps: u64,
}

impl Clip {
    /// The clip at `path`: H.264 if it ends in `.h264`, else VP8 in IVF.
    fn read(path: &str, fps: Option<u64>) -> Result<Clip, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
        let clip = if path.ends_with(".h264") {
            Clip {
                codec: Codec::H264,
                frames: access_units(&bytes),
                fps: fps.unwrap_or(15).max(1),
            }
        } else {
            read_ivf(&bytes)?
        };
        if clip.frames.is_empty() {
            return Err(format!("{path}: no frames"));
        }
        Ok(clip)
    }

    /// Whether the connection's payload type `p` carries this clip's frames.
    fn sent_as(&self, p: &PayloadParams) -> bool {
        let spec = p.spec();
        spec.codec == self.codec
            && (self.codec != Codec::H264 || spec.format.profile_level_id == Some(H264_HIGH))
    }
}

fn read_ivf(bytes: &[u8]) -> Result<Clip, String> {
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
    Ok(Clip {
        codec: Codec::Vp8,
        frames,
        fps: (rate / scale).max(1),
    })
}

/// An H.264 Annex B stream cut into access units (frames), each from one access unit
/// delimiter (NAL unit type 9) to the next, start codes kept.
fn access_units(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut cuts = Vec::new();
    for i in 0..bytes.len().saturating_sub(3) {
        if bytes[i..i + 3] == [0, 0, 1] && bytes[i + 3] & 0x1f == 9 {
            // A four-byte start code begins one byte earlier.
            cuts.push(if i > 0 && bytes[i - 1] == 0 { i - 1 } else { i });
        }
    }
    cuts.push(bytes.len());
    cuts.windows(2)
        .map(|w| bytes[w[0]..w[1]].to_vec())
        .collect()
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
    fn send_due(&mut self, clip: &Clip) {
        let started = *self.started.get_or_insert_with(Instant::now);
        let ms = started.elapsed().as_millis() as u64;
        while self.video_sent <= ms * clip.fps / 1000 {
            let n = self.video_sent;
            let frame = clip.frames[(n % clip.frames.len() as u64) as usize].clone();
            let time = MediaTime::new(n * 90_000 / clip.fps, Frequency::NINETY_KHZ);
            let at = started + Duration::from_millis(n * 1000 / clip.fps);
            self.write(self.camera, |p| clip.sent_as(p), (at, time), frame);
            self.video_sent += 1;
        }
        while self.audio_sent <= ms / 20 {
            let n = self.audio_sent;
            let time = MediaTime::new(n * 960, Frequency::FORTY_EIGHT_KHZ);
            let at = started + Duration::from_millis(n * 20);
            // One Opus frame of silence (CELT, 20 ms).
            self.write(
                self.microphone,
                |p| p.spec().codec == Codec::Opus,
                (at, time),
                vec![0xf8, 0xff, 0xfe],
            );
            self.audio_sent += 1;
        }
    }

    /// Writes `data` on `mid` as the first payload type that `carries` it.
    fn write(
        &mut self,
        mid: Mid,
        carries: impl Fn(&PayloadParams) -> bool,
        (at, time): (Instant, MediaTime),
        data: Vec<u8>,
    ) {
        let Some(w) = self.rtc.writer(mid) else {
            return;
        };
        let Some(pt) = (w.payload_params()).find(|p| carries(p)).map(|p| p.pt()) else {
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
    let mut args = std::env::args().skip(1);
    let path = (args.next()).ok_or("usage: whip_media <frames.ivf | frames.h264> [fps]")?;
    let fps = args.next().map(|f| f.parse()).transpose()?;
    let clip = Clip::read(&path, fps)?;
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
            p.send_due(&clip);
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

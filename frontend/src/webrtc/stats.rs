//! Call quality from `getStats()`: round-trip time, packet loss and bitrate, computed from
//! two samples (the arithmetic is pure, so it is a host unit test).

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::RtcPeerConnection;

use super::js;

/// Running totals read from one `getStats()` report.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Totals {
    /// When (ms).
    pub at_ms: f64,
    /// Bytes received, all media.
    pub bytes_in: f64,
    /// Bytes sent, all media.
    pub bytes_out: f64,
    /// Packets received.
    pub packets_in: f64,
    /// Packets lost on the way in.
    pub packets_lost: f64,
    /// The selected candidate pair's current round-trip time, in seconds.
    pub rtt_s: Option<f64>,
    /// Received audio: energy so far (`totalAudioEnergy`) ...
    pub audio_energy: f64,
    /// ... over this many seconds of samples (`totalSamplesDuration`).
    pub audio_seconds: f64,
    /// Video frames decoded.
    pub frames: f64,
}

/// The loudness (0..1, RMS) of the audio received between two samples: the square root of
/// the energy per second of audio, which catches a short sound whenever it fell between the
/// samples (a single packet's level would miss it).
pub fn audio_level(prev: &Totals, now: &Totals) -> f64 {
    let seconds = now.audio_seconds - prev.audio_seconds;
    if seconds <= 0.0 {
        return 0.0;
    }
    ((now.audio_energy - prev.audio_energy).max(0.0) / seconds).sqrt()
}

/// Quality over the last interval.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Quality {
    /// Round-trip time in ms.
    pub rtt_ms: Option<f64>,
    /// Share of incoming packets lost in the interval, in percent.
    pub loss_pct: f64,
    /// Incoming bitrate, kbit/s.
    pub in_kbps: f64,
    /// Outgoing bitrate, kbit/s.
    pub out_kbps: f64,
}

/// The indicator's three levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grade {
    /// Under 150 ms and under 2 % loss.
    Good,
    /// Under 400 ms and under 8 % loss.
    Fair,
    /// Worse.
    Poor,
}

/// Quality between two samples.
pub fn quality(prev: &Totals, now: &Totals) -> Quality {
    let secs = ((now.at_ms - prev.at_ms) / 1000.0).max(0.001);
    let kbps = |a: f64, b: f64| ((b - a).max(0.0) * 8.0 / 1000.0) / secs;
    let received = (now.packets_in - prev.packets_in).max(0.0);
    let lost = (now.packets_lost - prev.packets_lost).max(0.0);
    let loss_pct = if received + lost > 0.0 {
        100.0 * lost / (received + lost)
    } else {
        0.0
    };
    Quality {
        rtt_ms: now.rtt_s.map(|s| s * 1000.0),
        loss_pct,
        in_kbps: kbps(prev.bytes_in, now.bytes_in),
        out_kbps: kbps(prev.bytes_out, now.bytes_out),
    }
}

/// The indicator level for a quality sample.
pub fn grade(q: &Quality) -> Grade {
    let rtt = q.rtt_ms.unwrap_or(0.0);
    if rtt < 150.0 && q.loss_pct < 2.0 {
        Grade::Good
    } else if rtt < 400.0 && q.loss_pct < 8.0 {
        Grade::Fair
    } else {
        Grade::Poor
    }
}

fn field(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn num(v: &JsValue, key: &str) -> f64 {
    field(v, key).as_f64().unwrap_or(0.0)
}

/// Reads the totals from a peer connection now.
pub async fn totals(pc: &RtcPeerConnection) -> Result<Totals, String> {
    let report = js::wait(pc.get_stats()).await?;
    let mut t = [Totals {
        at_ms: js_sys::Date::now(),
        ..Totals::default()
    }];
    add_report(&mut t, None, report);
    let [t] = t;
    Ok(t)
}

/// Reads, with one `getStats()`, the totals of what arrives on each group of tracks (one
/// sender's each, on the media relay's connection, which carries everyone's); each has the
/// connection's round trip. One call, not one per track: Chromium gathers the whole report
/// for each call, selector or not, on the threads that also carry the page's media (a page
/// moving five people to the relay asked for 16 reports a second, some taking 1.3 s).
pub async fn totals_by(
    pc: &RtcPeerConnection,
    groups: &[Vec<web_sys::MediaStreamTrack>],
) -> Result<Vec<Totals>, String> {
    let at_ms = js_sys::Date::now();
    let report = js::wait(pc.get_stats()).await?;
    let mut t = vec![
        Totals {
            at_ms,
            ..Totals::default()
        };
        groups.len()
    ];
    let ids: Vec<Vec<String>> = (groups.iter())
        .map(|g| g.iter().map(|track| track.id()).collect())
        .collect();
    add_report(&mut t, Some(&ids), report);
    Ok(t)
}

/// Adds what a `getStats()` report counts to `t`: everything to its one entry, or (`ids`)
/// what arrives on each group's tracks to that group's (and the round trip to each).
fn add_report(t: &mut [Totals], ids: Option<&[Vec<String>]>, report: JsValue) {
    let map: js_sys::Map = report.unchecked_into();
    let group = |v: &JsValue| match ids {
        None => Some(0),
        Some(ids) => {
            let track = field(v, "trackIdentifier").as_string()?;
            ids.iter().position(|g| g.contains(&track))
        }
    };
    map.for_each(
        &mut |v, _key| match field(&v, "type").as_string().as_deref() {
            Some("inbound-rtp") => {
                if let Some(t) = group(&v).and_then(|i| t.get_mut(i)) {
                    t.bytes_in += num(&v, "bytesReceived");
                    t.packets_in += num(&v, "packetsReceived");
                    t.packets_lost += num(&v, "packetsLost");
                    t.audio_energy += num(&v, "totalAudioEnergy");
                    t.audio_seconds += num(&v, "totalSamplesDuration");
                    t.frames += num(&v, "framesDecoded");
                }
            }
            Some("outbound-rtp") if ids.is_none() => t[0].bytes_out += num(&v, "bytesSent"),
            Some("candidate-pair") if field(&v, "nominated").as_bool() == Some(true) => {
                if let Some(rtt) = field(&v, "currentRoundTripTime").as_f64() {
                    t.iter_mut().for_each(|t| t.rtt_s = Some(rtt));
                }
            }
            _ => {}
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_loss_come_from_the_difference_of_two_samples() {
        let a = Totals {
            at_ms: 0.0,
            bytes_in: 0.0,
            bytes_out: 0.0,
            packets_in: 100.0,
            packets_lost: 0.0,
            rtt_s: None,
            ..Totals::default()
        };
        let b = Totals {
            at_ms: 2000.0,
            bytes_in: 250_000.0,
            bytes_out: 125_000.0,
            packets_in: 290.0,
            packets_lost: 10.0,
            rtt_s: Some(0.042),
            ..Totals::default()
        };
        let q = quality(&a, &b);
        assert_eq!(q.in_kbps, 1000.0);
        assert_eq!(q.out_kbps, 500.0);
        assert!(
            (q.loss_pct - 5.0).abs() < 1e-9,
            "10 lost of 200: {}",
            q.loss_pct
        );
        assert_eq!(q.rtt_ms, Some(42.0));
    }

    #[test]
    fn counters_that_reset_never_give_negative_rates() {
        let a = Totals {
            at_ms: 0.0,
            bytes_in: 9e6,
            ..Totals::default()
        };
        let b = Totals {
            at_ms: 1000.0,
            bytes_in: 10.0,
            ..Totals::default()
        };
        assert_eq!(quality(&a, &b).in_kbps, 0.0);
    }

    #[test]
    fn grades_follow_rtt_and_loss() {
        let q = |rtt, loss| Quality {
            rtt_ms: Some(rtt),
            loss_pct: loss,
            ..Quality::default()
        };
        assert_eq!(grade(&q(40.0, 0.0)), Grade::Good);
        assert_eq!(grade(&q(200.0, 0.0)), Grade::Fair);
        assert_eq!(grade(&q(40.0, 5.0)), Grade::Fair);
        assert_eq!(grade(&q(500.0, 0.0)), Grade::Poor);
        assert_eq!(grade(&q(40.0, 12.0)), Grade::Poor);
    }

    #[test]
    fn the_audio_level_is_the_rms_of_what_came_between_two_samples() {
        let a = Totals {
            audio_energy: 1.0,
            audio_seconds: 10.0,
            ..Totals::default()
        };
        // Half a second of audio at RMS 0.2 has energy 0.2^2 * 0.5 = 0.02.
        let b = Totals {
            audio_energy: 1.02,
            audio_seconds: 10.5,
            ..Totals::default()
        };
        assert!((audio_level(&a, &b) - 0.2).abs() < 1e-9);
        assert_eq!(audio_level(&b, &b), 0.0, "no audio in between");
    }
}

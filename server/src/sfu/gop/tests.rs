//! The group of pictures kept for receivers who start: from the last keyframe, whole, bounded.

use std::time::{Duration, Instant};

use str0m::format::{Codec, CodecSpec, FormatParams, PayloadParams};
use str0m::media::{Frequency, MediaTime};

use super::*;

/// Frame `n` of a 30 frames a second picture (3,000 ticks apart at 90 kHz), `bytes` long.
fn frame(n: u64, keyframe: bool, bytes: usize, t0: Instant) -> Frame {
    let spec = CodecSpec {
        codec: Codec::Vp8,
        clock_rate: Frequency::NINETY_KHZ,
        channels: None,
        format: FormatParams::default(),
    };
    Frame {
        rid: None,
        keyframe,
        params: PayloadParams::new(96.into(), None, spec),
        time: MediaTime::new(10_000 + n * 3000, Frequency::NINETY_KHZ),
        at: t0 + Duration::from_millis(n * 33),
        data: vec![n as u8; bytes].into(),
    }
}

fn times(frames: &[Frame]) -> Vec<u64> {
    frames.iter().map(|f| f.time.numer()).collect()
}

#[test]
fn a_starter_gets_the_last_keyframe_and_what_followed_squeezed_up_to_now() {
    let t0 = Instant::now();
    let mut g = Gop::default();
    for n in 0..3 {
        g.heard(&frame(n, n == 0, 100, t0), true);
    }
    // A new group: the old one is gone.
    for n in 3..6 {
        g.heard(&frame(n, n == 3, 100, t0), true);
    }
    let sent = g.catch_up();
    assert_eq!(sent.len(), 3);
    assert!(sent[0].keyframe && !sent[1].keyframe && !sent[2].keyframe);
    assert_eq!(sent[0].data[0], 3, "from the last keyframe");
    let last = 10_000 + 5 * 3000;
    assert_eq!(
        times(&sent),
        vec![last - 2, last - 1, last],
        "one tick apart, up to the last"
    );
}

#[test]
fn nothing_without_a_keyframe_or_after_a_hole() {
    let t0 = Instant::now();
    let mut g = Gop::default();
    g.heard(&frame(1, false, 100, t0), true);
    assert!(g.catch_up().is_empty(), "deltas without their keyframe");
    g.heard(&frame(2, true, 100, t0), true);
    g.heard(&frame(3, false, 100, t0), true);
    assert_eq!(g.catch_up().len(), 2);
    g.heard(&frame(5, false, 100, t0), false);
    assert!(
        g.catch_up().is_empty(),
        "a frame was lost: it would not decode"
    );
    g.heard(&frame(6, false, 100, t0), true);
    assert!(g.catch_up().is_empty(), "until the next keyframe");
}

#[test]
fn a_group_too_long_or_too_big_is_dropped_until_the_next_keyframe() {
    let t0 = Instant::now();
    let mut g = Gop::default();
    for n in 0..MAX_FRAMES as u64 {
        g.heard(&frame(n, n == 0, 100, t0), true);
    }
    assert_eq!(g.catch_up().len(), MAX_FRAMES);
    g.heard(&frame(MAX_FRAMES as u64, false, 100, t0), true);
    assert!(g.catch_up().is_empty(), "one frame too many");

    g.heard(&frame(100, true, MAX_BYTES / 2, t0), true);
    g.heard(&frame(101, false, MAX_BYTES / 2, t0), true);
    assert_eq!(g.catch_up().len(), 2);
    g.heard(&frame(102, false, 10, t0), true);
    assert!(g.catch_up().is_empty(), "too many bytes");
}

//! The layers of a picture as they arrive, and one receiver's: which frames it gets, when it
//! moves, and that its media time runs on across a move.

use std::time::{Duration, Instant};

use str0m::media::{Frequency, MediaTime, Rid};

use super::*;

fn ms(t0: Instant, ms: u64) -> Instant {
    t0 + Duration::from_millis(ms)
}

/// A frame's media time: 90 kHz ticks from `base`, `ms` into the stream.
fn at90(base: u64, ms: u64) -> MediaTime {
    MediaTime::new(base + ms * 90, Frequency::NINETY_KHZ)
}

/// Two layers heard for a second: `l` at 150 kbit/s, `h` at 600 kbit/s (30 frames a second).
fn two_layers(t0: Instant) -> Layers {
    let mut layers = Layers::default();
    for i in 0..=30u64 {
        let now = ms(t0, i * 33);
        layers.heard(Rid::from("h"), 2_500, now);
        layers.heard(Rid::from("l"), 625, now);
    }
    layers
}

#[test]
fn layers_come_lowest_first_with_their_bitrates_and_a_silent_one_drops_out() {
    let t0 = Instant::now();
    let layers = two_layers(t0);
    let live = layers.live(ms(t0, 1_000));
    let rids: Vec<&str> = live.iter().map(|(r, _)| &**r).collect();
    assert_eq!(rids, ["l", "h"], "by name, whatever came first");
    let (low, high) = (live[0].1, live[1].1);
    assert!((140_000..=160_000).contains(&low), "l: {low} bit/s");
    assert!((560_000..=640_000).contains(&high), "h: {high} bit/s");
    assert!(
        layers.live(ms(t0, 2_100)).is_empty(),
        "nothing heard for a second"
    );
}

#[test]
fn after_the_whole_picture_went_silent_the_layer_heard_first_is_not_the_only_one_left() {
    let t0 = Instant::now();
    let mut layers = two_layers(t0);
    let rids = |layers: &Layers, at: u64| -> Vec<String> {
        let live = layers.live(ms(t0, at));
        live.iter().map(|(r, _)| r.to_string()).collect()
    };
    // The sender stalls for 1.5 s; then `h` comes back a little before `l`.
    layers.heard(Rid::from("h"), 2_500, ms(t0, 2_500));
    assert_eq!(
        rids(&layers, 2_500),
        ["l", "h"],
        "both, as before the stall"
    );
    let h = layers.live(ms(t0, 2_500))[1].1;
    assert!(
        (560_000..=640_000).contains(&h),
        "h's rate not spread over the stall: {h} bit/s"
    );
    for i in 1..=30u64 {
        layers.heard(Rid::from("h"), 2_500, ms(t0, 2_500 + i * 33));
    }
    assert_eq!(rids(&layers, 3_490), ["l", "h"], "l not yet gone");
    assert_eq!(rids(&layers, 3_510), ["h"], "l silent for a second of h");
}

#[test]
fn a_receiver_gets_only_its_layer_and_moves_on_a_keyframe_of_the_new_one() {
    let t0 = Instant::now();
    let live = two_layers(t0).live(ms(t0, 1_000));
    let (l, h) = (Rid::from("l"), Rid::from("h"));
    let mut out = LayerOut::default();
    // Large, plenty of room: the high layer, once a keyframe of it comes.
    assert_eq!(out.decide(&live, 5_000_000, ms(t0, 1_000)), Some(h));
    assert_eq!(
        out.pass(Some(h), false, at90(0, 0), ms(t0, 1_000)),
        None,
        "no keyframe yet"
    );
    assert_eq!(
        out.pass(Some(l), true, at90(7, 0), ms(t0, 1_000)),
        None,
        "not its layer"
    );
    assert!(out
        .pass(Some(h), true, at90(0, 33), ms(t0, 1_033))
        .is_some());
    assert!(out
        .pass(Some(h), false, at90(0, 66), ms(t0, 1_066))
        .is_some());
    assert_eq!(out.pass(Some(l), false, at90(7, 66), ms(t0, 1_066)), None);
    assert_eq!(out.decide(&live, 5_000_000, ms(t0, 1_100)), None, "stays");
    // Made a thumbnail: the low layer, but the high goes on until the low's keyframe.
    out.tile = Tile::Thumbnail;
    assert_eq!(out.decide(&live, 5_000_000, ms(t0, 1_200)), Some(l));
    assert_eq!(out.waiting_for(), Some(l));
    assert!(out
        .pass(Some(h), false, at90(0, 200), ms(t0, 1_200))
        .is_some());
    assert_eq!(out.pass(Some(l), false, at90(7, 200), ms(t0, 1_200)), None);
    assert!(out
        .pass(Some(l), true, at90(7, 233), ms(t0, 1_233))
        .is_some());
    assert_eq!(out.waiting_for(), None);
    assert_eq!(
        out.pass(Some(h), true, at90(0, 266), ms(t0, 1_266)),
        None,
        "moved"
    );
}

#[test]
fn media_time_runs_on_across_a_move_though_each_layer_counts_its_own() {
    let t0 = Instant::now();
    let live = two_layers(t0).live(ms(t0, 1_000));
    let (l, h) = (Rid::from("l"), Rid::from("h"));
    // Each layer's RTP timestamps start somewhere else.
    let (base_l, base_h) = (3_000_000_000, 1_000);
    let mut out = LayerOut::default();
    out.decide(&live, 5_000_000, ms(t0, 1_000));
    let time = |p: Option<Passed>| p.map(|p| p.time);
    let first = time(out.pass(Some(h), true, at90(base_h, 1_000), ms(t0, 1_000)));
    assert_eq!(
        first,
        Some(at90(base_h, 1_000)),
        "the first layer as it came"
    );
    out.tile = Tile::Thumbnail;
    out.decide(&live, 5_000_000, ms(t0, 1_010));
    let moved = time(out.pass(Some(l), true, at90(base_l, 1_033), ms(t0, 1_033)));
    assert_eq!(
        moved,
        Some(at90(base_h, 1_033)),
        "33 ms after the last frame"
    );
    let next = time(out.pass(Some(l), false, at90(base_l, 1_066), ms(t0, 1_066)));
    assert_eq!(next, Some(at90(base_h, 1_066)), "and on from there");
}

#[test]
fn nothing_fits_the_picture_pauses_and_comes_back_on_a_keyframe() {
    let t0 = Instant::now();
    let live = two_layers(t0).live(ms(t0, 1_000));
    let l = Rid::from("l");
    let mut out = LayerOut::default();
    assert_eq!(
        out.decide(&live, 200_000, ms(t0, 1_000)),
        Some(l),
        "only the low fits"
    );
    assert!(out
        .pass(Some(l), true, at90(0, 1_000), ms(t0, 1_000))
        .is_some());
    assert_eq!(
        out.decide(&live, 100_000, ms(t0, 1_100)),
        None,
        "not even the low"
    );
    assert_eq!(
        out.pass(Some(l), false, at90(0, 1_133), ms(t0, 1_133)),
        None,
        "paused"
    );
    assert_eq!(out.decide(&live, 200_000, ms(t0, 1_200)), Some(l), "back");
    assert_eq!(
        out.pass(Some(l), false, at90(0, 1_233), ms(t0, 1_233)),
        None
    );
    assert!(out
        .pass(Some(l), true, at90(0, 1_266), ms(t0, 1_266))
        .is_some());
}

#[test]
fn a_picture_without_layers_goes_as_it_came() {
    let mut out = LayerOut::default();
    let (time, at) = (at90(5, 5), Instant::now());
    assert_eq!(out.pass(None, false, time, at), Some(Passed { time, at }));
}

#[test]
fn a_move_never_hands_on_a_frame_timed_before_the_last_one() {
    let t0 = Instant::now();
    let live = two_layers(t0).live(ms(t0, 1_000));
    let (l, h) = (Rid::from("l"), Rid::from("h"));
    let mut out = LayerOut::default();
    out.decide(&live, 5_000_000, ms(t0, 1_000));
    out.pass(Some(h), true, at90(0, 1_000), ms(t0, 1_000));
    out.tile = Tile::Thumbnail;
    out.decide(&live, 5_000_000, ms(t0, 1_010));
    // One moment's frames: `l`'s keyframe came in a little before `h`'s frame but is
    // handled after it.
    let old = out.pass(Some(h), false, at90(0, 1_033), ms(t0, 1_034));
    let new = out.pass(Some(l), true, at90(7, 1_033), ms(t0, 1_033));
    let (old, new) = (old.expect("h goes on until the move"), new.expect("moved"));
    assert!(new.at >= old.at, "str0m would send the keyframe first");
    assert!(new.time > old.time, "media time runs on");
    let then = out.pass(Some(l), false, at90(7, 1_066), ms(t0, 1_066));
    assert_eq!(then.map(|p| p.at), Some(ms(t0, 1_066)), "then as they come");
}

//! Simulcast through the SFU, with str0m clients on loopback (no browser): alice sends her
//! camera in two layers; each receiver gets the one it shows (a thumbnail the low, a large
//! picture the high, also when it said so before it connected) and moves, once, when that
//! changes, on a keyframe asked of the new layer; a receiver whose network loses a third of
//! its packets steps down to the low layer, then its picture pauses, and comes back when
//! the loss ends.

#[path = "common/media_client.rs"]
mod media_client;
#[path = "common/sfu_steps.rs"]
mod sfu_steps;

use std::time::{Duration, Instant};

use hearth_server::sfu::{Seat, Sfu, SfuEvent};
use hearth_shared::call::Tile;
use hearth_shared::UserId;
use media_client::{frame, layer_frame, run_for, run_until, MediaClient};
use sfu_steps::{answer_offers_until, connect_amid, seat, start};
use str0m::media::{MediaKind, Rid};
use tokio::sync::mpsc::UnboundedReceiver;

const ALICE: UserId = UserId(1);

/// The lengths of alice's two layers' frames.
fn low() -> usize {
    layer_frame(0, 0).len()
}
fn high() -> usize {
    layer_frame(0, 1).len()
}

/// The length of each video frame `c` received, in order (it receives alice's only).
fn lengths(c: &MediaClient) -> Vec<usize> {
    (c.received.values())
        .flatten()
        .map(Vec::len)
        .filter(|n| *n >= frame(0).len())
        .collect()
}

fn last(c: &MediaClient) -> Option<usize> {
    lengths(c).last().copied()
}

/// How many times what `c` receives changed layer.
fn moves(c: &MediaClient) -> usize {
    lengths(c).windows(2).filter(|w| w[0] != w[1]).count()
}

/// alice sending two layers; bob receiving, large; carol receiving, who said before she
/// connected that she shows alice as a thumbnail. Everyone's offers answered.
async fn call() -> (
    Sfu,
    UnboundedReceiver<SfuEvent>,
    [Seat; 3],
    Vec<MediaClient>,
) {
    let (sfu, mut events) = start().await;
    let seats = [seat("x", 1), seat("x", 2), seat("x", 3)];
    let mut c = Vec::new();
    for _ in 0..3 {
        c.push(MediaClient::new().await);
    }
    c[0].layers = vec![Rid::from("l"), Rid::from("h")];
    sfu.shows(seats[2].clone(), ALICE, Tile::Thumbnail);
    let mut stash = Vec::new();
    let video = [Some(MediaKind::Video), None, None];
    for (i, s) in seats.iter().enumerate() {
        connect_amid(&sfu, &mut events, (&mut c[i], s), video[i], &mut stash).await;
    }
    let all = [&seats[0], &seats[1], &seats[2]];
    answer_offers_until(
        (&sfu, &mut events),
        (&mut c, &all),
        stash,
        "alice's layers",
        |c| last(&c[1]) == Some(high()) && last(&c[2]) == Some(low()),
    )
    .await;
    (sfu, events, seats, c)
}

#[tokio::test]
async fn each_receiver_gets_the_layer_it_shows_and_moves_once_when_that_changes() {
    let (sfu, _events, [_, bob, carol], mut c) = call().await;
    assert_eq!(moves(&c[1]), 0, "bob: the high layer from the first frame");
    assert_eq!(moves(&c[2]), 0, "carol: the low layer from the first frame");
    sfu.shows(bob, ALICE, Tile::Thumbnail);
    sfu.shows(carol, ALICE, Tile::Large);
    run_until(&mut c, "bob on the low layer, carol on the high", |c| {
        last(&c[1]) == Some(low()) && last(&c[2]) == Some(high())
    })
    .await;
    // Frames of both layers keep coming for a while: the move must stay made.
    let seen = (lengths(&c[1]).len(), lengths(&c[2]).len());
    run_until(&mut c, "more frames", |c| {
        lengths(&c[1]).len() > seen.0 + 20 && lengths(&c[2]).len() > seen.1 + 20
    })
    .await;
    assert_eq!(moves(&c[1]), 1, "bob moved once: {:?}", lengths(&c[1]));
    assert_eq!(moves(&c[2]), 1, "carol moved once: {:?}", lengths(&c[2]));
    let asked = &c[0].keyframes_of;
    for rid in ["l", "h"] {
        assert!(
            asked.get(&Some(Rid::from(rid))).is_some_and(|n| *n > 0),
            "a keyframe of {rid} asked for: {asked:?}"
        );
    }
}

#[tokio::test]
async fn a_receiver_losing_packets_steps_down_then_pauses_and_comes_back() {
    let (_sfu, _events, _, mut c) = call().await;
    c[1].drop_one_in = 3;
    run_until(&mut c, "bob stepped down to the low layer", |c| {
        last(&c[1]) == Some(low())
    })
    .await;
    // Paused: no frame for a second while alice goes on sending.
    let mut since = (lengths(&c[1]).len(), Instant::now());
    run_for(&mut c, "bob's picture paused", |c| {
        let n = lengths(&c[1]).len();
        if n != since.0 {
            since = (n, Instant::now());
        }
        (since.1.elapsed() >= Duration::from_secs(1)).then_some(())
    })
    .await;
    c[1].drop_one_in = 0;
    let paused = lengths(&c[1]).len();
    run_until(&mut c, "bob's picture back", |c| {
        lengths(&c[1]).len() > paused + 10
    })
    .await;
}

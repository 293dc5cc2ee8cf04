//! The SFU on loopback with str0m clients (no browser): what one participant sends reaches
//! the others of its call, decoded frame for frame, and nobody outside it; leaving stops it;
//! offers and keyframe requests follow the rules (tests/sfu_calls.rs: a call's life).

#[path = "common/media_client.rs"]
mod media_client;
#[path = "common/sfu_steps.rs"]
mod sfu_steps;

use hearth_server::sfu::{Seat, Sfu, SfuEvent, Slots};
use media_client::{frame, run_until, MediaClient};
use sfu_steps::{next_offer, offer_for, seat, start};
use str0m::media::MediaKind;
use tokio::sync::mpsc::UnboundedReceiver;

/// The SFU's answer to `to`'s offer, out before `Sfu::offer` returned, ahead of any offer.
fn answer_for(events: &mut UnboundedReceiver<SfuEvent>, to: &Seat) -> String {
    match events.try_recv() {
        Ok(SfuEvent::Answer { to: t, sdp }) if &t == to => sdp,
        other => panic!("not the answer for {to:?}: {other:?}"),
    }
}

/// Connects `c` as `s`: its offer, the SFU's answer.
async fn connect(
    sfu: &Sfu,
    events: &mut UnboundedReceiver<SfuEvent>,
    c: &mut MediaClient,
    s: &Seat,
    send: Option<MediaKind>,
) {
    let offer = c.first_offer(send);
    sfu.offer(s.clone(), offer, Slots::default())
        .await
        .expect("the SFU answers");
    c.take_answer(&answer_for(events, s));
}

/// alice sends her microphone in call "x", bob only receives; both connected to the SFU.
async fn alice_and_bob() -> (
    Sfu,
    UnboundedReceiver<SfuEvent>,
    Seat,
    Seat,
    Vec<MediaClient>,
) {
    let (sfu, mut events) = start().await;
    let (alice, bob) = (seat("x", 1), seat("x", 2));
    let mut c = vec![MediaClient::new().await, MediaClient::new().await];
    connect(&sfu, &mut events, &mut c[0], &alice, Some(MediaKind::Audio)).await;
    connect(&sfu, &mut events, &mut c[1], &bob, None).await;
    (sfu, events, alice, bob, c)
}

/// A new client joins as `s` to receive only, and answers the SFU's offer of what the call
/// sends; returns that offer.
async fn join_receiving(
    sfu: &Sfu,
    events: &mut UnboundedReceiver<SfuEvent>,
    c: &mut Vec<MediaClient>,
    s: &Seat,
) -> String {
    c.push(MediaClient::new().await);
    let i = c.len() - 1;
    connect(sfu, events, &mut c[i], s, None).await;
    let offer = offer_for(events, c, s).await;
    let answer = c[i].answer(&offer);
    sfu.answer(s.clone(), answer).await.expect("answer taken");
    offer
}

#[tokio::test]
async fn media_reaches_the_others_in_the_call_frame_for_frame_and_nobody_else() {
    let (sfu, mut events) = start().await;
    let (alice, bob, carol) = (seat("x", 1), seat("x", 2), seat("y", 3));
    let mut c = vec![
        MediaClient::new().await,
        MediaClient::new().await,
        MediaClient::new().await,
    ];
    connect(&sfu, &mut events, &mut c[0], &alice, Some(MediaKind::Audio)).await;
    connect(&sfu, &mut events, &mut c[1], &bob, None).await;
    connect(&sfu, &mut events, &mut c[2], &carol, None).await;
    run_until(&mut c, "everyone connected", |c| {
        c.iter().all(|c| c.connected)
    })
    .await;

    // alice's microphone is offered to bob, the one other participant of her call.
    let offer = offer_for(&mut events, &mut c, &bob).await;
    assert!(offer.contains("m=audio"), "{offer}");
    let answer = c[1].answer(&offer);
    sfu.answer(bob.clone(), answer).await.expect("answer taken");

    run_until(&mut c, "bob receiving 25 frames", |c| c[1].frames() >= 25).await;
    let got: Vec<&Vec<u8>> = c[1].received.values().flatten().collect();
    for f in &got {
        let n = u64::from_be_bytes(f[..8].try_into().expect("8 bytes"));
        assert_eq!(**f, frame(n), "frame {n} arrives as alice sent it");
    }
    assert_eq!(c[2].frames(), 0, "carol, in another call, receives nothing");
    assert_eq!(c[0].frames(), 0, "alice does not hear herself");
    assert!(
        events.try_recv().is_err(),
        "nothing is offered to carol or alice"
    );

    // alice leaves: bob is offered her track stopped.
    sfu.leave(alice);
    let offer = offer_for(&mut events, &mut c, &bob).await;
    assert!(
        offer.contains("m=audio 0 "),
        "her m-line is stopped: {offer}"
    );
    let answer = c[1].answer(&offer);
    sfu.answer(bob, answer).await.expect("answer taken");
}

#[tokio::test]
async fn a_sender_who_leaves_while_their_track_is_being_offered_is_stopped_after_the_answer() {
    let (sfu, mut events, alice, bob, mut c) = alice_and_bob().await;
    let offer = offer_for(&mut events, &mut c, &bob).await;
    sfu.leave(alice);
    let answer = c[1].answer(&offer);
    sfu.answer(bob.clone(), answer).await.expect("answer taken");
    let stop = offer_for(&mut events, &mut c, &bob).await;
    assert!(stop.contains("m=audio 0 "), "her m-line is stopped: {stop}");
    let answer = c[1].answer(&stop);
    sfu.answer(bob, answer).await.expect("answer taken");
}

#[tokio::test]
async fn an_answer_without_an_offer_and_a_bad_description_are_refused() {
    let (sfu, mut events) = start().await;
    let err = sfu.answer(seat("x", 1), "v=0".into()).await;
    assert_eq!(err, Err(hearth_server::sfu::SfuError::NotConnected));
    let err = sfu
        .offer(seat("x", 1), "not sdp".into(), Slots::default())
        .await;
    assert!(
        matches!(err, Err(hearth_server::sfu::SfuError::Sdp(_))),
        "{err:?}"
    );
    let mut c = MediaClient::new().await;
    connect(&sfu, &mut events, &mut c, &seat("x", 1), None).await;
    let err = sfu.answer(seat("x", 1), "v=0".into()).await;
    assert_eq!(err, Err(hearth_server::sfu::SfuError::NoOffer));
}

#[tokio::test]
async fn a_receiver_that_starts_gets_a_keyframe_asked_for_even_just_after_another() {
    let (sfu, mut events) = start().await;
    let (alice, bob, carol) = (seat("x", 1), seat("x", 2), seat("x", 3));
    let mut c = vec![MediaClient::new().await];
    // One keyframe, then deltas longer than the SFU keeps (`gop.rs`): a receiver who starts
    // has nothing to catch up with, so a keyframe is asked for.
    c[0].keyframe_every = 1000;
    connect(&sfu, &mut events, &mut c[0], &alice, Some(MediaKind::Video)).await;
    run_until(&mut c, "alice sending past what is kept", |c| {
        c[0].sent >= 70
    })
    .await;
    let before = c[0].keyframe_requests;

    // bob starts receiving her camera: the SFU asks alice for a keyframe.
    let offer = join_receiving(&sfu, &mut events, &mut c, &bob).await;
    assert!(offer.contains("m=video"), "{offer}");
    run_until(&mut c, "a keyframe request for bob", |c| {
        c[0].keyframe_requests > before
    })
    .await;
    run_until(&mut c, "bob receiving her frames", |c| c[1].frames() >= 5).await;
    let after_bob = c[0].keyframe_requests;

    // carol starts within the same second: her request is held, not lost.
    join_receiving(&sfu, &mut events, &mut c, &carol).await;
    run_until(&mut c, "a keyframe request for carol", |c| {
        c[0].keyframe_requests > after_bob
    })
    .await;
    run_until(&mut c, "carol receiving her frames", |c| c[2].frames() >= 5).await;
}

#[tokio::test]
async fn when_offers_cross_the_participants_offer_wins_and_the_server_offers_again() {
    let (sfu, mut events, alice, bob, mut c) = alice_and_bob().await;
    run_until(&mut c, "both connected", |c| c.iter().all(|c| c.connected)).await;
    let ignored = offer_for(&mut events, &mut c, &bob).await;
    assert!(ignored.contains("m=audio"), "{ignored}");

    // bob, not having seen that offer, offers his microphone: the SFU answers him (its own
    // offer is dropped), then offers alice's track again, and bob's to alice.
    let offer = c[1].offer_microphone();
    sfu.offer(bob.clone(), offer, Slots::default())
        .await
        .expect("bob's offer wins");
    c[1].take_answer(&answer_for(&mut events, &bob));
    let mut offered = Vec::new();
    for _ in 0..2 {
        let (to, sdp) = next_offer(&mut events, &mut c).await;
        let i = if to == alice { 0 } else { 1 };
        let answer = c[i].answer(&sdp);
        sfu.answer(to.clone(), answer).await.expect("answer taken");
        offered.push(to);
    }
    offered.sort_by_key(|s| s.user.0);
    assert_eq!(
        offered,
        vec![alice, bob],
        "each is offered the other's microphone"
    );
    run_until(&mut c, "each hearing the other", |c| {
        c.iter().all(|c| c.frames() >= 10)
    })
    .await;
}

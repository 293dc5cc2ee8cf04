//! The SFU on loopback with str0m clients (no browser): what one participant sends reaches
//! the others of its call, decoded frame for frame, and nobody outside it; leaving stops it,
//! mid-stream, for that participant alone; a call everyone left leaves nothing behind.

#[path = "common/media_client.rs"]
mod media_client;

use hearth_server::sfu::{Seat, Sfu, SfuEvent};
use hearth_shared::call::CallId;
use hearth_shared::UserId;
use media_client::{frame, run_for, run_until, MediaClient};
use str0m::media::MediaKind;
use tokio::sync::mpsc::UnboundedReceiver;

fn seat(call: &str, user: u32) -> Seat {
    Seat {
        call: CallId(call.into()),
        user: UserId(user),
    }
}

/// An SFU on a loopback port of its own.
async fn start() -> (Sfu, UnboundedReceiver<SfuEvent>) {
    Sfu::start("127.0.0.1:0".parse().expect("an address"), None)
        .await
        .expect("the media port")
}

/// The SFU's next offer (to whom, the SDP), while the clients run.
async fn next_offer(
    events: &mut UnboundedReceiver<SfuEvent>,
    clients: &mut [MediaClient],
) -> (Seat, String) {
    run_for(clients, "an offer", |_| match events.try_recv() {
        Ok(SfuEvent::Offer { to, sdp }) => Some((to, sdp)),
        Ok(answer) => panic!("an answer nobody asked for: {answer:?}"),
        Err(_) => None,
    })
    .await
}

/// The SFU's answer to `to`'s offer, out before `Sfu::offer` returned, ahead of any offer.
fn answer_for(events: &mut UnboundedReceiver<SfuEvent>, to: &Seat) -> String {
    match events.try_recv() {
        Ok(SfuEvent::Answer { to: t, sdp }) if &t == to => sdp,
        other => panic!("not the answer for {to:?}: {other:?}"),
    }
}

/// The SFU's next offer, which must be for `to`.
async fn offer_for(
    events: &mut UnboundedReceiver<SfuEvent>,
    clients: &mut [MediaClient],
    to: &Seat,
) -> String {
    let (t, sdp) = next_offer(events, clients).await;
    assert_eq!(&t, to, "an offer for someone else came first");
    sdp
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
    sfu.offer(s.clone(), offer).await.expect("the SFU answers");
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
    let err = sfu.offer(seat("x", 1), "not sdp".into()).await;
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
    connect(&sfu, &mut events, &mut c[0], &alice, Some(MediaKind::Video)).await;
    run_until(&mut c, "alice sending", |c| c[0].sent >= 10).await;
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
    sfu.offer(bob.clone(), offer)
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

/// Connects `c` as `s` while others of the call are connected: offers the SFU makes to
/// them meanwhile are kept in `stash`.
async fn connect_amid(
    sfu: &Sfu,
    events: &mut UnboundedReceiver<SfuEvent>,
    (c, s): (&mut MediaClient, &Seat),
    send: Option<MediaKind>,
    stash: &mut Vec<(Seat, String)>,
) {
    let offer = c.first_offer(send);
    sfu.offer(s.clone(), offer).await.expect("the SFU answers");
    loop {
        match events.try_recv() {
            Ok(SfuEvent::Answer { to, sdp }) if &to == s => return c.take_answer(&sdp),
            Ok(SfuEvent::Offer { to, sdp }) => stash.push((to, sdp)),
            other => panic!("not the answer for {s:?}: {other:?}"),
        }
    }
}

/// Answers the SFU's offers (those in `stash` first), each from the client of the seat it
/// is for (`seats[i]` is `c[i]`'s), until `done` holds.
async fn answer_offers_until(
    (sfu, events): (&Sfu, &mut UnboundedReceiver<SfuEvent>),
    (c, seats): (&mut [MediaClient], &[&Seat]),
    mut stash: Vec<(Seat, String)>,
    what: &str,
    done: impl Fn(&[MediaClient]) -> bool,
) {
    stash.reverse();
    while !done(c) {
        let offer = match stash.pop() {
            Some(o) => Some(o),
            None => {
                run_for(c, what, |c| {
                    if done(c) {
                        return Some(None);
                    }
                    match events.try_recv() {
                        Ok(SfuEvent::Offer { to, sdp }) => Some(Some((to, sdp))),
                        // Who speaks is not what this waits for.
                        Ok(SfuEvent::Speaker { .. }) => None,
                        Ok(answer) => panic!("an answer nobody asked for: {answer:?}"),
                        Err(_) => None,
                    }
                })
                .await
            }
        };
        let Some((to, sdp)) = offer else { break };
        let i = seats
            .iter()
            .position(|s| **s == to)
            .expect("a seat of ours");
        let answer = c[i].answer(&sdp);
        sfu.answer(to, answer).await.expect("answer taken");
    }
}

/// Frames `c` received on each of its tracks, fewest first.
fn per_track(c: &MediaClient) -> Vec<usize> {
    let mut n: Vec<usize> = c.received.values().map(Vec::len).collect();
    n.sort_unstable();
    n
}

#[tokio::test]
async fn one_leaving_mid_stream_stops_only_them_and_a_call_that_closed_leaves_nothing_behind() {
    let (sfu, mut events) = start().await;
    let (alice, bob, carol) = (seat("x", 1), seat("x", 2), seat("x", 3));
    let mut c = vec![
        MediaClient::new().await,
        MediaClient::new().await,
        MediaClient::new().await,
    ];
    let mut stash = Vec::new();
    let audio = Some(MediaKind::Audio);
    connect_amid(&sfu, &mut events, (&mut c[0], &alice), audio, &mut stash).await;
    connect_amid(&sfu, &mut events, (&mut c[1], &bob), None, &mut stash).await;
    connect_amid(&sfu, &mut events, (&mut c[2], &carol), audio, &mut stash).await;
    let seats = [&alice, &bob, &carol];
    let hears_both = |c: &[MediaClient]| per_track(&c[1]).len() == 2 && per_track(&c[1])[0] >= 10;
    answer_offers_until(
        (&sfu, &mut events),
        (&mut c, &seats),
        stash,
        "bob hearing both",
        hears_both,
    )
    .await;

    // alice leaves while she talks (her client goes on sending): bob goes on hearing
    // carol, and no more of alice.
    sfu.leave(alice.clone());
    let tracks = |c: &MediaClient| {
        c.received
            .iter()
            .map(|(m, f)| (*m, f.len()))
            .collect::<Vec<_>>()
    };
    let stop = offer_for(&mut events, &mut c, &bob).await;
    assert!(stop.contains("m=audio 0 "), "her m-line is stopped: {stop}");
    let answer = c[1].answer(&stop);
    sfu.answer(bob.clone(), answer).await.expect("answer taken");
    let before: std::collections::HashMap<_, _> = tracks(&c[1]).into_iter().collect();
    let sent_before = c[0].sent;
    run_until(&mut c, "bob hearing 50 more of carol", |c| {
        tracks(&c[1]).iter().any(|(m, n)| *n >= before[m] + 50)
    })
    .await;
    assert!(
        c[0].sent >= sent_before + 50,
        "alice's client went on sending"
    );
    let after = tracks(&c[1]);
    let grown: Vec<_> = after.iter().filter(|(m, n)| *n > before[m]).collect();
    assert_eq!(
        grown.len(),
        1,
        "only carol's track goes on: {before:?} -> {after:?}"
    );
    assert!(c[2].frames() > 0, "carol heard alice before she left");

    // Everyone leaves: the call closes. A new call of the same name starts from nothing.
    sfu.leave(bob.clone());
    sfu.leave(carol.clone());
    // What was offered to them before (carol was offered alice's track stopped) went with
    // their connections.
    while events.try_recv().is_ok() {}
    let mut fresh = vec![MediaClient::new().await, MediaClient::new().await];
    let mut stash = Vec::new();
    connect_amid(&sfu, &mut events, (&mut fresh[0], &bob), None, &mut stash).await;
    connect_amid(
        &sfu,
        &mut events,
        (&mut fresh[1], &carol),
        audio,
        &mut stash,
    )
    .await;
    let seats = [&bob, &carol];
    let hears = |c: &[MediaClient]| c[0].frames() >= 10;
    answer_offers_until(
        (&sfu, &mut events),
        (&mut fresh, &seats),
        stash,
        "the new bob hearing the new carol",
        hears,
    )
    .await;
    assert_eq!(
        fresh[0].received.len(),
        1,
        "nothing of the old call is offered"
    );
    assert_eq!(fresh[1].frames(), 0, "bob sends nothing");
}

/// Runs the clients until the SFU has named `n` speakers, in all; its offers are left
/// unanswered (the speaker comes from what reaches the SFU, whoever receives it).
async fn speakers_until(
    events: &mut UnboundedReceiver<SfuEvent>,
    c: &mut [MediaClient],
    named: &mut Vec<(CallId, UserId)>,
    n: usize,
) {
    run_for(c, "a speaker named", |_| {
        while let Ok(e) = events.try_recv() {
            if let SfuEvent::Speaker { call, user } = e {
                named.push((call, user));
            }
        }
        (named.len() >= n).then_some(())
    })
    .await;
}

#[tokio::test]
async fn who_speaks_is_told_from_the_audio_level_of_what_they_send() {
    let (sfu, mut events) = start().await;
    let (alice, bob) = (seat("x", 1), seat("x", 2));
    let mut c = vec![MediaClient::new().await, MediaClient::new().await];
    // alice talks (-20 dBov); bob's microphone hears a quiet room (-70 dBov).
    c[0].level = Some(-20);
    c[1].level = Some(-70);
    let mut stash = Vec::new();
    let audio = Some(MediaKind::Audio);
    connect_amid(&sfu, &mut events, (&mut c[0], &alice), audio, &mut stash).await;
    connect_amid(&sfu, &mut events, (&mut c[1], &bob), audio, &mut stash).await;
    let mut named = Vec::new();
    speakers_until(&mut events, &mut c, &mut named, 1).await;
    assert_eq!(named, vec![(alice.call.clone(), alice.user)]);

    // bob starts talking and alice stops: bob is named.
    c[0].level = Some(-127);
    c[1].level = Some(-10);
    speakers_until(&mut events, &mut c, &mut named, 2).await;
    assert_eq!(named[1], (bob.call.clone(), bob.user));
}

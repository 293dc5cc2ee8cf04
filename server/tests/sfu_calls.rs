//! A call's life in the SFU, with str0m clients on loopback (no browser): one leaving
//! mid-stream stops only their track, a call everyone left leaves nothing behind, and who
//! speaks is told from the audio level of what they send.

#[path = "common/media_client.rs"]
mod media_client;
#[path = "common/sfu_steps.rs"]
mod sfu_steps;

use hearth_server::sfu::SfuEvent;
use hearth_shared::call::CallId;
use hearth_shared::UserId;
use media_client::{run_for, run_until, MediaClient};
use sfu_steps::{answer_offers_until, clients, connect_amid, offer_for, seat, start};
use str0m::media::MediaKind;
use tokio::sync::mpsc::UnboundedReceiver;

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
    let mut c = clients(3).await;
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

/// Who the SFU named as speaker: the call, who, and to whom (none: everyone in the call).
type Named = (CallId, UserId, Option<UserId>);

/// Runs the clients until the SFU has named `n` speakers, in all; its offers are left
/// unanswered (the speaker comes from what reaches the SFU, whoever receives it).
async fn speakers_until(
    events: &mut UnboundedReceiver<SfuEvent>,
    c: &mut [MediaClient],
    named: &mut Vec<Named>,
    n: usize,
) {
    run_for(c, "a speaker named", |_| {
        while let Ok(e) = events.try_recv() {
            if let SfuEvent::Speaker { call, user, to } = e {
                named.push((call, user, to));
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
    assert_eq!(named, vec![(alice.call.clone(), alice.user, None)]);

    // bob starts talking and alice stops: bob is named.
    c[0].level = Some(-127);
    c[1].level = Some(-10);
    speakers_until(&mut events, &mut c, &mut named, 2).await;
    assert_eq!(named[1], (bob.call.clone(), bob.user, None));

    // carol comes in while bob goes on talking: nobody new speaks, but she is told who does.
    let carol = seat("x", 3);
    c.push(MediaClient::new().await);
    connect_amid(&sfu, &mut events, (&mut c[2], &carol), audio, &mut stash).await;
    speakers_until(&mut events, &mut c, &mut named, 3).await;
    assert_eq!(named[2], (carol.call.clone(), bob.user, Some(carol.user)));
}

//! A call moving to the SFU, with str0m clients on loopback (no browser): everyone connects
//! at about the same time, so one who connects before the others is offered a slot for each
//! track they will send, all in one offer, and their media flows on those slots as each
//! connects, with no offer more than the one stopping the slots nobody filled.

#[path = "common/media_client.rs"]
mod media_client;
#[path = "common/sfu_steps.rs"]
mod sfu_steps;

use hearth_server::sfu::{Seat, Slots};
use hearth_shared::UserId;
use media_client::MediaClient;
use sfu_steps::{answer_offers, clients, connect_expecting, offer_for, seat, start};
use str0m::media::MediaKind;

/// A video call's slots for `users`.
fn expect(users: &[u32]) -> Slots {
    Slots {
        from: users.iter().map(|u| UserId(*u)).collect(),
        video: true,
    }
}

/// The audio and video m-lines of an SDP, and those of them stopped (port 0).
fn m_lines(sdp: &str) -> (usize, usize) {
    let media = |l: &&str| l.starts_with("m=audio") || l.starts_with("m=video");
    let all = sdp.lines().filter(media).count();
    let stopped = (sdp.lines())
        .filter(|l| l.starts_with("m=audio 0 ") || l.starts_with("m=video 0 "))
        .count();
    (all, stopped)
}

#[tokio::test]
async fn the_first_to_connect_gets_every_track_expected_in_one_offer_and_no_more_as_they_come() {
    let (sfu, mut events) = start().await;
    let (alice, bob, carol) = (seat("x", 1), seat("x", 2), seat("x", 3));
    let mut c = clients(3).await;

    // bob connects first, to receive; alice and carol have not connected yet.
    let mut stash = Vec::new();
    let to_bob = (&mut c[1], &bob);
    connect_expecting(
        &sfu,
        &mut events,
        to_bob,
        (None, expect(&[1, 3])),
        &mut stash,
    )
    .await;
    assert!(stash.is_empty(), "nobody else to offer anything to");
    let first = offer_for(&mut events, &mut c, &bob).await;
    let audio = first.lines().filter(|l| l.starts_with("m=audio")).count();
    let video = first.lines().filter(|l| l.starts_with("m=video")).count();
    assert_eq!(
        (audio, video),
        (2, 2),
        "a slot for each one's sound and picture: {first}"
    );
    assert!(
        first.contains("a=msid:u1 ") && first.contains("a=msid:u3 "),
        "{first}"
    );
    let answer = c[1].answer(&first);
    sfu.answer(bob.clone(), answer).await.expect("answer taken");

    // alice sends only her camera, carol only her microphone.
    let to_alice = (&mut c[0], &alice);
    let alice_sends = (Some(MediaKind::Video), expect(&[2, 3]));
    connect_expecting(&sfu, &mut events, to_alice, alice_sends, &mut stash).await;
    let to_carol = (&mut c[2], &carol);
    let carol_sends = (Some(MediaKind::Audio), expect(&[1, 2]));
    connect_expecting(&sfu, &mut events, to_carol, carol_sends, &mut stash).await;

    // Every offer is answered; bob's later ones only stop the slots nobody filled (alice's
    // microphone, carol's camera) once those two are up.
    let seats = [&alice, &bob, &carol];
    let bob_got = |c: &[MediaClient]| {
        c[1].received.len() == 2 && c[1].received.values().all(|f| f.len() >= 10)
    };
    let to_bob = |offers: &[(Seat, String)]| -> Vec<String> {
        (offers.iter().filter(|(to, _)| *to == bob))
            .map(|(_, sdp)| sdp.clone())
            .collect()
    };
    let stopped =
        |offers: &[(Seat, String)]| to_bob(offers).iter().map(|s| m_lines(s).1).max() == Some(2);
    let what = "bob getting both, and the empty slots stopped";
    let answered = answer_offers(
        (&sfu, &mut events),
        (&mut c, &seats),
        stash,
        what,
        |c, o| bob_got(c) && stopped(o),
    )
    .await;
    for sdp in to_bob(&answered) {
        assert_eq!(m_lines(&sdp).0, 4, "no track was added for bob: {sdp}");
    }
}

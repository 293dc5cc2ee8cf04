//! The SFU on loopback with str0m clients (no browser): what one participant sends reaches
//! the others of its call, decoded frame for frame, and nobody outside it; leaving stops it.

#[path = "common/media_client.rs"]
mod media_client;

use std::time::{Duration, Instant};

use hearth_server::sfu::{Seat, Sfu, SfuEvent};
use hearth_shared::call::CallId;
use hearth_shared::UserId;
use media_client::{frame, MediaClient};
use tokio::sync::mpsc::UnboundedReceiver;

fn seat(call: &str, user: u32) -> Seat {
    Seat {
        call: CallId(call.into()),
        user: UserId(user),
    }
}

/// Runs the clients until `done` holds, failing after 10 s with `what`.
async fn run_until(clients: &mut [MediaClient], what: &str, done: impl Fn(&[MediaClient]) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done(clients) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        for c in clients.iter_mut() {
            c.step();
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// The SFU's next offer, for `to`, while the clients run.
async fn offer_for(
    events: &mut UnboundedReceiver<SfuEvent>,
    clients: &mut [MediaClient],
    to: &Seat,
) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(SfuEvent::Offer { to: t, sdp }) = events.try_recv() {
            assert_eq!(&t, to, "an offer for someone else came first");
            return sdp;
        }
        assert!(Instant::now() < deadline, "no offer for {to:?}");
        for c in clients.iter_mut() {
            c.step();
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Connects `c` as `s`: its offer, the SFU's answer.
async fn connect(sfu: &Sfu, c: &mut MediaClient, s: &Seat, send: bool) {
    let offer = c.first_offer(send);
    let answer = sfu.offer(s.clone(), offer).await.expect("the SFU answers");
    c.take_answer(&answer);
}

#[tokio::test]
async fn media_reaches_the_others_in_the_call_frame_for_frame_and_nobody_else() {
    let (sfu, mut events) = Sfu::start("127.0.0.1:0".parse().expect("an address"), None)
        .await
        .expect("the media port");
    let (alice, bob, carol) = (seat("x", 1), seat("x", 2), seat("y", 3));
    let mut c = vec![
        MediaClient::new().await,
        MediaClient::new().await,
        MediaClient::new().await,
    ];
    connect(&sfu, &mut c[0], &alice, true).await;
    connect(&sfu, &mut c[1], &bob, false).await;
    connect(&sfu, &mut c[2], &carol, false).await;
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
async fn an_answer_without_an_offer_and_a_bad_description_are_refused() {
    let (sfu, _events) = Sfu::start("127.0.0.1:0".parse().expect("an address"), None)
        .await
        .expect("the media port");
    let err = sfu.answer(seat("x", 1), "v=0".into()).await;
    assert_eq!(err, Err(hearth_server::sfu::SfuError::NotConnected));
    let err = sfu.offer(seat("x", 1), "not sdp".into()).await;
    assert!(
        matches!(err, Err(hearth_server::sfu::SfuError::Sdp(_))),
        "{err:?}"
    );
    let mut c = MediaClient::new().await;
    connect(&sfu, &mut c, &seat("x", 1), false).await;
    let err = sfu.answer(seat("x", 1), "v=0".into()).await;
    assert_eq!(err, Err(hearth_server::sfu::SfuError::NoOffer));
}

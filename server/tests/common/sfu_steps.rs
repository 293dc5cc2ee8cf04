//! Steps the SFU tests share: a seat, an SFU on a loopback port, its next offers, a client
//! connecting amid others (expecting some not connected yet), and answering the SFU's offers until something holds.
#![allow(dead_code)]

use hearth_server::sfu::{Seat, Sfu, SfuEvent, Slots};
use hearth_shared::call::CallId;
use hearth_shared::UserId;
use tokio::sync::mpsc::UnboundedReceiver;

use str0m::media::MediaKind;

use crate::media_client::{run_for, MediaClient};

pub fn seat(call: &str, user: u32) -> Seat {
    Seat {
        call: CallId(call.into()),
        user: UserId(user),
    }
}

/// An SFU on a loopback port of its own.
pub async fn start() -> (Sfu, UnboundedReceiver<SfuEvent>) {
    Sfu::start("127.0.0.1:0".parse().expect("an address"), None)
        .await
        .expect("the media port")
}

/// `n` clients, each on a loopback port of its own.
pub async fn clients(n: usize) -> Vec<MediaClient> {
    let mut c = Vec::new();
    for _ in 0..n {
        c.push(MediaClient::new().await);
    }
    c
}

/// The SFU's next offer (to whom, the SDP), while the clients run.
pub async fn next_offer(
    events: &mut UnboundedReceiver<SfuEvent>,
    clients: &mut [MediaClient],
) -> (Seat, String) {
    run_for(clients, "an offer", |_| match events.try_recv() {
        Ok(SfuEvent::Offer { to, sdp }) => Some((to, sdp)),
        // Who speaks is not what this waits for.
        Ok(SfuEvent::Speaker { .. }) => None,
        Ok(answer) => panic!("an answer nobody asked for: {answer:?}"),
        Err(_) => None,
    })
    .await
}

/// The SFU's next offer, which must be for `to`.
pub async fn offer_for(
    events: &mut UnboundedReceiver<SfuEvent>,
    clients: &mut [MediaClient],
    to: &Seat,
) -> String {
    let (t, sdp) = next_offer(events, clients).await;
    assert_eq!(&t, to, "an offer for someone else came first");
    sdp
}

/// Connects `c` as `s` while others of the call are connected: offers the SFU makes to
/// them meanwhile are kept in `stash`.
pub async fn connect_amid(
    sfu: &Sfu,
    events: &mut UnboundedReceiver<SfuEvent>,
    (c, s): (&mut MediaClient, &Seat),
    send: Option<MediaKind>,
    stash: &mut Vec<(Seat, String)>,
) {
    connect_expecting(sfu, events, (c, s), (send, Slots::default()), stash).await;
}

/// As [`connect_amid`], expecting the tracks of senders not connected yet (`Slots`).
pub async fn connect_expecting(
    sfu: &Sfu,
    events: &mut UnboundedReceiver<SfuEvent>,
    (c, s): (&mut MediaClient, &Seat),
    (send, expect): (Option<MediaKind>, Slots),
    stash: &mut Vec<(Seat, String)>,
) {
    let offer = c.first_offer(send);
    sfu.offer(s.clone(), offer, expect)
        .await
        .expect("the SFU answers");
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
pub async fn answer_offers_until(
    sfu_events: (&Sfu, &mut UnboundedReceiver<SfuEvent>),
    clients: (&mut [MediaClient], &[&Seat]),
    stash: Vec<(Seat, String)>,
    what: &str,
    done: impl Fn(&[MediaClient]) -> bool,
) {
    answer_offers(sfu_events, clients, stash, what, |c, _| done(c)).await;
}

/// As [`answer_offers_until`], with `done` also given the offers answered so far, which it
/// returns.
pub async fn answer_offers(
    (sfu, events): (&Sfu, &mut UnboundedReceiver<SfuEvent>),
    (c, seats): (&mut [MediaClient], &[&Seat]),
    mut stash: Vec<(Seat, String)>,
    what: &str,
    done: impl Fn(&[MediaClient], &[(Seat, String)]) -> bool,
) -> Vec<(Seat, String)> {
    stash.reverse();
    let mut answered = Vec::new();
    while !done(c, &answered) {
        let offer = match stash.pop() {
            Some(o) => Some(o),
            None => {
                run_for(c, what, |c| {
                    if done(c, &answered) {
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
        sfu.answer(to.clone(), answer).await.expect("answer taken");
        answered.push((to, sdp));
    }
    answered
}

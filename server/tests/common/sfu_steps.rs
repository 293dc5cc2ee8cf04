//! Steps the SFU tests share: a seat, an SFU on a loopback port, and its next offers.

use hearth_server::sfu::{Seat, Sfu, SfuEvent};
use hearth_shared::call::CallId;
use hearth_shared::UserId;
use tokio::sync::mpsc::UnboundedReceiver;

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

/// The SFU's next offer (to whom, the SDP), while the clients run.
pub async fn next_offer(
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

//! The media relay (SFU) over the real socket: participants of a room call connect to it
//! with `sfu_description` and hear each other through it; a member not in the call and a
//! stranger are refused; leaving the call takes a participant's media out of it; a server
//! without an SFU says so.

mod common;
#[path = "common/media_client.rs"]
mod media_client;

use common::calls::{from_sfu, refused, send, to_sfu};
use common::rooms::{join_room, trip, Rejoining};
use common::{with_sfu, Client, TestServer};
use hearth_shared::call::{CallId, ClientCall, SdpType, ServerCall};
use hearth_shared::session::ErrorCode;
use hearth_shared::{ConversationId, ServerMsg};
use media_client::{run_until, MediaClient};
use str0m::media::MediaKind;

async fn join(c: &mut Client, room: ConversationId) -> CallId {
    let call = join_room(c, room, Rejoining::default()).await;
    call.expect("in the call").id
}

#[tokio::test]
async fn participants_hear_each_other_through_the_sfu_and_nobody_else_can_use_it() {
    let server = TestServer::start_with(with_sfu()).await;
    let (mut a, mut b, mut c, room) = trip(&server).await;
    let call = join(&mut a, room).await;
    join(&mut b, room).await;
    let mut m = vec![MediaClient::new().await, MediaClient::new().await];

    // alice sends her microphone (and talks: -20 dBov); bob only receives.
    m[0].level = Some(-20);
    to_sfu(
        &mut a,
        &call,
        SdpType::Offer,
        m[0].first_offer(Some(MediaKind::Audio)),
    )
    .await;
    m[0].take_answer(&from_sfu(&mut a, SdpType::Answer).await);
    to_sfu(&mut b, &call, SdpType::Offer, m[1].first_offer(None)).await;
    m[1].take_answer(&from_sfu(&mut b, SdpType::Answer).await);
    run_until(&mut m, "both connected", |m| m.iter().all(|c| c.connected)).await;
    // The SFU offers bob her microphone, over his socket.
    let offer = from_sfu(&mut b, SdpType::Offer).await;
    assert!(offer.contains("m=audio"), "{offer}");
    to_sfu(&mut b, &call, SdpType::Answer, m[1].answer(&offer)).await;
    run_until(&mut m, "bob hearing alice", |m| m[1].frames() >= 10).await;
    // Both participants are told that alice speaks.
    let alice = a.me.id;
    for p in [&mut a, &mut b] {
        let who = p
            .recv_until(|m| match m {
                ServerMsg::Call(ServerCall::Speaker { call_id, user }) if *call_id == call => {
                    Some(*user)
                }
                _ => None,
            })
            .await;
        assert_eq!(who, alice);
    }

    // carol, a member of the room but not in the call, and dave, a stranger, cannot.
    let mut dave = server.user("dave").await;
    for outsider in [&mut c, &mut dave] {
        let sdp = MediaClient::new().await.first_offer(None);
        to_sfu(outsider, &call, SdpType::Offer, sdp).await;
        assert_eq!(refused(outsider).await, ErrorCode::NoSuchCall);
    }

    let told = |m: &ServerMsg| matches!(m, ServerMsg::Call(ServerCall::Speaker { .. }));
    assert!(
        !c.backlog_has(told),
        "carol, not in the call, is not told who speaks"
    );

    // alice leaves the call: bob is offered her microphone stopped.
    let hangup = ClientCall::Hangup {
        call_id: call.clone(),
        req_id: None,
    };
    send(&mut a, hangup).await;
    // Before that, bob may be offered the slot kept for her camera stopped (she sends none,
    // and he connected before her connection was up: `sfu::Slots`).
    let mut stop = from_sfu(&mut b, SdpType::Offer).await;
    if !stop.contains("m=audio 0 ") {
        assert!(stop.contains("m=video 0 "), "her camera's slot: {stop}");
        to_sfu(&mut b, &call, SdpType::Answer, m[1].answer(&stop)).await;
        stop = from_sfu(&mut b, SdpType::Offer).await;
    }
    assert!(stop.contains("m=audio 0 "), "her m-line is stopped: {stop}");
}

#[tokio::test]
async fn a_server_without_an_sfu_refuses_the_offer() {
    let server = TestServer::start().await;
    let (mut a, _b, _c, room) = trip(&server).await;
    let call = join(&mut a, room).await;
    let sdp = MediaClient::new().await.first_offer(None);
    to_sfu(&mut a, &call, SdpType::Offer, sdp).await;
    assert_eq!(refused(&mut a).await, ErrorCode::Conflict);
}

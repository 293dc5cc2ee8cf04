//! Broadcasts over the real socket and the real SFU (issue 13): alice goes live in a room,
//! members watch through the SFU and receive her media; a viewer who offers to send media
//! reaches nobody with it; a viewer leaving is told to the host, and the host ending it to
//! every viewer; joining a call where someone is live is refused.

mod common;
#[path = "common/media_client.rs"]
mod media_client;

use common::calls::{from_sfu, send, to_sfu};
use common::rooms::{enter, trip};
use common::{with_sfu, Client, TestServer};
use hearth_shared::call::{ClientCall, EndReason, RoomCallInfo, SdpType, ServerCall};
use hearth_shared::session::{ClientSession, ErrorCode, ServerSession};
use hearth_shared::{ClientMsg, ConversationId, ServerMsg};
use media_client::{run_until, MediaClient};
use str0m::media::MediaKind;

async fn watch(c: &mut Client, room: ConversationId) -> Result<RoomCallInfo, ErrorCode> {
    let watched = enter(c, |req_id| ClientCall::Watch { req_id, room }).await;
    watched.map_err(|e| e.0)
}

/// Everything the server sent `c` until it answers a ping (frames are written in order).
async fn until_pong(c: &mut Client) {
    c.send(ClientMsg::Session(ClientSession::Ping)).await;
    c.recv_until(|m| matches!(m, ServerMsg::Session(ServerSession::Pong)).then_some(()))
        .await;
}

#[tokio::test]
async fn viewers_receive_the_host_through_the_sfu_and_send_nothing_to_anyone() {
    let server = TestServer::start_with(with_sfu()).await;
    let (mut a, mut b, mut c, room) = trip(&server).await;
    let live = enter(&mut a, |req_id| ClientCall::GoLive { req_id, room })
        .await
        .expect("alice goes live");
    assert_eq!(live.host, Some(a.me.id));
    let call = live.id;
    // A member joining the room's call instead of watching is told to watch.
    let join = common::rooms::join_room(&mut c, room, Default::default()).await;
    assert_eq!(join.map(|_| ()).map_err(|e| e.0), Err(ErrorCode::Conflict));
    watch(&mut b, room).await.expect("bob watches");
    let seen = watch(&mut c, room).await.expect("carol watches");
    assert_eq!(seen.participants.len(), 3, "alice and two viewers");

    // alice sends her microphone; bob offers only to receive; carol offers a microphone.
    let mut m = vec![
        MediaClient::new().await,
        MediaClient::new().await,
        MediaClient::new().await,
    ];
    let offers = [
        m[0].first_offer(Some(MediaKind::Audio)),
        m[1].first_offer(None),
        m[2].first_offer(Some(MediaKind::Audio)),
    ];
    for ((client, media), sdp) in [&mut a, &mut b, &mut c].into_iter().zip(&mut m).zip(offers) {
        to_sfu(client, &call, SdpType::Offer, sdp).await;
        media.take_answer(&from_sfu(client, SdpType::Answer).await);
    }
    run_until(&mut m, "all connected", |m| m.iter().all(|c| c.connected)).await;
    for (client, i) in [(&mut b, 1), (&mut c, 2)] {
        let offer = from_sfu(client, SdpType::Offer).await;
        assert_eq!(
            offer.matches("m=audio").count(),
            i,
            "alice's microphone: {offer}"
        );
        to_sfu(client, &call, SdpType::Answer, m[i].answer(&offer)).await;
    }
    run_until(&mut m, "both viewers hearing alice, carol sending", |m| {
        m[1].frames() >= 20 && m[2].received.len() == 1 && m[2].sent >= 50
    })
    .await;
    // (bob may be offered alice's camera slot stopped: he connected before her connection
    // was up, and she sends no camera; see `sfu::Slots`.)
    let carols = format!("a=msid:u{} ", c.me.id.0);
    for (client, who) in [(&mut a, "alice"), (&mut b, "bob")] {
        until_pong(client).await;
        let offered = |m: &ServerMsg| matches!(m, ServerMsg::Call(ServerCall::SfuDescription { description, .. }) if description.kind == SdpType::Offer && (who == "alice" || description.sdp.contains(&carols)));
        assert!(
            !client.backlog_has(offered),
            "{who} is offered nothing of carol's"
        );
    }
    assert_eq!(m[0].frames(), 0, "alice receives nothing");

    // bob stops watching: alice is told, carol is not; alice ends it: carol is told.
    send(
        &mut b,
        ClientCall::Hangup {
            call_id: call.clone(),
            req_id: None,
        },
    )
    .await;
    let left = a
        .recv_until(|m| match m {
            ServerMsg::Call(ServerCall::PeerLeft { user, .. }) => Some(*user),
            _ => None,
        })
        .await;
    assert_eq!(left, b.me.id);
    send(
        &mut a,
        ClientCall::Hangup {
            call_id: call.clone(),
            req_id: None,
        },
    )
    .await;
    let why = c
        .recv_until(|m| match m {
            ServerMsg::Call(ServerCall::Ended { reason, .. }) => Some(*reason),
            _ => None,
        })
        .await;
    assert_eq!(why, EndReason::BroadcastEnded);
    let peer_left = |m: &ServerMsg| matches!(m, ServerMsg::Call(ServerCall::PeerLeft { .. }));
    assert!(
        !c.backlog_has(peer_left),
        "carol never heard of bob leaving"
    );
    // Nobody is live now.
    assert_eq!(watch(&mut b, room).await.err(), Some(ErrorCode::NoSuchCall));
}

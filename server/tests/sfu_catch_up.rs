//! A receiver who starts a picture gets it at once (issue 13: "a viewer joining late gets a
//! keyframe at once"): the SFU sends it the frames since the sender's last keyframe, which it
//! keeps, instead of asking the sender for a keyframe (at most once a second per track) and
//! forwarding deltas it cannot decode meanwhile. Over the real socket and the real SFU, with
//! str0m clients: alice is live sending a keyframe every half second; viewers who come
//! between two keyframes start with one, and alice is asked for none.

mod common;
#[path = "common/media_client.rs"]
mod media_client;

use common::calls::{from_sfu, to_sfu};
use common::rooms::{enter, trip};
use common::{with_sfu, Client, TestServer};
use hearth_shared::call::{CallId, ClientCall, SdpType};
use hearth_shared::ConversationId;
use media_client::{run_until, MediaClient};
use str0m::media::MediaKind;

/// Whether a frame the test client sent is a keyframe (the VP8 tag's first bit clear).
fn is_keyframe(frame: &[u8]) -> bool {
    frame[0] & 1 == 0
}

/// `viewer` watches with its media client `m[i]`, connected to the SFU and answering its
/// offer of alice's camera.
async fn watch(
    viewer: &mut Client,
    (room, call): (ConversationId, &CallId),
    m: &mut [MediaClient],
    i: usize,
) {
    enter(viewer, |req_id| ClientCall::Watch { req_id, room })
        .await
        .expect("watches");
    to_sfu(viewer, call, SdpType::Offer, m[i].first_offer(None)).await;
    m[i].take_answer(&from_sfu(viewer, SdpType::Answer).await);
    run_until(m, "connected", |m| m[i].connected).await;
    let offer = from_sfu(viewer, SdpType::Offer).await;
    assert_eq!(offer.matches("m=video").count(), 1, "alice's camera");
    to_sfu(viewer, call, SdpType::Answer, m[i].answer(&offer)).await;
}

#[tokio::test]
async fn a_late_viewer_starts_on_a_keyframe_at_once_and_the_host_is_asked_for_none() {
    let server = TestServer::start_with(with_sfu()).await;
    let (mut a, mut b, mut c, room) = trip(&server).await;
    let live = enter(&mut a, |req_id| ClientCall::GoLive { req_id, room })
        .await
        .expect("alice goes live");
    let call = live.id;
    let mut m = vec![
        MediaClient::new().await,
        MediaClient::new().await,
        MediaClient::new().await,
    ];
    // 50 frames a second, a keyframe every 25th.
    m[0].keyframe_every = 25;
    to_sfu(
        &mut a,
        &call,
        SdpType::Offer,
        m[0].first_offer(Some(MediaKind::Video)),
    )
    .await;
    m[0].take_answer(&from_sfu(&mut a, SdpType::Answer).await);
    run_until(&mut m, "alice sending, between two keyframes", |m| {
        m[0].sent >= 40 && m[0].sent % 25 == 15
    })
    .await;

    for (viewer, i) in [(&mut b, 1), (&mut c, 2)] {
        watch(viewer, (room, &call), &mut m, i).await;
        run_until(&mut m, "the viewer receiving", |m| m[i].frames() >= 5).await;
        let first = m[i].received.values().next().expect("frames")[0].clone();
        assert!(is_keyframe(&first), "viewer {i} starts on a keyframe");
        assert_eq!(m[0].keyframe_requests, 0, "alice was asked for no keyframe");
    }
}

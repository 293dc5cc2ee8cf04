//! Calls over real sockets: ringing, answering on one of several tabs, signaling relayed
//! only between the two tabs in the call, busy, decline, ring timeout, lost connection.

mod common;

use std::time::Duration;

use common::calls::*;
use common::{befriend, Client, TestServer};
use hearth_server::Settings;
use hearth_shared::call::*;
use hearth_shared::session::ErrorCode;
use hearth_shared::ServerMsg;

fn offer() -> SessionDescription {
    SessionDescription {
        kind: SdpType::Offer,
        sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n".into(),
    }
}

#[tokio::test]
async fn a_call_rings_every_tab_connects_one_relays_signaling_and_is_recorded() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    befriend(&mut a, &mut b).await;
    let mut b2 = Client::connect(&server, &b.cookie.clone()).await;

    let id = invite(&mut a, &b, CallKind::Video).await;
    for tab in [&mut b, &mut b2] {
        let call = incoming(tab).await;
        assert_eq!(
            (call.id.clone(), call.peer.username.as_str(), call.kind),
            (id.clone(), "alice", CallKind::Video)
        );
    }
    accept(&mut b, &id).await;
    let polite_a = call_event(&mut a, |m| match m {
        ServerCall::Connected { polite, .. } => Some(*polite),
        _ => None,
    })
    .await;
    let polite_b = call_event(&mut b, |m| match m {
        ServerCall::Connected { polite, .. } => Some(*polite),
        _ => None,
    })
    .await;
    assert_eq!(
        (polite_a, polite_b),
        (false, true),
        "the caller offers first"
    );
    assert_eq!(ended(&mut b2, &id).await, EndReason::AnsweredElsewhere);

    send(
        &mut a,
        ClientCall::Description {
            call_id: id.clone(),
            to: None,
            description: offer(),
        },
    )
    .await;
    let got = call_event(&mut b, |m| match m {
        ServerCall::Description { description, .. } => Some(description.clone()),
        _ => None,
    })
    .await;
    assert_eq!(got, offer(), "SDP passes through untouched");
    let cand = IceCandidate {
        candidate: "candidate:1 1 udp 1 127.0.0.1 9 typ host".into(),
        sdp_mid: Some("0".into()),
        sdp_m_line_index: Some(0),
        username_fragment: None,
    };
    send(
        &mut b,
        ClientCall::Candidate {
            call_id: id.clone(),
            to: None,
            candidate: Some(cand.clone()),
        },
    )
    .await;
    // Then end of candidates (`null`), which passes through as it is.
    send(
        &mut b,
        ClientCall::Candidate {
            call_id: id.clone(),
            to: None,
            candidate: None,
        },
    )
    .await;
    for want in [Some(cand.clone()), None] {
        let got = call_event(&mut a, |m| match m {
            ServerCall::Candidate { candidate, .. } => Some(candidate.clone()),
            _ => None,
        })
        .await;
        assert_eq!(got, want);
    }

    send(
        &mut a,
        ClientCall::Hangup {
            call_id: id.clone(),
            req_id: None,
        },
    )
    .await;
    assert_eq!(ended(&mut a, &id).await, EndReason::HungUp);
    assert_eq!(ended(&mut b, &id).await, EndReason::HungUp);
    assert!(matches!(
        recorded(&mut b).await.outcome,
        CallOutcome::Completed { .. }
    ));
}

#[tokio::test]
async fn a_non_friend_cannot_call() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let eve = server.user("eve").await;
    let req_id = a.req();
    send(
        &mut a,
        ClientCall::Invite {
            req_id,
            callee: eve.me.id,
            kind: CallKind::Voice,
        },
    )
    .await;
    assert_eq!(a.answer(req_id).await, Err(ErrorCode::NotFriends));
}

#[tokio::test]
async fn a_third_user_cannot_inject_signaling_or_answer() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    let mut eve = server.user("eve").await;
    befriend(&mut a, &mut b).await;
    let id = invite(&mut a, &b, CallKind::Video).await;
    incoming(&mut b).await;
    accept(&mut eve, &id).await;
    send(
        &mut eve,
        ClientCall::Description {
            call_id: id.clone(),
            to: None,
            description: offer(),
        },
    )
    .await;
    let cand = IceCandidate {
        candidate: "candidate:evil".into(),
        sdp_mid: None,
        sdp_m_line_index: Some(0),
        username_fragment: None,
    };
    send(
        &mut eve,
        ClientCall::Candidate {
            call_id: id.clone(),
            to: None,
            candidate: Some(cand),
        },
    )
    .await;
    send(
        &mut eve,
        ClientCall::Recording {
            call_id: id.clone(),
            on: true,
        },
    )
    .await;
    for _ in 0..4 {
        let code = eve
            .recv_until(|m| match m {
                ServerMsg::Session(hearth_shared::session::ServerSession::Error {
                    code, ..
                }) => Some(*code),
                _ => None,
            })
            .await;
        assert_eq!(code, ErrorCode::NoSuchCall);
    }
    // The real callee can still answer, and nothing of eve's reached either member.
    accept(&mut b, &id).await;
    connected(&mut a).await;
    assert!(!b.backlog_has(|m| matches!(m, ServerMsg::Call(ServerCall::Recording { .. }))));
    // A member's recording flag does reach the other member (consent).
    send(
        &mut a,
        ClientCall::Recording {
            call_id: id.clone(),
            on: true,
        },
    )
    .await;
    b.recv_until(|m| match m {
        ServerMsg::Call(ServerCall::Recording {
            call_id, on: true, ..
        }) if *call_id == id => Some(()),
        _ => None,
    })
    .await;
    send(
        &mut a,
        ClientCall::Hangup {
            call_id: id.clone(),
            req_id: None,
        },
    )
    .await;
    ended(&mut b, &id).await;
    let injected = |c: &Client| {
        c.backlog_has(|m| {
            matches!(
                m,
                ServerMsg::Call(ServerCall::Description { .. } | ServerCall::Candidate { .. })
            )
        })
    };
    assert!(!injected(&a) && !injected(&b));
}

#[tokio::test]
async fn declining_tells_the_caller_and_a_busy_callee_is_reported() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    let mut c = server.user("carol").await;
    befriend(&mut a, &mut b).await;
    befriend(&mut c, &mut b).await;
    let id = invite(&mut a, &b, CallKind::Voice).await;
    incoming(&mut b).await;
    let busy = invite(&mut c, &b, CallKind::Video).await;
    assert_eq!(ended(&mut c, &busy).await, EndReason::Busy);
    send(
        &mut b,
        ClientCall::Decline {
            call_id: id.clone(),
            req_id: None,
        },
    )
    .await;
    assert_eq!(ended(&mut a, &id).await, EndReason::Declined);
    assert_eq!(recorded(&mut a).await.outcome, CallOutcome::Declined);
}

#[tokio::test]
async fn an_unanswered_call_ends_as_missed_in_both_conversations() {
    let settings = Settings {
        ring_timeout: Duration::from_secs(1),
        ..common::quick_settings()
    };
    let server = TestServer::start_with(settings).await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    befriend(&mut a, &mut b).await;
    let id = invite(&mut a, &b, CallKind::Video).await;
    incoming(&mut b).await;
    assert_eq!(ended(&mut a, &id).await, EndReason::Missed);
    assert_eq!(ended(&mut b, &id).await, EndReason::Missed);
    let missed = CallRecord {
        kind: CallKind::Video,
        outcome: CallOutcome::Missed,
        participants: Vec::new(),
        broadcast: false,
    };
    assert_eq!(recorded(&mut a).await, missed);
    assert_eq!(recorded(&mut b).await, missed);
}

#[tokio::test]
async fn closing_the_page_ends_the_call_for_the_other_side() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    befriend(&mut a, &mut b).await;
    let id = answered(&mut a, &mut b).await;
    // A closing page says goodbye (a close frame); a lost connection does not (call_resume.rs).
    b.ws.close(None).await.expect("close");
    assert_eq!(ended(&mut a, &id).await, EndReason::Disconnected);
}

#[tokio::test]
async fn calling_each_other_at_once_makes_exactly_one_call() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    befriend(&mut a, &mut b).await;
    // Both press "call" before either sees the other's ring.
    let (ra, rb) = (a.req(), b.req());
    send(
        &mut a,
        ClientCall::Invite {
            req_id: ra,
            callee: b.me.id,
            kind: CallKind::Video,
        },
    )
    .await;
    send(
        &mut b,
        ClientCall::Invite {
            req_id: rb,
            callee: a.me.id,
            kind: CallKind::Video,
        },
    )
    .await;
    let id_a = call_event(&mut a, |m| match m {
        ServerCall::Outgoing { call, .. } => Some(call.id.clone()),
        _ => None,
    })
    .await;
    let id_b = call_event(&mut b, |m| match m {
        ServerCall::Outgoing { call, .. } => Some(call.id.clone()),
        _ => None,
    })
    .await;
    assert_eq!(id_a, id_b, "one call, not two");
    for c in [&mut a, &mut b] {
        call_event(c, |m| {
            matches!(m, ServerCall::Connected { .. }).then_some(())
        })
        .await;
    }
    send(
        &mut a,
        ClientCall::Hangup {
            call_id: id_a.clone(),
            req_id: None,
        },
    )
    .await;
    assert_eq!(ended(&mut b, &id_a).await, EndReason::HungUp);
}

#[tokio::test]
async fn a_post_cannot_take_the_place_of_a_call_entry() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    let conv = befriend(&mut a, &mut b).await;
    let id = invite(&mut a, &b, CallKind::Video).await;
    incoming(&mut b).await;
    // The caller posts, while it rings, with the client id the server once used for the
    // call's entry: it is only a message, and the entry is still stored.
    a.post_with_id(
        conv,
        hearth_shared::ClientMsgId(format!("call-{}", id.0)),
        "a text",
    )
    .await
    .expect("an ordinary message");
    send(
        &mut a,
        ClientCall::Hangup {
            call_id: id.clone(),
            req_id: None,
        },
    )
    .await;
    assert_eq!(ended(&mut b, &id).await, EndReason::Cancelled);
    assert_eq!(recorded(&mut a).await.outcome, CallOutcome::Cancelled);
}

#[tokio::test]
async fn removing_a_friend_ends_the_call_between_them() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    befriend(&mut a, &mut b).await;
    let id = answered(&mut a, &mut b).await;
    let bob = b.me.id;
    a.friends_cmd(|req_id| hearth_shared::friends::ClientFriends::Remove { req_id, user: bob })
        .await
        .expect("removed");
    assert_eq!(ended(&mut a, &id).await, EndReason::HungUp);
    assert_eq!(ended(&mut b, &id).await, EndReason::HungUp);
    // bob's media frames reach alice no more.
    send(
        &mut b,
        ClientCall::Media {
            call_id: id.clone(),
            audio: false,
            video: false,
            screen: false,
        },
    )
    .await;
    assert_eq!(refused(&mut b).await, ErrorCode::NoSuchCall);
}

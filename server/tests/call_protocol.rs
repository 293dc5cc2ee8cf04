//! The call protocol as a client written from `docs/protocol.md` alone meets it: a refused
//! command names its request and its call, `accept` with a `req_id` is acknowledged,
//! signaling before the answer is refused as such, and a rollback stays with its sender.

mod common;

use common::calls::*;
use common::{befriend, Client, TestServer};
use hearth_shared::call::*;
use hearth_shared::session::{ErrorCode, ServerSession};
use hearth_shared::{ReqId, ServerMsg};

fn description(kind: SdpType) -> SessionDescription {
    SessionDescription {
        kind,
        sdp: if kind == SdpType::Rollback {
            String::new()
        } else {
            "v=0\r\n".into()
        },
    }
}

/// The next `error`: its request number, call and code.
async fn error(c: &mut Client) -> (Option<ReqId>, Option<CallId>, ErrorCode) {
    c.recv_until(|m| match m {
        ServerMsg::Session(ServerSession::Error {
            req_id,
            call_id,
            code,
            ..
        }) => Some((*req_id, call_id.clone(), *code)),
        _ => None,
    })
    .await
}

#[tokio::test]
async fn a_refused_call_command_names_its_request_and_its_call() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let nowhere = CallId("0123456789abcdef01234567".into());
    let req_id = a.req();
    send(
        &mut a,
        ClientCall::Hangup {
            call_id: nowhere.clone(),
            req_id: Some(req_id),
        },
    )
    .await;
    assert_eq!(
        error(&mut a).await,
        (Some(req_id), Some(nowhere.clone()), ErrorCode::NoSuchCall)
    );
    // Signaling has no request number, but still names the call.
    send(
        &mut a,
        ClientCall::Media {
            call_id: nowhere.clone(),
            audio: true,
            video: true,
            screen: false,
        },
    )
    .await;
    assert_eq!(
        error(&mut a).await,
        (None, Some(nowhere), ErrorCode::NoSuchCall)
    );
}

#[tokio::test]
async fn accept_with_a_request_number_is_acknowledged() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    befriend(&mut a, &mut b).await;
    let id = invite(&mut a, &b, CallKind::Voice).await;
    incoming(&mut b).await;
    let req_id = b.req();
    send(
        &mut b,
        ClientCall::Accept {
            call_id: id,
            req_id: Some(req_id),
        },
    )
    .await;
    assert_eq!(b.answer(req_id).await, Ok(()));
    connected(&mut a).await;
}

#[tokio::test]
async fn signaling_before_the_answer_is_refused_as_not_answered_yet() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    befriend(&mut a, &mut b).await;
    let id = invite(&mut a, &b, CallKind::Video).await;
    send(
        &mut a,
        ClientCall::Description {
            call_id: id.clone(),
            to: None,
            description: description(SdpType::Offer),
        },
    )
    .await;
    assert_eq!(
        error(&mut a).await,
        (None, Some(id.clone()), ErrorCode::Conflict)
    );
    // The callee's tabs, not in the call yet, get `no_such_call`.
    send(
        &mut b,
        ClientCall::Description {
            call_id: id.clone(),
            to: None,
            description: description(SdpType::Answer),
        },
    )
    .await;
    assert_eq!(error(&mut b).await, (None, Some(id), ErrorCode::NoSuchCall));
}

#[tokio::test]
async fn a_rollback_is_not_passed_on() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    befriend(&mut a, &mut b).await;
    let id = answered(&mut a, &mut b).await;
    for kind in [SdpType::Rollback, SdpType::Offer] {
        send(
            &mut a,
            ClientCall::Description {
                call_id: id.clone(),
                to: None,
                description: description(kind),
            },
        )
        .await;
    }
    // bob's first description from alice is the offer: the rollback before it stayed out.
    let first = call_event(&mut b, |m| match m {
        ServerCall::Description { description, .. } => Some(description.kind),
        _ => None,
    })
    .await;
    assert_eq!(first, SdpType::Offer);
}

#[tokio::test]
async fn a_description_the_other_browser_cannot_apply_is_reported_to_its_sender() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    befriend(&mut a, &mut b).await;
    let id = answered(&mut a, &mut b).await;
    let long = "x".repeat(2_000);
    send(
        &mut b,
        ClientCall::Rejected {
            call_id: id.clone(),
            to: None,
            message: format!("Failed to parse SessionDescription. {long}"),
        },
    )
    .await;
    let message = call_event(&mut a, |m| match m {
        ServerCall::Rejected {
            call_id, message, ..
        } if *call_id == id => Some(message.clone()),
        _ => None,
    })
    .await;
    assert!(message.starts_with("Failed to parse SessionDescription."));
    assert_eq!(
        message.chars().count(),
        500,
        "the reason is cut at 500 characters"
    );
}

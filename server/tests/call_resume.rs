//! Calls outlive a connection: a member whose socket is lost comes back on a new one and the
//! call goes on; after a server restart both members say which call they are in and the hub
//! rebuilds it. Hang-up, state and recording notices work again, and the call is recorded
//! once.

mod common;

use common::calls::*;
use common::{befriend, Client, TestServer};
use hearth_shared::call::*;
use hearth_shared::chat::{ClientChat, ServerChat};
use hearth_shared::{ClientMsg, ConversationId, ServerMsg};

async fn resume(c: &mut Client, id: &CallId, peer: &Client, caller: bool) {
    send(
        c,
        ClientCall::Resume {
            call_id: id.clone(),
            peer: peer.me.id,
            kind: CallKind::Video,
            caller,
            seconds: 5,
        },
    )
    .await;
}

async fn resumed(c: &mut Client, id: &CallId) {
    call_event(c, |m| {
        matches!(m, ServerCall::Resumed { call_id } if call_id == id).then_some(())
    })
    .await;
}

/// Recording notices pass from `from` to `to` in this call.
async fn notices_pass(from: &mut Client, to: &mut Client, id: &CallId) {
    send(
        from,
        ClientCall::Recording {
            call_id: id.clone(),
            on: true,
        },
    )
    .await;
    call_event(to, |m| {
        matches!(m, ServerCall::Recording { on: true, .. }).then_some(())
    })
    .await;
}

/// How many call entries the conversation holds.
async fn call_entries(c: &mut Client, conv: ConversationId) -> usize {
    let req_id = c.req();
    c.send(ClientMsg::Chat(ClientChat::History {
        req_id,
        conversation: conv,
        before: None,
        limit: 100,
    }))
    .await;
    c.recv_until(|m| match m {
        ServerMsg::Chat(ServerChat::Page { messages, .. }) => {
            Some(messages.iter().filter(|m| m.call.is_some()).count())
        }
        _ => None,
    })
    .await
}

#[tokio::test]
async fn a_lost_socket_comes_back_and_the_call_goes_on() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    let conv = befriend(&mut a, &mut b).await;
    let id = answered(&mut a, &mut b).await;
    let cookie = b.cookie.clone();
    drop(b); // no goodbye: the network went away
    let mut b = Client::connect(&server, &cookie).await;
    resume(&mut b, &id, &a, false).await;
    resumed(&mut a, &id).await;
    resumed(&mut b, &id).await;
    notices_pass(&mut a, &mut b, &id).await;
    send(
        &mut b,
        ClientCall::Hangup {
            call_id: id.clone(),
            req_id: None,
        },
    )
    .await;
    assert_eq!(ended(&mut a, &id).await, EndReason::HungUp);
    assert!(matches!(
        recorded(&mut a).await.outcome,
        CallOutcome::Completed { .. }
    ));
    assert_eq!(call_entries(&mut a, conv).await, 1);
}

#[tokio::test]
async fn a_server_restart_does_not_end_the_call() {
    let mut server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    let conv = befriend(&mut a, &mut b).await;
    let id = answered(&mut a, &mut b).await;
    let (cookie_a, cookie_b) = (a.cookie.clone(), b.cookie.clone());
    let (me_a, me_b) = (a.me.clone(), b.me.clone());
    drop((a, b));
    let dir = server.take_dir();
    server.stop().await;
    let server = TestServer::start_in(dir.path(), common::quick_settings()).await;
    let mut a = Client::connect(&server, &cookie_a).await;
    let mut b = Client::connect(&server, &cookie_b).await;
    assert_eq!((&a.me, &b.me), (&me_a, &me_b));
    resume(&mut a, &id, &b, true).await;
    resume(&mut b, &id, &a, false).await;
    resumed(&mut a, &id).await;
    resumed(&mut b, &id).await;
    notices_pass(&mut b, &mut a, &id).await;
    send(
        &mut a,
        ClientCall::Hangup {
            call_id: id.clone(),
            req_id: None,
        },
    )
    .await;
    assert_eq!(ended(&mut b, &id).await, EndReason::HungUp);
    let record = recorded(&mut b).await;
    assert!(
        matches!(record.outcome, CallOutcome::Completed { seconds } if seconds >= 5),
        "the length counts from the answer, before the restart: {record:?}"
    );
    assert_eq!(call_entries(&mut b, conv).await, 1, "recorded once");
}

#[tokio::test]
async fn a_stranger_cannot_resume_into_a_call() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    let mut eve = server.user("eve").await;
    befriend(&mut a, &mut b).await;
    let id = answered(&mut a, &mut b).await;
    // eve knows the call id but is no friend of alice's.
    resume(&mut eve, &id, &a, false).await;
    assert_eq!(
        refused(&mut eve).await,
        hearth_shared::session::ErrorCode::NotFriends
    );
    notices_pass(&mut a, &mut b, &id).await;
}

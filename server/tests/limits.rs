//! Command budgets as the server really runs them (scale 1): one client's flood reaches
//! others as a trickle, the flooder is told `rate_limited` with how long to wait, and a
//! client that waits that long loses nothing and gets its messages in the order it wrote
//! them (a refused post holds back the later ones).

mod common;

use common::{befriend, Client, TestServer};
use hearth_server::Settings;
use hearth_shared::call::{CallKind, ClientCall, ServerCall};
use hearth_shared::chat::{ClientChat, ServerChat};
use hearth_shared::friends::{ClientFriends, ServerFriends};
use hearth_shared::session::{ErrorCode, ServerSession};
use hearth_shared::{ClientMsg, ClientMsgId, ConversationId, ReqId, Seq, ServerMsg};

fn real_budgets() -> Settings {
    Settings {
        command_budget_scale: 1.0,
        idle_timeout: std::time::Duration::from_secs(60),
        ..common::quick_settings()
    }
}

/// Posts `text` and returns everything `to` received up to (not including) that post:
/// the frames a flood sent before it.
async fn received_before(
    from: &mut Client,
    to: &mut Client,
    conv: ConversationId,
    text: &str,
) -> Vec<ServerMsg> {
    from.post(conv, text)
        .await
        .expect("the closing post goes through");
    to.recv_until(|m| match m {
        ServerMsg::Chat(ServerChat::Posted { message }) if message.text == text => Some(()),
        _ => None,
    })
    .await;
    to.drain_backlog()
}

/// How many `rate_limited` errors with a wait `c` has received and not picked.
fn told_to_wait(c: &mut Client) -> usize {
    c.drain_backlog()
        .iter()
        .filter(|m| {
            matches!(m, ServerMsg::Session(ServerSession::Error {
                code: ErrorCode::RateLimited,
                retry_after_ms: Some(ms),
                ..
            }) if *ms > 0)
        })
        .count()
}

#[tokio::test]
async fn a_typing_flood_reaches_the_friend_as_a_trickle() {
    let server = TestServer::start_with(real_budgets()).await;
    let mut alice = server.user("alice").await;
    let mut bob = server.user("bob").await;
    let conv = befriend(&mut alice, &mut bob).await;
    bob.clear_backlog();
    for _ in 0..200 {
        alice
            .send(ClientMsg::Chat(ClientChat::Typing { conversation: conv }))
            .await;
    }
    let got = received_before(&mut alice, &mut bob, conv, "done").await;
    let typing = got
        .iter()
        .filter(|m| matches!(m, ServerMsg::Chat(ServerChat::Typing { .. })))
        .count();
    assert!(typing <= 6, "bob got {typing} typing frames of 200");
    assert!(told_to_wait(&mut alice) >= 190, "alice is told to wait");
}

#[tokio::test]
async fn the_same_read_mark_again_is_not_relayed() {
    let server = TestServer::start_with(real_budgets()).await;
    let mut alice = server.user("alice").await;
    let mut bob = server.user("bob").await;
    let conv = befriend(&mut alice, &mut bob).await;
    alice.post(conv, "hello").await.expect("post");
    bob.posted().await;
    alice.clear_backlog();
    for _ in 0..25 {
        bob.send(ClientMsg::Chat(ClientChat::Read {
            conversation: conv,
            seq: Seq(1),
        }))
        .await;
    }
    let got = received_before(&mut bob, &mut alice, conv, "done").await;
    let bobs = bob.me.id;
    let marks = got
        .iter()
        .filter(|m| matches!(m, ServerMsg::Chat(ServerChat::Marks { user, .. }) if *user == bobs))
        .count();
    assert_eq!(marks, 1, "25 reads of the same message make one mark");
}

#[tokio::test]
async fn ringing_and_hanging_up_in_a_loop_rings_only_a_few_times() {
    let server = TestServer::start_with(real_budgets()).await;
    let mut alice = server.user("alice").await;
    let mut bob = server.user("bob").await;
    let conv = befriend(&mut alice, &mut bob).await;
    bob.clear_backlog();
    let callee = bob.me.id;
    for _ in 0..100 {
        let req_id = alice.req();
        alice
            .send(ClientMsg::Call(ClientCall::Invite {
                req_id,
                callee,
                kind: CallKind::Voice,
            }))
            .await;
        let outcome = alice
            .recv_until(|m| match m {
                ServerMsg::Call(ServerCall::Outgoing { req_id: r, call }) if *r == req_id => {
                    Some(Some(call.id.clone()))
                }
                ServerMsg::Session(ServerSession::Error {
                    req_id: Some(r), ..
                }) if *r == req_id => Some(None),
                _ => None,
            })
            .await;
        if let Some(call_id) = outcome {
            alice
                .send(ClientMsg::Call(ClientCall::Hangup {
                    call_id,
                    req_id: None,
                }))
                .await;
        }
    }
    let got = received_before(&mut alice, &mut bob, conv, "done").await;
    let rings = got
        .iter()
        .filter(|m| matches!(m, ServerMsg::Call(ServerCall::Incoming { .. })))
        .count();
    let entries = got
        .iter()
        .filter(|m| matches!(m, ServerMsg::Chat(ServerChat::Posted { message }) if message.call.is_some()))
        .count();
    assert!(
        (1..=8).contains(&rings),
        "bob's phone rang {rings} times in 100 rounds"
    );
    assert_eq!(entries, rings, "one entry per call that rang");
}

#[tokio::test]
async fn a_stranger_cycling_friend_requests_is_slowed() {
    let server = TestServer::start_with(real_budgets()).await;
    let mut mallory = server.user("mallory").await;
    let mut bob = server.user("bob").await;
    bob.clear_backlog();
    let (name, bobs) = (bob.me.username.clone(), bob.me.id);
    let mut refused = 0;
    for _ in 0..50 {
        let r1 = mallory
            .friends_cmd(|req_id| ClientFriends::Request {
                req_id,
                username: name.clone(),
            })
            .await;
        let r2 = mallory
            .friends_cmd(|req_id| ClientFriends::Cancel { req_id, user: bobs })
            .await;
        refused += [r1, r2]
            .iter()
            .filter(|r| **r == Err(ErrorCode::RateLimited))
            .count();
    }
    // A frame bob is sure to get after all of them: his own ping's pong.
    bob.send(ClientMsg::Session(
        hearth_shared::session::ClientSession::Ping,
    ))
    .await;
    bob.recv_until(|m| matches!(m, ServerMsg::Session(ServerSession::Pong)).then_some(()))
        .await;
    let rosters = bob
        .drain_backlog()
        .iter()
        .filter(|m| matches!(m, ServerMsg::Friends(ServerFriends::Roster(_))))
        .count();
    assert!(
        rosters <= 12,
        "bob got {rosters} roster updates from 100 commands"
    );
    assert!(refused >= 85, "mallory was refused {refused} times");
}

#[tokio::test]
async fn a_client_that_waits_as_told_loses_no_message() {
    let server = TestServer::start_with(real_budgets()).await;
    let mut alice = server.user("alice").await;
    let mut bob = server.user("bob").await;
    let conv = befriend(&mut alice, &mut bob).await;
    let post = |n: u32, req_id: ReqId| {
        ClientMsg::Chat(ClientChat::Post {
            req_id,
            conversation: conv,
            client_id: ClientMsgId(format!("m{n}")),
            text: format!("message {n}"),
        })
    };
    let mut waiting: Vec<u32> = (0..80).collect();
    let deadline = tokio::time::Instant::now() + common::DEADLINE * 3;
    let mut limited = 0;
    while !waiting.is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} never went through",
            waiting.len()
        );
        let mut sent = Vec::new();
        for &n in &waiting {
            let req = ReqId(1000 + n);
            alice.send(post(n, req)).await;
            sent.push((n, req));
        }
        let mut again = Vec::new();
        let mut wait_ms = 0;
        for (n, req) in sent {
            let answer = alice
                .recv_until(|m| match m {
                    ServerMsg::Session(ServerSession::Ack { req_id }) if *req_id == req => {
                        Some(None)
                    }
                    ServerMsg::Session(ServerSession::Error {
                        req_id: Some(r),
                        code,
                        retry_after_ms,
                        ..
                    }) if *r == req => {
                        assert_eq!(*code, ErrorCode::RateLimited);
                        Some(Some(retry_after_ms.expect("a retry hint")))
                    }
                    _ => None,
                })
                .await;
            if let Some(ms) = answer {
                again.push(n);
                wait_ms = wait_ms.max(ms);
            }
        }
        limited += again.len();
        waiting = again;
        // As the server asked: this is the client's back-off, not a test waiting for a state.
        tokio::time::sleep(std::time::Duration::from_millis(u64::from(wait_ms))).await;
    }
    assert!(limited > 0, "80 messages at once were limited");
    for n in 0..80u32 {
        let m = bob.posted().await;
        assert_eq!(
            (m.seq, m.text),
            (Seq(n + 1), format!("message {n}")),
            "every message once, in the order written, no gap"
        );
    }
}

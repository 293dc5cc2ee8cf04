//! Going live to friends over the real socket (issue 13): a broadcast in no room, which the
//! host's friends hear of (`friend_live`) and may watch, and nobody else: a stranger can
//! neither see nor watch it, a friend removed mid-broadcast stops watching it, a new friend
//! hears of it, and a tab that connects while it runs is told at once. When it ends, each
//! viewer still a friend finds it in their conversation with the host, and no tab's word
//! (as after a restart) brings it back.

mod common;

use common::calls::send;
use common::rooms::enter;
use common::{befriend, with_sfu, Client, TestServer};
use hearth_shared::call::{
    CallOutcome, ClientCall, EndReason, RoomCallInfo, ServerCall, StageRejoin, FRIENDS_STAGE,
};
use hearth_shared::chat::ServerChat;
use hearth_shared::friends::ClientFriends;
use hearth_shared::session::{ClientSession, ErrorCode, ServerSession};
use hearth_shared::{ClientMsg, ServerMsg, UserId};

async fn watch(c: &mut Client, host: UserId) -> Result<RoomCallInfo, ErrorCode> {
    let watched = enter(c, |req_id| ClientCall::WatchFriend {
        req_id,
        host,
        rejoin: None,
    })
    .await;
    watched.map_err(|e| e.0)
}

/// The next `friend_live` about `host`: its viewers' count, or `None` once it ended.
async fn friend_live(c: &mut Client, host: UserId) -> Option<usize> {
    c.recv_until(|m| match m {
        ServerMsg::Call(ServerCall::FriendLive { host: h, call }) if *h == host => {
            Some(call.as_ref().map(|c| c.participants.len() - 1))
        }
        _ => None,
    })
    .await
}

/// Waits until `c` hears that `n` watch `host`'s broadcast (`None`: it ended for them),
/// passing over earlier news of it.
async fn until_viewers(c: &mut Client, host: UserId, n: Option<usize>) {
    while friend_live(c, host).await != n {}
}

/// Whether anything about a broadcast to friends reached `c` (after everything sent so far).
async fn heard_of_it(c: &mut Client) -> bool {
    c.send(ClientMsg::Session(ClientSession::Ping)).await;
    c.recv_until(|m| matches!(m, ServerMsg::Session(ServerSession::Pong)).then_some(()))
        .await;
    c.backlog_has(|m| matches!(m, ServerMsg::Call(ServerCall::FriendLive { .. })))
}

#[tokio::test]
async fn only_friends_hear_of_and_watch_a_broadcast_to_friends() {
    let server = TestServer::start_with(with_sfu()).await;
    let mut alice = server.user("alice").await;
    let mut bob = server.user("bob").await;
    let mut carol = server.user("carol").await;
    befriend(&mut alice, &mut bob).await;
    befriend(&mut bob, &mut carol).await;
    let host = alice.me.id;

    let live = enter(&mut alice, |req_id| ClientCall::GoLiveToFriends {
        req_id,
        rejoin: None,
    })
    .await
    .expect("alice goes live to friends");
    assert_eq!((live.room, live.host), (FRIENDS_STAGE, Some(host)));
    until_viewers(&mut bob, host, Some(0)).await;
    assert!(
        !heard_of_it(&mut carol).await,
        "carol, no friend of alice's, hears nothing"
    );
    assert_eq!(
        watch(&mut carol, host).await.err(),
        Some(ErrorCode::NotFriends)
    );
    // Going live twice, or watching oneself, is refused.
    let again = enter(&mut alice, |req_id| ClientCall::GoLiveToFriends {
        req_id,
        rejoin: None,
    })
    .await;
    assert_eq!(again.err().map(|e| e.0), Some(ErrorCode::Conflict));

    let seen = watch(&mut bob, host).await.expect("bob watches");
    assert_eq!(seen.participants.len(), 2, "alice and bob");
    until_viewers(&mut alice, host, Some(1)).await;
    let joined = alice
        .recv_until(|m| match m {
            ServerMsg::Call(ServerCall::PeerJoined { user, .. }) => Some(user.id),
            _ => None,
        })
        .await;
    assert_eq!(joined, bob.me.id);

    // A tab bob opens now is told at once.
    let mut bob2 = Client::connect(&server, &bob.cookie.clone()).await;
    assert_eq!(
        friend_live(&mut bob2, host).await,
        Some(1),
        "told on connecting"
    );

    // carol becomes alice's friend: she hears of it and may watch.
    befriend(&mut alice, &mut carol).await;
    assert_eq!(
        friend_live(&mut carol, host).await,
        Some(1),
        "carol hears of it"
    );
    watch(&mut carol, host).await.expect("carol watches");

    // alice removes bob: he stops watching and hears no more of it.
    let bob_id = bob.me.id;
    alice
        .friends_cmd(|req_id| ClientFriends::Remove {
            req_id,
            user: bob_id,
        })
        .await
        .expect("alice removes bob");
    let why = bob
        .recv_until(|m| match m {
            ServerMsg::Call(ServerCall::Ended { reason, .. }) => Some(*reason),
            _ => None,
        })
        .await;
    assert_eq!(why, EndReason::Removed);
    until_viewers(&mut bob, host, None).await;
    assert_eq!(
        watch(&mut bob, host).await.err(),
        Some(ErrorCode::NotFriends)
    );

    // alice ends it: carol is told, and it is gone for her.
    send(
        &mut alice,
        ClientCall::Hangup {
            call_id: live.id.clone(),
            req_id: None,
        },
    )
    .await;
    let why = carol
        .recv_until(|m| match m {
            ServerMsg::Call(ServerCall::Ended { reason, .. }) => Some(*reason),
            _ => None,
        })
        .await;
    assert_eq!(why, EndReason::BroadcastEnded);
    until_viewers(&mut carol, host, None).await;
    assert_eq!(
        watch(&mut carol, host).await.err(),
        Some(ErrorCode::NoSuchCall)
    );

    // Her conversation with alice keeps it: "alice was live, 0:03 — watched by carol".
    let entry = carol
        .recv_until(|m| match m {
            ServerMsg::Chat(ServerChat::Posted { message }) => message.call.clone(),
            _ => None,
        })
        .await;
    assert!(entry.broadcast, "{entry:?}");
    assert_eq!(entry.participants, ["alice", "carol"]);
    assert!(matches!(entry.outcome, CallOutcome::Completed { .. }));
    // bob watched too, but is no friend of alice's any more: no entry for him.
    bob.send(ClientMsg::Session(ClientSession::Ping)).await;
    bob.recv_until(|m| matches!(m, ServerMsg::Session(ServerSession::Pong)).then_some(()))
        .await;
    assert!(!bob.backlog_has(|m| matches!(m, ServerMsg::Chat(ServerChat::Posted { .. }))));

    // It ended: no word of a tab that was in it (as after a lost connection and a restart)
    // brings it back, from the host or from a viewer.
    let word = || {
        Some(StageRejoin {
            call_id: live.id.clone(),
            with: Vec::new(),
            seconds: 5,
        })
    };
    let back = enter(&mut alice, |req_id| ClientCall::GoLiveToFriends {
        req_id,
        rejoin: word(),
    })
    .await;
    assert_eq!(back.err().map(|e| e.0), Some(ErrorCode::NoSuchCall));
    let back = enter(&mut carol, |req_id| ClientCall::WatchFriend {
        req_id,
        host,
        rejoin: word(),
    })
    .await;
    assert_eq!(back.err().map(|e| e.0), Some(ErrorCode::NoSuchCall));
}

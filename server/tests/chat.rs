//! Chat between friends: live delivery, the friends-only rule, idempotent posting,
//! catch-up after a reconnect, history pages, typing and read marks.

mod common;

use common::{befriend, Client, TestServer};
use hearth_shared::chat::{ClientChat, Cursor, ServerChat};
use hearth_shared::friends::ClientFriends;
use hearth_shared::session::ErrorCode;
use hearth_shared::{ClientMsg, ClientMsgId, Seq, ServerMsg};

#[tokio::test]
async fn friends_chat_live_and_both_tabs_of_the_author_see_it() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    let conv = befriend(&mut a, &mut b).await;
    let mut a2 = Client::connect(&server, &a.cookie.clone()).await;
    a.post(conv, "hello <b>bob</b>").await.expect("posted");
    for c in [&mut a, &mut a2, &mut b] {
        let m = c.posted().await;
        assert_eq!((m.seq, m.text.as_str()), (Seq(1), "hello <b>bob</b>"));
    }
}

#[tokio::test]
async fn strangers_and_former_friends_cannot_message() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    let mut eve = server.user("eve").await;
    let conv = befriend(&mut a, &mut b).await;
    assert_eq!(
        eve.post(conv, "let me in").await,
        Err(ErrorCode::NotInConversation)
    );
    let bob = b.me.id;
    a.friends_cmd(|req_id| ClientFriends::Remove { req_id, user: bob })
        .await
        .expect("removed");
    assert_eq!(
        a.post(conv, "still there?").await,
        Err(ErrorCode::NotFriends)
    );
    assert_eq!(
        b.post(conv, "still there?").await,
        Err(ErrorCode::NotFriends)
    );
}

#[tokio::test]
async fn a_repeated_client_id_is_stored_once() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    let conv = befriend(&mut a, &mut b).await;
    let id = ClientMsgId("retry-me".into());
    a.post_with_id(conv, id.clone(), "once")
        .await
        .expect("first");
    a.post_with_id(conv, id, "once")
        .await
        .expect("repeat acknowledged");
    let first = a.posted().await;
    let repeat = a.posted().await;
    assert_eq!(first, repeat, "the repeat answers with the stored message");
    a.post(conv, "next").await.expect("next");
    assert_eq!(b.posted().await.seq, Seq(1));
    assert_eq!(
        b.posted().await.seq,
        Seq(2),
        "no duplicate took a sequence number"
    );
}

#[tokio::test]
async fn invalid_posts_are_refused() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    let conv = befriend(&mut a, &mut b).await;
    assert_eq!(a.post(conv, "   ").await, Err(ErrorCode::Invalid));
    let long = "x".repeat(hearth_shared::MAX_MESSAGE_CHARS + 1);
    assert_eq!(a.post(conv, &long).await, Err(ErrorCode::Invalid));
    assert_eq!(
        a.post_with_id(conv, ClientMsgId("bad id!".into()), "x")
            .await,
        Err(ErrorCode::Invalid)
    );
}

#[tokio::test]
async fn a_reconnecting_client_catches_up_on_everything_it_missed() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    let conv = befriend(&mut a, &mut b).await;
    a.post(conv, "seen").await.expect("post");
    assert_eq!(b.posted().await.seq, Seq(1));
    let cookie = b.cookie.clone();
    drop(b);
    // More than one catch-up batch (200) to show "however much that is".
    for i in 0..450 {
        a.post(conv, &format!("missed {i}")).await.expect("post");
    }
    let mut b = Client::connect(&server, &cookie).await;
    let req_id = b.req();
    b.send(ClientMsg::Chat(ClientChat::Sync {
        req_id,
        cursors: vec![Cursor {
            conversation: conv,
            after: Seq(1),
        }],
    }))
    .await;
    let mut seqs = Vec::new();
    for _ in 0..450 {
        seqs.push(b.posted().await.seq.0);
    }
    assert_eq!(
        seqs,
        (2..=451).collect::<Vec<_>>(),
        "all missed messages, in order, once"
    );
    b.answer(req_id).await.expect("sync acknowledged");
}

#[tokio::test]
async fn history_pages_come_newest_first() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    let conv = befriend(&mut a, &mut b).await;
    for i in 0..5 {
        a.post(conv, &format!("m{i}")).await.expect("post");
    }
    let req_id = b.req();
    b.send(ClientMsg::Chat(ClientChat::History {
        req_id,
        conversation: conv,
        before: Some(Seq(4)),
        limit: 2,
    }))
    .await;
    let (seqs, more) = b
        .recv_until(|m| match m {
            ServerMsg::Chat(ServerChat::Page {
                messages, has_more, ..
            }) => Some((
                messages.iter().map(|m| m.seq.0).collect::<Vec<_>>(),
                *has_more,
            )),
            _ => None,
        })
        .await;
    assert_eq!((seqs, more), (vec![3, 2], true));
}

#[tokio::test]
async fn typing_and_read_marks_reach_the_friend() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    let conv = befriend(&mut a, &mut b).await;
    b.send(ClientMsg::Chat(ClientChat::Typing { conversation: conv }))
        .await;
    let bob = b.me.id;
    a.recv_until(|m| {
        matches!(m, ServerMsg::Chat(ServerChat::Typing { user, .. }) if *user == bob).then_some(())
    })
    .await;
    a.post(conv, "did you read this?").await.expect("post");
    b.posted().await;
    b.send(ClientMsg::Chat(ClientChat::Read {
        conversation: conv,
        seq: Seq(1),
    }))
    .await;
    let (delivered, read) = a
        .recv_until(|m| match m {
            ServerMsg::Chat(ServerChat::Marks {
                user,
                delivered,
                read,
                ..
            }) if *user == bob => Some((*delivered, *read)),
            _ => None,
        })
        .await;
    assert_eq!((delivered, read), (Seq(1), Seq(1)));
}

#[tokio::test]
async fn a_sync_listing_a_conversation_many_times_is_answered_once() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    let conv = befriend(&mut a, &mut b).await;
    for text in ["one", "two", "three"] {
        a.post(conv, text).await.expect("post");
    }
    let req_id = a.req();
    // One 64 KiB frame could list a conversation ~2,000 times: a million replies once.
    let cursors = (0..500)
        .map(|i| Cursor {
            conversation: conv,
            after: Seq(i % 2),
        })
        .collect();
    a.clear_backlog();
    a.send(ClientMsg::Chat(ClientChat::Sync { req_id, cursors }))
        .await;
    a.answer(req_id).await.expect("sync acknowledged");
    let replayed: Vec<u32> = a
        .drain_backlog()
        .into_iter()
        .filter_map(|m| match m {
            ServerMsg::Chat(ServerChat::Posted { message }) => Some(message.seq.0),
            _ => None,
        })
        .collect();
    assert_eq!(
        replayed,
        vec![1, 2, 3],
        "each message once, from the earliest cursor"
    );
}

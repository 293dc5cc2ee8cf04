//! Rooms over the real socket: making one reaches every member's tabs, messages reach every
//! member, a non-member cannot tell a room from no room, and a removed member's open tab
//! gets nothing after the removal.

mod common;

use common::rooms::{remove_member, rooms_cmd, rooms_where, trip};
use common::TestServer;
use hearth_shared::chat::ServerChat;
use hearth_shared::rooms::ClientRooms;
use hearth_shared::session::ErrorCode;
use hearth_shared::{ConversationId, ServerMsg};

#[tokio::test]
async fn a_room_chats_among_all_its_members() {
    let server = TestServer::start().await;
    let (mut a, mut b, mut c, room) = trip(&server).await;
    // bob and carol are not friends, yet both are members: each posts and all three see it.
    for (i, text) in ["from alice", "from bob", "from carol"]
        .into_iter()
        .enumerate()
    {
        let poster = [&mut a, &mut b, &mut c].into_iter().nth(i).expect("three");
        poster.post(room, text).await.expect("posted");
        for x in [&mut a, &mut b, &mut c] {
            let m = x.posted().await;
            assert_eq!((m.conversation, m.text.as_str()), (room, text));
        }
    }
}

#[tokio::test]
async fn a_non_member_cannot_tell_a_room_from_no_room() {
    let server = TestServer::start().await;
    let (_a, _b, _c, room) = trip(&server).await;
    let mut eve = server.user("eve").await;
    let none = ConversationId(room.0 + 1000);
    let mut answers = Vec::new();
    for conv in [room, none] {
        let posted = eve.post(conv, "let me in").await;
        let renamed = rooms_cmd(&mut eve, |req_id| ClientRooms::Rename {
            req_id,
            room: conv,
            name: "mine".into(),
        })
        .await;
        let left = rooms_cmd(&mut eve, |req_id| ClientRooms::Leave { req_id, room: conv }).await;
        answers.push((posted, renamed, left));
    }
    assert!(answers[0].0.is_err(), "eve posted into the room");
    assert_eq!(
        answers[0], answers[1],
        "a real room answers as no room does"
    );
}

#[tokio::test]
async fn a_removed_member_gets_nothing_after_the_removal() {
    let server = TestServer::start().await;
    let (mut a, mut b, mut c, room) = trip(&server).await;
    let carol = c.me.id;
    remove_member(&mut a, room, carol).await;
    // carol's open tab learns at once that the room is gone from her list.
    rooms_where(&mut c, |r| r.iter().all(|r| r.id != room)).await;
    c.clear_backlog();
    a.post(room, "after carol").await.expect("posted");
    assert_eq!(b.posted().await.text, "after carol");
    assert_eq!(
        c.post(room, "still here?").await,
        Err(ErrorCode::NotInConversation)
    );
    // Her answer came after alice's post went out: had it been sent to her, it would be here.
    assert!(
        !c.backlog_has(|m| matches!(m, ServerMsg::Chat(ServerChat::Posted { .. }))),
        "carol got a message after she was removed"
    );
}

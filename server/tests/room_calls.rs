//! Room calls over the real socket: starting rings the others, members join and leave while
//! it runs, signaling reaches only its addressee, the mesh's limit holds, a non-member gets
//! the same answer as for no room, and a removed member is out of the call at once.

mod common;

use common::calls::{call_event, recorded, send};
use common::rooms::{join_room, remove_member, rooms_cmd, trip, Rejoining};
use common::{befriend, Client, TestServer};
use hearth_shared::call::*;
use hearth_shared::rooms::ClientRooms;
use hearth_shared::session::ErrorCode;
use hearth_shared::{ClientMsg, ConversationId, ServerMsg, UserId};

/// `c` joins (or starts) the room's call; the participants it was given, or the refusal.
async fn join(c: &mut Client, room: ConversationId) -> Result<RoomCallInfo, (ErrorCode, String)> {
    join_room(c, room, Rejoining::default()).await
}

/// `join`, or with `call_id` a rejoin after a lost connection.
async fn join_as(
    c: &mut Client,
    room: ConversationId,
    call_id: Option<CallId>,
) -> Result<RoomCallInfo, (ErrorCode, String)> {
    let rejoin = Rejoining {
        call_id,
        ..Rejoining::default()
    };
    join_room(c, room, rejoin).await
}

fn names(call: &RoomCallInfo) -> Vec<&str> {
    call.participants
        .iter()
        .map(|p| p.username.as_str())
        .collect()
}

async fn peer_joined(c: &mut Client) -> String {
    call_event(c, |m| match m {
        ServerCall::PeerJoined { user, .. } => Some(user.username.clone()),
        _ => None,
    })
    .await
}

async fn peer_left(c: &mut Client) -> UserId {
    call_event(c, |m| match m {
        ServerCall::PeerLeft { user, .. } => Some(*user),
        _ => None,
    })
    .await
}

/// The participants of the room's call, from the next `room_call` with `n` of them.
async fn in_call(c: &mut Client, room: ConversationId, n: usize) -> Vec<String> {
    call_event(c, |m| match m {
        ServerCall::RoomCall { room: r, call } if *r == room => {
            let p: Vec<String> = call
                .as_ref()
                .map(|c| c.participants.iter().map(|p| p.username.clone()).collect())
                .unwrap_or_default();
            (p.len() == n).then_some(p)
        }
        _ => None,
    })
    .await
}

fn offer(call_id: &CallId, to: UserId) -> ClientCall {
    ClientCall::Description {
        call_id: call_id.clone(),
        to: Some(to),
        description: SessionDescription {
            kind: SdpType::Offer,
            sdp: "v=0\r\n".into(),
        },
    }
}

#[tokio::test]
async fn three_members_ring_join_signal_and_leave() {
    let server = TestServer::start().await;
    let (mut a, mut b, mut c, room) = trip(&server).await;
    let call = join(&mut a, room).await.expect("alice starts");
    assert_eq!(names(&call), ["alice"]);
    for x in [&mut b, &mut c] {
        let (by, rung) = call_event(x, |m| match m {
            ServerCall::Ringing { call, by } => Some((by.username.clone(), call.room)),
            _ => None,
        })
        .await;
        assert_eq!((by.as_str(), rung), ("alice", room));
    }
    assert_eq!(
        names(&join(&mut b, room).await.expect("bob joins")),
        ["alice", "bob"]
    );
    assert_eq!(peer_joined(&mut a).await, "bob");
    assert_eq!(in_call(&mut c, room, 2).await, ["alice", "bob"]);
    let joined = join(&mut c, room).await.expect("carol joins");
    assert_eq!(names(&joined), ["alice", "bob", "carol"]);
    for x in [&mut a, &mut b] {
        assert_eq!(peer_joined(x).await, "carol");
    }

    // carol offers to alice: alice has it, from carol; bob does not.
    send(&mut c, offer(&call.id, a.me.id)).await;
    let from = call_event(&mut a, |m| match m {
        ServerCall::Description { from, .. } => Some(*from),
        _ => None,
    })
    .await;
    assert_eq!(from, Some(c.me.id));
    // Without an addressee, it is refused with a reason.
    send(
        &mut c,
        ClientCall::Candidate {
            call_id: call.id.clone(),
            to: None,
            candidate: Some(IceCandidate {
                candidate: String::new(),
                sdp_mid: None,
                sdp_m_line_index: None,
                username_fragment: None,
            }),
        },
    )
    .await;
    assert_eq!(common::calls::refused(&mut c).await, ErrorCode::Invalid);
    // bob's next call frame is carol leaving: no signaling meant for alice came first.
    send(
        &mut c,
        ClientCall::Hangup {
            call_id: call.id.clone(),
            req_id: None,
        },
    )
    .await;
    let next = call_event(&mut b, |m| match m {
        ServerCall::Description { .. } | ServerCall::PeerLeft { .. } => Some(m.clone()),
        _ => None,
    })
    .await;
    assert_eq!(
        next,
        ServerCall::PeerLeft {
            call_id: call.id.clone(),
            user: c.me.id
        }
    );
    assert_eq!(peer_left(&mut a).await, c.me.id);

    // alice and bob go on; when both leave, the room has the entry with all three names.
    for x in [&mut a, &mut b] {
        let call_id = call.id.clone();
        send(
            x,
            ClientCall::Hangup {
                call_id,
                req_id: None,
            },
        )
        .await;
    }
    let entry = recorded(&mut c).await;
    assert_eq!(entry.participants, ["alice", "bob", "carol"]);
    assert!(matches!(entry.outcome, CallOutcome::Completed { .. }));
    assert!(in_call(&mut c, room, 0).await.is_empty());
}

#[tokio::test]
async fn a_member_who_connects_while_a_call_runs_sees_it() {
    let server = TestServer::start().await;
    let (mut a, b, _c, room) = trip(&server).await;
    join(&mut a, room).await.expect("alice starts");
    let mut b_again = Client::connect(&server, &b.cookie).await;
    assert_eq!(in_call(&mut b_again, room, 1).await, ["alice"]);
    assert_eq!(
        names(&join(&mut b_again, room).await.expect("bob joins")),
        ["alice", "bob"]
    );
}

#[tokio::test]
async fn a_participant_whose_socket_drops_rejoins_the_same_call_unnoticed() {
    let server = TestServer::start().await;
    let (mut a, mut b, _c, room) = trip(&server).await;
    let call = join(&mut a, room).await.expect("alice starts");
    join(&mut b, room).await.expect("bob joins");
    assert_eq!(peer_joined(&mut a).await, "bob");
    let (cookie, bob) = (b.cookie.clone(), b.me.id);
    drop(b); // the connection goes without a close frame: a network change
    let mut b = Client::connect(&server, &cookie).await;
    let back = join_as(&mut b, room, Some(call.id.clone()))
        .await
        .expect("bob rejoins");
    assert_eq!(names(&back), ["alice", "bob"]);
    // Signaling flows both ways again, and alice never saw bob leave.
    let muted = |call_id: &CallId| ClientCall::Media {
        call_id: call_id.clone(),
        audio: false,
        video: true,
        screen: false,
    };
    b.send(ClientMsg::Call(muted(&call.id))).await;
    let seen = call_event(&mut a, |m| match m {
        ServerCall::PeerLeft { .. } => Some(Err("bob left")),
        ServerCall::Media { from, .. } => Some(Ok(*from)),
        _ => None,
    })
    .await;
    assert_eq!(seen, Ok(Some(bob)));
    a.send(ClientMsg::Call(muted(&call.id))).await;
    let from = call_event(&mut b, |m| match m {
        ServerCall::Media { from, .. } => Some(*from),
        _ => None,
    })
    .await;
    assert_eq!(from, Some(a.me.id));
    // A rejoin of a call that is not running starts nothing.
    let gone = CallId("0123456789abcdef01234567".into());
    let refused = join_as(&mut b, room, Some(gone)).await.err();
    assert_eq!(refused.map(|r| r.0), Some(ErrorCode::NoSuchCall));
}

#[tokio::test]
async fn the_fifth_joiner_is_told_the_call_is_full() {
    let server = TestServer::start().await;
    let (mut a, mut b, mut c, room) = trip(&server).await;
    let mut d = server.user("dave").await;
    let mut e = server.user("erin").await;
    for (x, name) in [(&mut d, "dave"), (&mut e, "erin")] {
        befriend(&mut a, x).await;
        let user = x.me.id;
        rooms_cmd(&mut a, |req_id| ClientRooms::Add { req_id, room, user })
            .await
            .unwrap_or_else(|e| panic!("{name} added: {e:?}"));
    }
    for x in [&mut a, &mut b, &mut c, &mut d] {
        join(x, room).await.expect("four fit");
    }
    let refused = join(&mut e, room).await.err();
    assert_eq!(
        refused,
        Some((ErrorCode::CallFull, "This call is full (4 people)".into()))
    );
}

#[tokio::test]
async fn a_non_member_cannot_join_or_signal_and_cannot_tell_a_room_from_no_room() {
    let server = TestServer::start().await;
    let (mut a, _b, _c, room) = trip(&server).await;
    let call = join(&mut a, room).await.expect("alice starts");
    // dave is alice's friend, but not in the room.
    let mut d = server.user("dave").await;
    befriend(&mut a, &mut d).await;
    let none = ConversationId(room.0 + 1000);
    let mut answers = Vec::new();
    for conv in [room, none] {
        answers.push(join(&mut d, conv).await.err().map(|(code, _)| code));
    }
    assert_eq!(answers, [Some(ErrorCode::NotInConversation); 2]);
    send(&mut d, offer(&call.id, a.me.id)).await;
    assert_eq!(common::calls::refused(&mut d).await, ErrorCode::NoSuchCall);
    assert!(
        !d.backlog_has(|m| matches!(
            m,
            ServerMsg::Call(ServerCall::RoomCall { .. } | ServerCall::Ringing { .. })
        )),
        "dave heard of the room's call"
    );
}

#[tokio::test]
async fn a_member_removed_mid_call_is_out_of_it_at_once() {
    let server = TestServer::start().await;
    let (mut a, mut b, mut c, room) = trip(&server).await;
    let call = join(&mut a, room).await.expect("alice starts");
    join(&mut b, room).await.expect("bob joins");
    join(&mut c, room).await.expect("carol joins");
    let carol = c.me.id;
    remove_member(&mut a, room, carol).await;
    let why = call_event(&mut c, |m| match m {
        ServerCall::Ended { call_id, reason } if *call_id == call.id => Some(*reason),
        _ => None,
    })
    .await;
    assert_eq!(why, EndReason::Removed);
    for x in [&mut a, &mut b] {
        assert_eq!(peer_left(x).await, carol);
    }
    // Her signaling no longer reaches anyone.
    send(&mut c, offer(&call.id, a.me.id)).await;
    assert_eq!(common::calls::refused(&mut c).await, ErrorCode::NoSuchCall);
}

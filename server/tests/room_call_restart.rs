//! A server restart does not end a room call: the hub forgets it, the participants come
//! back on new sockets and rejoin it by id, the first one's word rebuilds it, signaling flows
//! again, and hanging up leaves one entry with everyone's name. A call that ended cannot be
//! brought back by its id.

mod common;

use common::calls::{call_event, recorded, send};
use common::rooms::{join_room, trip, Rejoining};
use common::{Client, TestServer};
use hearth_shared::call::*;
use hearth_shared::session::ErrorCode;
use hearth_shared::{ConversationId, ServerMsg, UserId};

/// `c` sends `join_room`; the participants' names it was given, or the refusal.
async fn join(
    c: &mut Client,
    room: ConversationId,
    call_id: Option<CallId>,
    with: Vec<UserId>,
) -> Result<Vec<String>, ErrorCode> {
    // alice claims to have been in it forever: the server believes a day at most.
    let claim = if c.me.username == "alice" {
        u32::MAX
    } else {
        20
    };
    let seconds = call_id.as_ref().map(|_| claim);
    let rejoin = Rejoining {
        call_id,
        with,
        seconds,
        host: None,
    };
    match join_room(c, room, rejoin).await {
        Ok(call) => Ok(call.participants.into_iter().map(|p| p.username).collect()),
        Err((code, _)) => Err(code),
    }
}

#[tokio::test]
async fn a_room_call_outlives_a_server_restart_and_is_recorded_once() {
    let mut server = TestServer::start().await;
    let (mut a, mut b, mut c, room) = trip(&server).await;
    join(&mut a, room, None, vec![])
        .await
        .expect("alice starts");
    join(&mut b, room, None, vec![]).await.expect("bob joins");
    join(&mut c, room, None, vec![]).await.expect("carol joins");
    let id = a
        .recv_until(|m| match m {
            ServerMsg::Call(ServerCall::RoomCall { call: Some(c), .. }) => Some(c.id.clone()),
            _ => None,
        })
        .await;
    let ids = [a.me.id, b.me.id, c.me.id];
    let cookies = [a.cookie.clone(), b.cookie.clone(), c.cookie.clone()];
    drop((a, b, c));
    let dir = server.take_dir();
    server.stop().await;
    let server = TestServer::start_in(dir.path(), common::quick_settings()).await;
    let mut back = Vec::new();
    for cookie in &cookies {
        back.push(Client::connect(&server, cookie).await);
    }
    let others = |me: UserId| ids.iter().copied().filter(|&u| u != me).collect::<Vec<_>>();
    for x in back.iter_mut() {
        let names = join(x, room, Some(id.clone()), others(x.me.id))
            .await
            .expect("rejoins");
        assert_eq!(names, ["alice", "bob", "carol"]);
    }
    let [a, b, c] = &mut back[..] else {
        unreachable!()
    };
    send(
        b,
        ClientCall::Media {
            call_id: id.clone(),
            audio: false,
            video: true,
            screen: false,
        },
    )
    .await;
    for x in [&mut *a, &mut *c] {
        let from = call_event(x, |m| match m {
            ServerCall::PeerLeft { .. } => Some(Err("someone left")),
            ServerCall::Media { from, .. } => Some(Ok(*from)),
            _ => None,
        })
        .await;
        assert_eq!(from, Ok(Some(ids[1])));
    }
    for x in [&mut *a, &mut *b, &mut *c] {
        let call_id = id.clone();
        send(
            x,
            ClientCall::Hangup {
                call_id,
                req_id: None,
            },
        )
        .await;
    }
    let entry = recorded(a).await;
    assert_eq!(entry.participants, ["alice", "bob", "carol"]);
    assert!(
        matches!(entry.outcome, CallOutcome::Completed { seconds } if (86_400..86_460).contains(&seconds))
    );
    // The call ended: its id rebuilds nothing.
    assert_eq!(
        join(b, room, Some(id.clone()), others(ids[1])).await,
        Err(ErrorCode::NoSuchCall)
    );
}

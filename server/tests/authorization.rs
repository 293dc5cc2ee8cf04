//! The authorization matrix: every kind of client frame, sent by a stranger, a former friend
//! and a friend who is not a member, at a conversation and a call that are not theirs. None
//! may reach the two members, none may change what they see, and every request is refused.

mod common;

use common::calls::answered;
use common::{befriend, quick_settings, Client, TestServer};
use hearth_server::state::Settings;
use hearth_shared::call::{
    CallId, CallKind, ClientCall, IceCandidate, SdpType, ServerCall, SessionDescription,
    StageRejoin, Tile,
};
use hearth_shared::chat::{ClientChat, Cursor, ServerChat};
use hearth_shared::friends::{ClientFriends, ServerFriends};
use hearth_shared::rooms::{ClientRooms, ServerRooms};
use hearth_shared::session::{ClientSession, ServerSession};
use hearth_shared::{ClientMsg, ClientMsgId, ConversationId, ReqId, Seq, ServerMsg, UserId};

/// What the attacker aims at.
#[derive(Clone)]
struct Target {
    conv: ConversationId,
    call: CallId,
    alice: UserId,
    bob: UserId,
}

/// Every client frame kind, aimed at `t`. Friend requests themselves are left out: anyone
/// may ask anyone to be friends, and that reaching them is the point.
fn frames(t: &Target, req: &mut impl FnMut() -> ReqId) -> Vec<ClientMsg> {
    let (conv, call) = (t.conv, t.call.clone());
    let chat = |c: ClientChat| ClientMsg::Chat(c);
    let calls = |c: ClientCall| ClientMsg::Call(c);
    let mut all = vec![
        chat(ClientChat::Post {
            req_id: req(),
            conversation: conv,
            client_id: ClientMsgId("intruder-1".into()),
            text: "intruder".into(),
        }),
        chat(ClientChat::Sync {
            req_id: req(),
            cursors: vec![Cursor {
                conversation: conv,
                after: Seq(0),
            }],
        }),
        chat(ClientChat::History {
            req_id: req(),
            conversation: conv,
            before: None,
            limit: 50,
        }),
        chat(ClientChat::Typing { conversation: conv }),
        chat(ClientChat::Delivered {
            conversation: conv,
            seq: Seq(1),
        }),
        chat(ClientChat::Read {
            conversation: conv,
            seq: Seq(1),
        }),
        calls(ClientCall::Accept {
            call_id: call.clone(),
            req_id: None,
        }),
        calls(ClientCall::Decline {
            call_id: call.clone(),
            req_id: None,
        }),
        calls(ClientCall::Description {
            call_id: call.clone(),
            to: None,
            description: SessionDescription {
                kind: SdpType::Offer,
                sdp: "v=0\r\n".into(),
            },
        }),
        calls(ClientCall::Candidate {
            call_id: call.clone(),
            to: None,
            candidate: Some(IceCandidate {
                candidate: "candidate:1 1 udp 1 10.0.0.1 9 typ host".into(),
                sdp_mid: Some("0".into()),
                sdp_m_line_index: Some(0),
                username_fragment: None,
            }),
        }),
        calls(ClientCall::Media {
            call_id: call.clone(),
            audio: false,
            video: false,
            screen: true,
        }),
        calls(ClientCall::Recording {
            call_id: call.clone(),
            on: true,
        }),
    ];
    for peer in [t.alice, t.bob] {
        all.push(calls(ClientCall::Resume {
            call_id: call.clone(),
            peer,
            kind: CallKind::Video,
            caller: false,
            seconds: 5,
        }));
    }
    all.push(calls(ClientCall::Description {
        call_id: call.clone(),
        to: Some(t.alice),
        description: SessionDescription {
            kind: SdpType::Answer,
            sdp: "v=0\r\n".into(),
        },
    }));
    all.push(calls(ClientCall::JoinRoom {
        req_id: req(),
        room: conv,
        kind: CallKind::Voice,
        call_id: None,
        with: Vec::new(),
        seconds: None,
        host: None,
    }));
    all.push(calls(ClientCall::GoLive {
        req_id: req(),
        room: conv,
    }));
    all.push(calls(ClientCall::Watch {
        req_id: req(),
        room: conv,
    }));
    all.push(calls(ClientCall::WatchFriend {
        req_id: req(),
        host: t.alice,
        rejoin: None,
    }));
    // A word as after a restart, naming alice's call: it rebuilds nothing for them.
    all.push(calls(ClientCall::WatchFriend {
        req_id: req(),
        host: t.alice,
        rejoin: Some(StageRejoin {
            call_id: call.clone(),
            with: vec![t.alice],
            seconds: 5,
        }),
    }));
    all.push(calls(ClientCall::SeesViaSfu {
        call_id: call.clone(),
        to: t.alice,
    }));
    all.push(calls(ClientCall::ViaSfu {
        call_id: call.clone(),
    }));
    all.push(calls(ClientCall::Shows {
        call_id: call.clone(),
        user: t.alice,
        tile: Tile::Thumbnail,
    }));
    all.push(calls(ClientCall::SfuDescription {
        call_id: call.clone(),
        description: SessionDescription {
            kind: SdpType::Offer,
            sdp: "v=0\r\n".into(),
        },
    }));
    all.push(calls(ClientCall::Hangup {
        call_id: call,
        req_id: None,
    }));
    // Room commands aimed at the pair's conversation (a direct one, and not theirs).
    let room = conv;
    all.extend(
        [
            ClientRooms::Add {
                req_id: req(),
                room,
                user: t.alice,
            },
            ClientRooms::Remove {
                req_id: req(),
                room,
                user: t.bob,
            },
            ClientRooms::Rename {
                req_id: req(),
                room,
                name: "taken".into(),
            },
            ClientRooms::Leave {
                req_id: req(),
                room,
            },
        ]
        .map(ClientMsg::Rooms),
    );
    all
}

/// Frames that would show the two members anything of the attacker's doing.
fn leaked(m: &ServerMsg) -> bool {
    match m {
        ServerMsg::Chat(ServerChat::Posted { message }) => message.text != "barrier",
        ServerMsg::Chat(ServerChat::Typing { .. } | ServerChat::Marks { .. }) => true,
        ServerMsg::Call(_) => true,
        ServerMsg::Friends(ServerFriends::Roster(_)) => true,
        ServerMsg::Rooms(_) => true,
        _ => false,
    }
}

/// Waits until everything sent to `c` so far has arrived, and forgets it.
async fn settle(c: &mut Client) {
    c.send(ClientMsg::Session(ClientSession::Ping)).await;
    c.recv_until(|m| matches!(m, ServerMsg::Session(ServerSession::Pong)).then_some(()))
        .await;
    c.clear_backlog();
}

/// Sends every frame from `attacker`, then a ping; checks each request was refused and that
/// nothing but errors came back (no page, no posted, no call event).
async fn attack(attacker: &mut Client, t: &Target, who: &str) {
    let mut n = 500;
    let mut next = || {
        n += 1;
        ReqId(n)
    };
    let sent = frames(t, &mut next);
    let total = sent.len();
    settle(attacker).await;
    for f in sent {
        attacker.send(f).await;
    }
    attacker.send(ClientMsg::Session(ClientSession::Ping)).await;
    attacker
        .recv_until(|m| matches!(m, ServerMsg::Session(ServerSession::Pong)).then_some(()))
        .await;
    let got = attacker.drain_backlog();
    for m in &got {
        let harmless = matches!(
            m,
            ServerMsg::Session(ServerSession::Error { .. })
                | ServerMsg::Friends(ServerFriends::Presence { .. })
        );
        assert!(harmless, "{who} got {m:?}");
    }
    let refusals: Vec<ReqId> = got
        .iter()
        .filter_map(|m| match m {
            ServerMsg::Session(ServerSession::Error {
                req_id: Some(r), ..
            }) => Some(*r),
            _ => None,
        })
        .collect();
    for r in [501, 502, 503] {
        assert!(
            refusals.contains(&ReqId(r)),
            "{who}: request {r} was not refused: {got:?}"
        );
    }
    assert!(total > 10, "the matrix covers every frame kind");
}

#[tokio::test]
async fn strangers_former_friends_and_non_members_reach_nothing() {
    // With the media relay on, so `sfu_description` meets the real check.
    let media = Some((
        "127.0.0.1:0".parse().expect("an address"),
        [127, 0, 0, 1].into(),
    ));
    let server = TestServer::start_with(Settings {
        media,
        ..quick_settings()
    })
    .await;
    let mut alice = server.user("alice").await;
    let mut bob = server.user("bob").await;
    let conv = befriend(&mut alice, &mut bob).await;
    alice.post(conv, "private").await.expect("post");
    let call = answered(&mut alice, &mut bob).await;

    let mut mallory = server.user("mallory").await;
    let mut eve = server.user("eve").await;
    befriend(&mut eve, &mut alice).await;
    let alices = alice.me.id;
    eve.friends_cmd(|req_id| ClientFriends::Remove {
        req_id,
        user: alices,
    })
    .await
    .expect("unfriended");
    let mut carol = server.user("carol").await;
    befriend(&mut carol, &mut alice).await;

    let target = Target {
        conv,
        call: call.clone(),
        alice: alice.me.id,
        bob: bob.me.id,
    };
    // Let roster and presence changes of the set-up arrive, then watch from a clean slate.
    settle(&mut alice).await;
    settle(&mut bob).await;

    attack(&mut mallory, &target, "a stranger").await;
    attack(&mut eve, &target, "a former friend").await;
    attack(&mut carol, &target, "a friend who is not a member").await;

    // The same against a room of the two.
    let bobs = bob.me.id;
    let req = alice.req();
    alice
        .send(ClientMsg::Rooms(ClientRooms::Create {
            req_id: req,
            name: "Pair".into(),
            members: vec![bobs],
        }))
        .await;
    alice.answer(req).await.expect("room made");
    let room = alice
        .recv_until(|m| match m {
            ServerMsg::Rooms(ServerRooms::Rooms { rooms }) => rooms.first().map(|r| r.id),
            _ => None,
        })
        .await;
    settle(&mut alice).await;
    bob.recv_until(|m| {
        matches!(m, ServerMsg::Rooms(ServerRooms::Rooms { rooms }) if !rooms.is_empty())
            .then_some(())
    })
    .await;
    settle(&mut bob).await;
    let in_room = Target {
        conv: room,
        ..target.clone()
    };
    attack(&mut mallory, &in_room, "a stranger, in a room").await;
    attack(&mut eve, &in_room, "a former friend, in a room").await;
    attack(
        &mut carol,
        &in_room,
        "a friend who is not a member, in a room",
    )
    .await;

    // A barrier both members see after anything the attackers could have caused.
    alice.post(conv, "barrier").await.expect("post");
    bob.recv_until(|m| match m {
        ServerMsg::Chat(ServerChat::Posted { message }) if message.text == "barrier" => Some(()),
        _ => None,
    })
    .await;
    for (name, c) in [("alice", &mut alice), ("bob", &mut bob)] {
        let seen: Vec<ServerMsg> = c.drain_backlog().into_iter().filter(leaked).collect();
        assert!(seen.is_empty(), "{name} saw the attackers: {seen:?}");
    }
    // The call is untouched: the members still talk through it.
    common::calls::send(
        &mut alice,
        ClientCall::Media {
            call_id: call.clone(),
            audio: true,
            video: false,
            screen: false,
        },
    )
    .await;
    bob.recv_until(|m| match m {
        ServerMsg::Call(ServerCall::Media {
            call_id,
            video: false,
            ..
        }) if *call_id == call => Some(()),
        _ => None,
    })
    .await;
    // And the conversation holds only what its members wrote.
    let req_id = bob.req();
    bob.send(ClientMsg::Chat(ClientChat::History {
        req_id,
        conversation: conv,
        before: None,
        limit: 50,
    }))
    .await;
    let texts = bob
        .recv_until(|m| match m {
            ServerMsg::Chat(ServerChat::Page { messages, .. }) => {
                Some(messages.iter().map(|m| m.text.clone()).collect::<Vec<_>>())
            }
            _ => None,
        })
        .await;
    assert!(!texts.iter().any(|t| t == "intruder"), "{texts:?}");
}

//! Broadcasts with time passed in: going live rings nobody; viewers hear of nobody but the
//! host, and the host of each of them; the limits; the host leaving ends it for everyone;
//! a restart forgets it and a viewer's word rebuilds it as a broadcast.

use super::*;

fn as_role(n: u32, role: Role) -> JoinRoom {
    JoinRoom { role, ..join(n) }
}

fn with_limits(j: JoinRoom, limits: RoomLimits) -> JoinRoom {
    JoinRoom { limits, ..j }
}

const SFU: RoomLimits = RoomLimits {
    mesh_max: 4,
    sfu: SfuUse::Auto,
    sfu_max: 50,
    max_viewers: 2,
};

fn joined(outs: &[Out], n: u32) -> Option<RoomCallInfo> {
    to_conn(outs, tab(n)).iter().find_map(|m| match m {
        ServerCall::Joined { call, .. } => Some(call.clone()),
        _ => None,
    })
}

/// alice live (through the SFU), bob and carol watching.
fn live_with_two(now: Instant) -> Calls {
    let mut calls = Calls::new(RING);
    calls
        .join_room(with_limits(as_role(1, Role::Live), SFU), now)
        .expect("alice goes live");
    for n in [2, 3] {
        (calls.join_room(with_limits(as_role(n, Role::Watch), SFU), now)).expect("watches");
    }
    calls
}

#[test]
fn going_live_rings_nobody_and_members_see_who_is_live() {
    let now = Instant::now();
    let mut calls = Calls::new(RING);
    let outs = (calls.join_room(with_limits(as_role(1, Role::Live), SFU), now)).expect("live");
    let info = joined(&outs, 1).expect("alice is told she is live");
    assert_eq!((info.host, info.via), (Some(UserId(1)), Via::Sfu));
    for n in 2..=5 {
        assert!(
            !(to_user(&outs, n).iter()).any(|m| matches!(m, ServerCall::Ringing { .. })),
            "nothing rings for user {n}"
        );
        let seen = to_user(&outs, n).into_iter().find_map(|m| match m {
            ServerCall::RoomCall { call, .. } => call.as_ref().and_then(|c| c.host),
            _ => None,
        });
        assert_eq!(seen, Some(UserId(1)), "user {n} sees alice live");
    }
    // Without the SFU: the seed's way, from alice's browser to each viewer's.
    let mut calls = Calls::new(RING);
    let outs = (calls.join_room(as_role(1, Role::Live), now)).expect("live");
    assert_eq!(joined(&outs, 1).map(|i| i.via), Some(Via::Mesh));
}

#[test]
fn only_the_host_hears_of_a_viewer_and_a_viewer_of_nobody_but_the_host() {
    let now = Instant::now();
    let mut calls = live_with_two(now);
    let outs = (calls.join_room(with_limits(as_role(4, Role::Watch), SFU), now)).err();
    assert_eq!(outs, Some(CallError::TooManyViewers(2)), "max_viewers 2");
    let calls = live_with_two(now);
    assert!(calls.sends(&id(), UserId(1)));
    assert!(
        !calls.sends(&id(), UserId(2)),
        "a viewer's media goes nowhere"
    );
    let info = calls.room_call(ROOM).expect("running");
    assert_eq!(info.participants.len(), 3, "alice and two viewers");

    // bob's offer to carol is refused; to alice it goes.
    let offer = offer();
    let to_carol = calls.relay(party(2), &id(), Some(UserId(3)), offer.clone());
    assert_eq!(to_carol.err(), Some(CallError::NoSuchParticipant));
    let to_alice = (calls.relay(party(2), &id(), Some(UserId(1)), offer)).expect("to the host");
    assert_eq!(to_conn(&to_alice, tab(1)).len(), 1);
    // bob's state reaches alice only; alice's reaches both.
    let outs = calls.relay(party(2), &id(), None, muted()).expect("bob");
    assert_eq!(
        (to_conn(&outs, tab(1)).len(), to_conn(&outs, tab(3)).len()),
        (1, 0)
    );
    let outs = calls.relay(party(1), &id(), None, muted()).expect("alice");
    assert_eq!(
        (to_conn(&outs, tab(2)).len(), to_conn(&outs, tab(3)).len()),
        (1, 1)
    );
}

#[test]
fn joining_where_someone_is_live_or_going_live_where_a_call_runs_is_refused() {
    let now = Instant::now();
    let mut calls = live_with_two(now);
    let call = calls.join_room(join(4), now).err();
    assert!(matches!(call, Some(CallError::Broadcast(_))), "{call:?}");
    let live = calls.join_room(as_role(4, Role::Live), now).err();
    assert!(matches!(live, Some(CallError::Broadcast(_))), "{live:?}");

    let mut calls = three(now);
    let watch = calls.join_room(as_role(4, Role::Watch), now).err();
    assert_eq!(watch, Some(CallError::NoSuchCall), "a call is not watched");
    let live = calls.join_room(as_role(4, Role::Live), now).err();
    assert!(matches!(live, Some(CallError::Broadcast(_))), "{live:?}");
    let mut calls = Calls::new(RING);
    let watch = calls.join_room(as_role(2, Role::Watch), now).err();
    assert_eq!(watch, Some(CallError::NoSuchCall), "nobody is live");
    assert!(calls.room_call(ROOM).is_none(), "watching starts nothing");
}

#[test]
fn without_the_sfu_a_broadcast_has_as_many_viewers_as_the_mesh_has_room_for() {
    let now = Instant::now();
    let mut calls = Calls::new(RING);
    calls.join_room(as_role(1, Role::Live), now).expect("live");
    for n in 2..=4 {
        let outs = calls
            .join_room(as_role(n, Role::Watch), now)
            .expect("watches");
        assert!(
            matches!(to_conn(&outs, tab(1))[..], [ServerCall::PeerJoined { .. }]),
            "alice connects to viewer {n}"
        );
        for v in 2..n {
            assert!(
                to_conn(&outs, tab(v)).is_empty(),
                "viewer {v} hears nothing"
            );
        }
    }
    let fifth = calls.join_room(as_role(5, Role::Watch), now).err();
    assert_eq!(fifth, Some(CallError::TooManyViewers(3)));
}

#[test]
fn a_viewer_leaving_tells_the_host_and_the_host_leaving_ends_it_for_everyone() {
    let now = Instant::now();
    let mut calls = live_with_two(now);
    let outs = calls
        .hangup(party(3), &id(), now)
        .expect("carol stops watching");
    assert_eq!(to_conn(&outs, tab(1)).len(), 1, "alice is told");
    assert!(to_conn(&outs, tab(2)).is_empty(), "bob is not");
    assert_eq!(participants(&outs, 4), Some(vec![1, 2]));

    let end = now + Duration::from_secs(300);
    let outs = calls.hangup(party(1), &id(), end).expect("alice ends it");
    assert_eq!(
        to_conn(&outs, tab(2)),
        vec![&ServerCall::Ended {
            call_id: id(),
            reason: EndReason::BroadcastEnded
        }]
    );
    assert_eq!(participants(&outs, 4), Some(vec![]));
    assert_eq!(
        record(&outs),
        Some(&CallRecord {
            kind: CallKind::Video,
            outcome: CallOutcome::Completed { seconds: 300 },
            participants: vec!["alice".into(), "bob".into(), "carol".into()],
            broadcast: true,
        })
    );
    assert_eq!(calls.call_of(UserId(2)), None, "bob is free for a call");
    assert!(calls.room_call(ROOM).is_none());
}

#[test]
fn a_broadcast_forgotten_in_a_restart_is_rebuilt_as_one_from_a_viewers_word() {
    let now = Instant::now();
    let mut calls = Calls::new(RING);
    // bob, watching alice, comes back first: he names her as the host.
    let word = |n: u32, with: &[u32], host: Option<u32>| JoinRoom {
        conn: ConnId(u64::from(n) + 100),
        rejoin: Some(Rejoin {
            id: id(),
            with: with.iter().map(|&u| user(u)).collect(),
            seconds: 60,
            host: host.map(UserId),
        }),
        limits: SFU,
        ..join(n)
    };
    let outs = calls.join_room(word(2, &[1], Some(1)), now).expect("bob");
    let info = to_conn(&outs, ConnId(102))
        .into_iter()
        .find_map(|m| match m {
            ServerCall::Joined { call, .. } => Some(call.clone()),
            _ => None,
        });
    let info = info.expect("bob is back in");
    assert_eq!((info.host, info.via), (Some(UserId(1)), Via::Sfu));
    assert!(!calls.sends(&id(), UserId(2)), "bob still sends nothing");
    // The other way round: alice first (she names nobody: her viewers reach her through the
    // relay), then bob, whom the room then sees watching.
    let mut calls = Calls::new(RING);
    calls.join_room(word(1, &[], Some(1)), now).expect("alice");
    let outs = calls.join_room(word(2, &[1], Some(1)), now).expect("bob");
    assert_eq!(
        participants(&outs, 3),
        Some(vec![1, 2]),
        "carol sees bob watching"
    );
    // A host nobody in it names is no host: a call.
    let mut calls = Calls::new(RING);
    calls.join_room(word(2, &[3], Some(1)), now).expect("bob");
    assert_eq!(calls.room_call(ROOM).and_then(|c| c.host), None);
}

/// User `n`'s wish at alice's (user 1's) broadcast to friends.
fn at_friends(n: u32, role: Role) -> JoinRoom {
    let j = with_limits(as_role(n, role), SFU);
    JoinRoom {
        place: Place::Friends(UserId(1)),
        ..j
    }
}

#[test]
fn a_broadcast_to_friends_is_its_hosts_to_go_live_in_and_others_to_watch_and_leaves_an_entry_with_each_viewer(
) {
    let now = Instant::now();
    let mut calls = Calls::new(RING);
    // Nobody else goes live (or starts a call) at alice's place; nobody watches it unstarted.
    for (n, role) in [(2, Role::Live), (2, Role::Call), (1, Role::Watch)] {
        let refused = calls.join_room(at_friends(n, role), now);
        assert_eq!(
            refused.err(),
            Some(CallError::WrongState),
            "{n} as {role:?}"
        );
    }
    assert_eq!(
        calls.join_room(at_friends(2, Role::Watch), now).err(),
        Some(CallError::NoSuchCall)
    );
    let outs = calls
        .join_room(at_friends(1, Role::Live), now)
        .expect("live");
    assert_eq!(joined(&outs, 1).map(|c| c.room), Some(FRIENDS_STAGE));
    let told = to_user(&outs, 3).into_iter().any(|m| {
        matches!(
            m,
            ServerCall::FriendLive {
                host: UserId(1),
                call: Some(_)
            }
        )
    });
    assert!(told, "a friend hears of it");
    // A room's call beside it is another place: alice's broadcast does not take the room.
    assert_eq!(calls.room_call(ROOM), None);
    calls
        .join_room(at_friends(2, Role::Watch), now)
        .expect("bob watches");
    let outs = calls
        .hangup(party(1), &CallId("call-1".into()), now)
        .expect("ends");
    let ended = to_user(&outs, 3).into_iter().any(|m| {
        matches!(
            m,
            ServerCall::FriendLive {
                host: UserId(1),
                call: None
            }
        )
    });
    assert!(ended, "a friend hears it ended");
    assert!(
        !outs.iter().any(|o| matches!(o, Out::Record { .. })),
        "no room to keep an entry in"
    );
    let entries: Vec<_> = (outs.iter())
        .filter_map(|o| match o {
            Out::RecordWithFriend {
                friend,
                caller,
                record,
                ..
            } => Some((
                *friend,
                *caller,
                record.broadcast,
                record.participants.len(),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        entries,
        [(UserId(2), UserId(1), true, 2)],
        "one entry, in bob's conversation with alice, naming both"
    );
}

#[test]
fn a_broadcast_to_friends_forgotten_in_a_restart_is_rebuilt_around_its_host() {
    let now = Instant::now();
    let word = |n: u32, role: Role, with: &[u32], host: u32| JoinRoom {
        rejoin: Some(Rejoin {
            id: id(),
            with: with.iter().map(|&u| user(u)).collect(),
            seconds: 60,
            host: Some(UserId(host)),
        }),
        ..at_friends(n, role)
    };
    // bob, watching alice, comes back first and names her; then alice comes back.
    let mut calls = Calls::new(RING);
    let outs = (calls.join_room(word(2, Role::Watch, &[1], 1), now)).expect("bob");
    let info = joined(&outs, 2).expect("bob is back in");
    assert_eq!((info.room, info.host), (FRIENDS_STAGE, Some(UserId(1))));
    assert!(!calls.sends(&id(), UserId(2)), "bob still sends nothing");
    let outs = (calls.join_room(word(1, Role::Live, &[2], 1), now)).expect("alice");
    assert_eq!(
        joined(&outs, 1).map(|c| c.id),
        Some(id()),
        "the same broadcast"
    );
    // Ended by alice: bob's entry, as for any broadcast to friends.
    let outs = calls.hangup(party(1), &id(), now).expect("ends");
    let entries = (outs.iter())
        .filter(|o| {
            matches!(
                o,
                Out::RecordWithFriend {
                    friend: UserId(2),
                    ..
                }
            )
        })
        .count();
    assert_eq!(entries, 1, "an entry in bob's conversation with alice");
    // A word naming someone else as the host of alice's place rebuilds nothing, nor one
    // naming her while she is in another call (no host, no broadcast).
    let mut calls = Calls::new(RING);
    let refused = calls.join_room(word(2, Role::Watch, &[3], 3), now);
    assert_eq!(refused.err(), Some(CallError::NoSuchCall));
    calls
        .join_room(join(1), now)
        .expect("alice calls in the room");
    let refused = calls.join_room(word(3, Role::Watch, &[1], 1), now);
    assert_eq!(refused.err(), Some(CallError::NoSuchCall));
}

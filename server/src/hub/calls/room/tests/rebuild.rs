//! After a restart the hub has forgotten its calls: the first participant back rebuilds
//! theirs from their word, the others rejoin it, and only a call more than one participant
//! vouches for leaves an entry.

use std::time::{Duration, Instant};

use super::super::rejoin::REJOIN_GRACE;
use super::*;

/// User `n` back on tab `n + 100`, still connected to `with`, in the call for `seconds`.
fn word(n: u32, with: &[u32], seconds: u32) -> JoinRoom {
    JoinRoom {
        conn: ConnId(u64::from(n) + 100),
        req_id: ReqId(100 + n),
        rejoin: Some(Rejoin {
            id: id(),
            with: with.iter().map(|&u| user(u)).collect(),
            seconds,
            host: None,
        }),
        ..join(n)
    }
}

fn back(n: u32) -> ConnId {
    ConnId(u64::from(n) + 100)
}

fn joined_ids(outs: &[Out], conn: ConnId) -> Vec<u32> {
    match to_conn(outs, conn).as_slice() {
        [ServerCall::Joined { call, .. }] => call.participants.iter().map(|p| p.id.0).collect(),
        other => panic!("expected joined, got {other:?}"),
    }
}

#[test]
fn the_first_word_rebuilds_the_call_and_the_others_rejoin_it_quietly() {
    let t0 = Instant::now();
    let mut calls = Calls::new(RING);
    let outs = calls
        .join_room(word(1, &[2, 3], 60), t0)
        .expect("alice rebuilds");
    assert_eq!(joined_ids(&outs, back(1)), vec![1, 2, 3]);
    assert_eq!(participants(&outs, 4), Some(vec![1, 2, 3]), "dave sees it");
    assert!(
        outs.iter()
            .all(|o| !matches!(o, Out::User(_, ServerCall::Ringing { .. }))),
        "nothing rings"
    );
    assert_eq!(calls.call_of(UserId(2)), Some(&id()), "bob's place is kept");

    for (n, with) in [(2, [1, 3]), (3, [1, 2])] {
        let outs = calls
            .join_room(word(n, &with, 58), t0 + Duration::from_secs(2))
            .expect("rejoins");
        assert_eq!(joined_ids(&outs, back(n)), vec![1, 2, 3]);
        assert_eq!(outs.len(), 1, "nobody else is told: {outs:?}");
    }
    let outs = calls
        .relay(
            Party {
                user: UserId(1),
                conn: back(1),
            },
            &id(),
            None,
            muted(),
        )
        .expect("alice mutes");
    assert_eq!(outs.len(), 2);
    assert!(to_conn(&outs, back(2)).len() == 1 && to_conn(&outs, back(3)).len() == 1);

    let end = t0 + Duration::from_secs(10);
    let mut outs = Vec::new();
    for n in [1, 2, 3] {
        let by = Party {
            user: UserId(n),
            conn: back(n),
        };
        outs = calls.hangup(by, &id(), end).expect("hangs up");
    }
    let entry = record(&outs).expect("an entry");
    // The longest account: alice was in it 60 s before the restart.
    assert_eq!(entry.outcome, CallOutcome::Completed { seconds: 70 });
    assert_eq!(entry.participants, vec!["alice", "bob", "carol"]);
}

#[test]
fn one_word_alone_leaves_no_entry_and_the_places_it_named_expire() {
    let t0 = Instant::now();
    let mut calls = Calls::new(RING);
    calls
        .join_room(word(1, &[2], 300), t0)
        .expect("alice rebuilds");
    assert!(
        calls.tick(t0 + Duration::from_secs(1)).is_empty(),
        "not ended as missed though it started long ago"
    );
    let outs = calls.tick(t0 + REJOIN_GRACE);
    assert_eq!(
        to_conn(&outs, back(1)),
        vec![&ServerCall::PeerLeft {
            call_id: id(),
            user: UserId(2)
        }]
    );
    assert_eq!(calls.call_of(UserId(2)), None);
    let by = Party {
        user: UserId(1),
        conn: back(1),
    };
    let outs = calls
        .hangup(by, &id(), t0 + REJOIN_GRACE)
        .expect("hangs up");
    assert!(record(&outs).is_none(), "nothing shows this call happened");
    assert_eq!(calls.room_call(ROOM), None);
}

#[test]
fn no_rebuild_beside_another_call_and_no_place_for_someone_in_a_call() {
    let t0 = Instant::now();
    let mut calls = three(t0);
    let mut other = word(4, &[1], 10);
    if let Some(r) = other.rejoin.as_mut() {
        r.id = CallId("forgotten".into());
    }
    assert_eq!(
        calls.join_room(other, t0).err(),
        Some(CallError::NoSuchCall),
        "the room has a call"
    );

    // bob is in a direct call with erin; alice's word names him.
    let mut calls = Calls::new(RING);
    let inv = Invite {
        req_id: ReqId(1),
        caller: user(2),
        conn: tab(2),
        callee: user(5),
        kind: CallKind::Voice,
        conversation: ConversationId(3),
        id: CallId("direct".into()),
    };
    calls.invite(inv, t0).expect("invite");
    let outs = calls
        .join_room(word(1, &[2, 3], 5), t0)
        .expect("alice rebuilds");
    assert_eq!(joined_ids(&outs, back(1)), vec![1, 3]);
    assert_eq!(calls.call_of(UserId(2)), Some(&CallId("direct".into())));
    assert_eq!(
        calls.join_room(word(2, &[1], 5), t0).err(),
        Some(CallError::AlreadyInCall)
    );
}

//! A participant whose connection was lost keeps their place for `REJOIN_GRACE`: nobody is
//! told they left, they rejoin from a new tab, and whoever joined meanwhile expects their
//! offer. Past the grace they leave; a rejoin never starts a call.

use std::time::{Duration, Instant};

use super::super::rejoin::REJOIN_GRACE;
use super::*;

fn rejoin(n: u32, conn: u32) -> JoinRoom {
    JoinRoom {
        conn: ConnId(conn.into()),
        req_id: ReqId(100 + n),
        rejoin: Some(Rejoin {
            id: id(),
            with: Vec::new(),
            seconds: 0,
            host: None,
        }),
        ..join(n)
    }
}

#[test]
fn a_lost_connection_keeps_the_place_and_a_rejoin_tells_only_who_came_meanwhile() {
    let now = Instant::now();
    let mut calls = three(now);
    assert!(
        calls.disconnect(tab(2), false, now).is_empty(),
        "nobody is told"
    );
    assert_eq!(calls.call_of(UserId(2)), Some(&id()), "bob is still in it");
    let later = now + Duration::from_secs(5);
    let outs = calls
        .join_room(join(4), later)
        .expect("dave joins meanwhile");
    let joined = to_conn(&outs, tab(4));
    assert!(matches!(joined[0], ServerCall::Joined { call, .. } if call.participants.len() == 4));

    let back = now + Duration::from_secs(10);
    let outs = calls.join_room(rejoin(2, 12), back).expect("bob rejoins");
    match to_conn(&outs, ConnId(12)).as_slice() {
        [ServerCall::Joined { req_id, call }] => {
            assert_eq!(*req_id, ReqId(102));
            let ids: Vec<u32> = call.participants.iter().map(|p| p.id.0).collect();
            assert_eq!(ids, vec![1, 2, 3, 4]);
        }
        other => panic!("bob got {other:?}"),
    }
    let bob = user(2);
    assert_eq!(
        to_conn(&outs, tab(4)),
        vec![&ServerCall::PeerJoined {
            call_id: id(),
            user: bob
        }]
    );
    assert!(to_conn(&outs, tab(1)).is_empty() && to_conn(&outs, tab(3)).is_empty());
    // Signaling for bob goes to his new tab.
    let media = muted();
    let outs = calls
        .relay(party(1), &id(), None, media)
        .expect("alice mutes");
    assert_eq!(to_conn(&outs, ConnId(12)).len(), 1);
    assert!(to_conn(&outs, tab(2)).is_empty());
    // The place is no longer away: the grace passing changes nothing.
    assert!(calls
        .tick(now + REJOIN_GRACE * 2)
        .iter()
        .all(|o| !matches!(o, Out::Conn(_, ServerCall::PeerLeft { .. }))));
}

#[test]
fn a_place_kept_past_the_grace_is_given_up_and_cannot_be_rejoined() {
    let now = Instant::now();
    let mut calls = three(now);
    calls.disconnect(tab(2), false, now);
    assert!(calls
        .tick(now + REJOIN_GRACE - Duration::from_secs(1))
        .iter()
        .all(|o| !matches!(o, Out::Conn(_, ServerCall::PeerLeft { .. }))));
    let outs = calls.tick(now + REJOIN_GRACE);
    bob_left(&outs);
    assert_eq!(calls.call_of(UserId(2)), None);
    assert_eq!(
        calls.join_room(rejoin(2, 12), now + REJOIN_GRACE).err(),
        Some(CallError::NoSuchCall)
    );
}

#[test]
fn a_rejoin_takes_no_place_in_another_call_of_the_room() {
    let now = Instant::now();
    let mut calls = three(now);
    assert_eq!(
        calls.join_room(rejoin(4, 14), now).err(),
        Some(CallError::NoSuchCall)
    );
}

#[test]
fn a_fresh_page_takes_back_a_place_that_is_away_and_everyone_expects_its_offers() {
    let now = Instant::now();
    let mut calls = three(now);
    let fresh = |conn: u32| JoinRoom {
        conn: ConnId(conn.into()),
        ..join(2)
    };
    assert_eq!(
        calls.join_room(fresh(12), now).err(),
        Some(CallError::AlreadyInCall),
        "bob is in the call on another tab"
    );
    calls.disconnect(tab(2), false, now + Duration::from_secs(1));
    let outs = calls
        .join_room(fresh(12), now + Duration::from_secs(5))
        .expect("bob's new page takes his place");
    assert!(matches!(
        to_conn(&outs, ConnId(12)).as_slice(),
        [ServerCall::Joined { call, .. }] if call.participants.len() == 3
    ));
    for other in [1, 3] {
        assert_eq!(
            to_conn(&outs, tab(other)),
            vec![&ServerCall::PeerJoined {
                call_id: id(),
                user: user(2)
            }]
        );
    }
    assert!(outs
        .iter()
        .all(|o| !matches!(o, Out::Conn(_, ServerCall::PeerLeft { .. }))));
}

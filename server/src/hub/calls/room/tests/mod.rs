//! Room calls with time passed in: ringing, joining, leaving and the mesh's limit here;
//! signaling, and participants removed or lost mid-call, in `signal`; a lost connection's
//! kept place and rejoining, in `rejoin`; a call rebuilt after a restart, in `rebuild`;
//! moving to the SFU, in `sfu`; broadcasts, in `broadcast`.

use std::time::{Duration, Instant};

use super::*;

mod broadcast;
mod rebuild;
mod rejoin;
mod sfu;
mod signal;
use crate::hub::calls::Invite;
use hearth_shared::call::{CallOutcome, CallRecord, SessionDescription};

const ROOM: ConversationId = ConversationId(9);
const RING: Duration = Duration::from_secs(45);
/// A mesh of four, and no SFU (`sfu` tests the SFU's rules).
const LIMITS: RoomLimits = RoomLimits {
    mesh_max: 4,
    sfu: SfuUse::Off,
    sfu_max: 50,
    max_viewers: 100,
};

fn user(id: u32) -> UserPublic {
    let names = ["", "alice", "bob", "carol", "dave", "erin"];
    UserPublic {
        id: UserId(id),
        username: names[id as usize].into(),
    }
}

/// User `n` is on tab `10 * n`.
fn tab(n: u32) -> ConnId {
    ConnId(u64::from(n) * 10)
}

fn party(n: u32) -> Party {
    Party {
        user: UserId(n),
        conn: tab(n),
    }
}

fn join(n: u32) -> JoinRoom {
    JoinRoom {
        req_id: ReqId(n),
        user: user(n),
        conn: tab(n),
        place: Place::Room(ROOM),
        kind: CallKind::Video,
        members: (1..=5).map(UserId).collect(),
        id: CallId(format!("call-{n}")),
        limits: LIMITS,
        rejoin: None,
        role: Role::Call,
    }
}

fn id() -> CallId {
    CallId("call-1".into())
}

/// alice is told bob left, and the room that alice and carol are in the call.
fn bob_left(outs: &[Out]) {
    assert_eq!(
        to_conn(outs, tab(1)),
        vec![&ServerCall::PeerLeft {
            call_id: id(),
            user: UserId(2)
        }]
    );
    assert_eq!(participants(outs, 1), Some(vec![1, 3]));
}

/// An offer, as relayed (its sender not named yet).
fn offer() -> ServerCall {
    ServerCall::Description {
        call_id: id(),
        from: None,
        description: SessionDescription {
            kind: hearth_shared::call::SdpType::Offer,
            sdp: "v=0\r\n".into(),
        },
    }
}

/// A participant's `media`: microphone off.
fn muted() -> ServerCall {
    ServerCall::Media {
        call_id: id(),
        from: None,
        audio: false,
        video: true,
        screen: false,
    }
}

fn to_conn(outs: &[Out], conn: ConnId) -> Vec<&ServerCall> {
    outs.iter()
        .filter_map(|o| match o {
            Out::Conn(c, m) if *c == conn => Some(m),
            _ => None,
        })
        .collect()
}

fn to_user(outs: &[Out], user: u32) -> Vec<&ServerCall> {
    outs.iter()
        .filter_map(|o| match o {
            Out::User(u, m) if *u == UserId(user) => Some(m),
            _ => None,
        })
        .collect()
}

fn record(outs: &[Out]) -> Option<&CallRecord> {
    outs.iter().find_map(|o| match o {
        Out::Record { record, .. } => Some(record),
        _ => None,
    })
}

fn participants(outs: &[Out], user: u32) -> Option<Vec<u32>> {
    to_user(outs, user).iter().rev().find_map(|m| match m {
        ServerCall::RoomCall { call, .. } => Some(
            call.as_ref()
                .map(|c| c.participants.iter().map(|p| p.id.0).collect())
                .unwrap_or_default(),
        ),
        _ => None,
    })
}

/// alice starts; bob and carol join.
fn three(now: Instant) -> Calls {
    let mut calls = Calls::new(RING);
    calls.join_room(join(1), now).expect("start");
    calls.join_room(join(2), now).expect("bob joins");
    calls.join_room(join(3), now).expect("carol joins");
    calls
}

#[test]
fn starting_rings_every_other_member_and_names_the_starter() {
    let now = Instant::now();
    let mut calls = Calls::new(RING);
    let outs = calls.join_room(join(1), now).expect("start");
    assert!(matches!(
        to_conn(&outs, tab(1))[..],
        [ServerCall::Joined { req_id: ReqId(1), call }] if call.participants == vec![user(1)]
    ));
    for m in 2..=5 {
        assert!(
            matches!(to_user(&outs, m)[..], [_, ServerCall::Ringing { by, .. }] if by.id == UserId(1)),
            "member {m} is rung"
        );
        assert_eq!(participants(&outs, m), Some(vec![1]));
    }
    assert!(to_user(&outs, 1)
        .iter()
        .all(|m| !matches!(m, ServerCall::Ringing { .. })));
    assert_eq!(calls.room_call(ROOM).map(|c| c.id), Some(id()));
}

#[test]
fn a_member_already_in_a_call_is_not_rung_and_cannot_join() {
    let now = Instant::now();
    let mut calls = Calls::new(RING);
    let direct = Invite {
        req_id: ReqId(7),
        caller: user(4),
        conn: tab(4),
        callee: user(5),
        kind: CallKind::Voice,
        conversation: ConversationId(3),
        id: CallId("direct".into()),
    };
    calls.invite(direct, now).expect("dave rings erin");
    let outs = calls.join_room(join(1), now).expect("start");
    for busy in [4, 5] {
        assert!(to_user(&outs, busy)
            .iter()
            .all(|m| !matches!(m, ServerCall::Ringing { .. })));
    }
    assert_eq!(
        calls.join_room(join(4), now).err(),
        Some(CallError::AlreadyInCall)
    );
}

#[test]
fn joining_from_the_ring_stops_it_on_other_tabs_and_tells_the_others() {
    let now = Instant::now();
    let mut calls = Calls::new(RING);
    calls.join_room(join(1), now).expect("start");
    let outs = calls.join_room(join(2), now).expect("bob joins");
    assert!(outs.contains(&Out::UserExcept(
        UserId(2),
        tab(2),
        ServerCall::Ended {
            call_id: id(),
            reason: EndReason::AnsweredElsewhere
        }
    )));
    assert_eq!(
        to_conn(&outs, tab(1)),
        vec![&ServerCall::PeerJoined {
            call_id: id(),
            user: user(2)
        }]
    );
    assert!(matches!(
        to_conn(&outs, tab(2))[..],
        [ServerCall::Joined { call, .. }] if call.participants == vec![user(1), user(2)]
    ));
    assert_eq!(participants(&outs, 3), Some(vec![1, 2]));
}

#[test]
fn a_late_joiner_gets_everyone_and_everyone_gets_them() {
    let now = Instant::now();
    let mut calls = three(now);
    let later = now + Duration::from_secs(120);
    // dave's ring timed out long ago; he joins with "Join call".
    calls.tick(later);
    let outs = calls.join_room(join(4), later).expect("dave joins late");
    for n in 1..=3 {
        assert_eq!(
            to_conn(&outs, tab(n)),
            vec![&ServerCall::PeerJoined {
                call_id: id(),
                user: user(4)
            }]
        );
    }
    assert_eq!(participants(&outs, 5), Some(vec![1, 2, 3, 4]));
}

#[test]
fn declining_stops_the_ring_on_every_tab_and_the_call_goes_on() {
    let now = Instant::now();
    let mut calls = three(now);
    let outs = calls.decline(party(4), &id(), now).expect("dave declines");
    assert_eq!(
        outs,
        vec![Out::User(
            UserId(4),
            ServerCall::Ended {
                call_id: id(),
                reason: EndReason::Declined
            }
        )]
    );
    assert_eq!(
        calls.decline(party(4), &id(), now).err(),
        Some(CallError::NoSuchCall)
    );
    assert!(calls.room_call(ROOM).is_some());
}

#[test]
fn the_fifth_is_refused_as_full() {
    let now = Instant::now();
    let mut calls = three(now);
    calls.join_room(join(4), now).expect("four fit");
    let refused = calls.join_room(join(5), now).err();
    assert_eq!(refused, Some(CallError::Full(4)));
    assert_eq!(
        refused.map(|e| e.to_string()).as_deref(),
        Some("This call is full (4 people)")
    );
    assert_eq!(calls.call_of(UserId(5)), None);
}

#[test]
fn leaving_does_not_end_it_for_the_others_and_the_last_one_out_ends_it() {
    let now = Instant::now();
    let mut calls = three(now);
    let outs = calls.hangup(party(3), &id(), now).expect("carol leaves");
    for n in [1, 2] {
        assert_eq!(
            to_conn(&outs, tab(n)),
            vec![&ServerCall::PeerLeft {
                call_id: id(),
                user: UserId(3)
            }]
        );
    }
    assert_eq!(participants(&outs, 3), Some(vec![1, 2]));
    assert!(record(&outs).is_none());
    assert_eq!(calls.call_of(UserId(3)), None);

    calls.hangup(party(1), &id(), now).expect("alice leaves");
    let end = now + Duration::from_secs(723);
    let outs = calls.hangup(party(2), &id(), end).expect("bob leaves last");
    assert_eq!(participants(&outs, 4), Some(vec![]));
    assert_eq!(
        record(&outs),
        Some(&CallRecord {
            kind: CallKind::Video,
            outcome: CallOutcome::Completed { seconds: 723 },
            participants: vec!["alice".into(), "bob".into(), "carol".into()],
            broadcast: false,
        })
    );
    assert!(calls.room_call(ROOM).is_none());
    // A new call may start at once, with a new id.
    let outs = calls.join_room(join(2), end).expect("bob starts again");
    assert!(matches!(
        to_conn(&outs, tab(2))[..],
        [ServerCall::Joined { call, .. }] if call.id == CallId("call-2".into())
    ));
}

#[test]
fn nobody_joining_before_the_ring_times_out_is_a_missed_call() {
    let now = Instant::now();
    let mut calls = Calls::new(RING);
    calls.join_room(join(1), now).expect("start");
    assert!(calls.tick(now + RING - Duration::from_secs(1)).is_empty());
    let outs = calls.tick(now + RING);
    assert_eq!(record(&outs).map(|r| r.outcome), Some(CallOutcome::Missed));
    assert!(to_user(&outs, 2).contains(&&ServerCall::Ended {
        call_id: id(),
        reason: EndReason::Missed
    }));
    assert_eq!(calls.call_of(UserId(1)), None);
}

#[test]
fn an_answered_call_stops_ringing_the_rest_at_the_timeout_and_goes_on() {
    let now = Instant::now();
    let mut calls = Calls::new(RING);
    calls.join_room(join(1), now).expect("start");
    calls.join_room(join(2), now).expect("bob joins");
    let outs = calls.tick(now + RING);
    for n in 3..=5 {
        assert_eq!(
            to_user(&outs, n),
            vec![&ServerCall::Ended {
                call_id: id(),
                reason: EndReason::Missed
            }]
        );
    }
    assert!(record(&outs).is_none());
    assert!(calls.tick(now + RING * 2).is_empty());
    assert!(calls.room_call(ROOM).is_some());
}

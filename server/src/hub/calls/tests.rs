//! Every call transition, with time passed in.

use super::*;
use hearth_shared::call::{CallKind, CallOutcome};
use hearth_shared::session::UserPublic;
use hearth_shared::{ConversationId, ReqId};

const RING: Duration = Duration::from_secs(45);

fn user(id: u32, name: &str) -> UserPublic {
    UserPublic {
        id: UserId(id),
        username: name.into(),
    }
}

fn alice() -> UserPublic {
    user(1, "alice")
}
fn bob() -> UserPublic {
    user(2, "bob")
}
fn carol() -> UserPublic {
    user(3, "carol")
}

const A_TAB: ConnId = ConnId(10);
const B_TAB: ConnId = ConnId(20);
const B_TAB2: ConnId = ConnId(21);
const C_TAB: ConnId = ConnId(30);

fn invite(from: UserPublic, conn: ConnId, to: UserPublic, id: &str) -> Invite {
    Invite {
        req_id: ReqId(1),
        caller: from,
        conn,
        callee: to,
        kind: CallKind::Video,
        conversation: ConversationId(7),
        id: CallId(id.into()),
    }
}

/// User `user` on tab `conn`.
fn tab(user: u32, conn: ConnId) -> Party {
    Party {
        user: UserId(user),
        conn,
    }
}

fn id(s: &str) -> CallId {
    CallId(s.into())
}

fn ended(outs: &[Out]) -> Vec<(String, EndReason)> {
    outs.iter()
        .filter_map(|o| match o {
            Out::Conn(c, ServerCall::Ended { reason, .. }) => {
                Some((format!("conn{}", c.0), *reason))
            }
            Out::User(u, ServerCall::Ended { reason, .. }) => {
                Some((format!("user{}", u.0), *reason))
            }
            Out::UserExcept(u, _, ServerCall::Ended { reason, .. }) => {
                Some((format!("others-of-user{}", u.0), *reason))
            }
            _ => None,
        })
        .collect()
}

/// Whether `outs` tells tab `conn` the call "x" is connected, with this politeness.
fn connected(outs: &[Out], conn: ConnId, polite: bool) -> bool {
    outs.contains(&Out::Conn(
        conn,
        ServerCall::Connected {
            call_id: id("x"),
            polite,
        },
    ))
}

fn outcome(outs: &[Out]) -> Option<CallOutcome> {
    outs.iter().find_map(|o| match o {
        Out::Record { record, .. } => Some(record.outcome),
        _ => None,
    })
}

fn ringing(now: Instant) -> Calls {
    let mut calls = Calls::new(RING);
    calls
        .invite(invite(alice(), A_TAB, bob(), "x"), now)
        .expect("invite");
    calls
}

#[test]
fn an_invite_tells_the_caller_it_rings_and_rings_every_callee_tab() {
    let mut calls = Calls::new(RING);
    let outs = calls
        .invite(invite(alice(), A_TAB, bob(), "x"), Instant::now())
        .expect("invite");
    assert!(
        matches!(&outs[0], Out::Conn(A_TAB, ServerCall::Outgoing { call, .. }) if call.peer.id == UserId(2))
    );
    assert!(
        matches!(&outs[1], Out::User(UserId(2), ServerCall::Incoming { call }) if call.peer.id == UserId(1))
    );
    assert_eq!(calls.call_of(UserId(1)), Some(&id("x")));
    assert_eq!(calls.call_of(UserId(2)), Some(&id("x")));
}

#[test]
fn accepting_connects_the_two_tabs_and_stops_the_other_tabs() {
    let now = Instant::now();
    let mut calls = ringing(now);
    let outs = calls.accept(tab(2, B_TAB), &id("x"), now).expect("accept");
    assert!(connected(&outs, A_TAB, false));
    assert!(connected(&outs, B_TAB, true));
    assert_eq!(
        ended(&outs),
        vec![("others-of-user2".into(), EndReason::AnsweredElsewhere)]
    );
    let again = calls.accept(tab(2, B_TAB2), &id("x"), now);
    assert_eq!(
        again,
        Err(CallError::WrongState),
        "a second tab cannot answer too"
    );
}

#[test]
fn a_direct_call_has_no_relay_to_be_seen_through() {
    let now = Instant::now();
    let mut calls = ringing(now);
    calls.accept(tab(2, B_TAB), &id("x"), now).expect("accept");
    let seen = ServerCall::SeesViaSfu {
        call_id: id("x"),
        from: None,
    };
    assert_eq!(
        calls.relay(tab(1, A_TAB), &id("x"), None, seen).err(),
        Some(CallError::WrongState)
    );
}

#[test]
fn only_the_callee_can_accept() {
    let now = Instant::now();
    let mut calls = ringing(now);
    assert_eq!(
        calls.accept(tab(1, A_TAB), &id("x"), now),
        Err(CallError::NoSuchCall)
    );
    assert_eq!(
        calls.accept(tab(3, C_TAB), &id("x"), now),
        Err(CallError::NoSuchCall)
    );
}

#[test]
fn declining_tells_the_caller_and_every_callee_tab_and_records_it() {
    let now = Instant::now();
    let mut calls = ringing(now);
    let outs = calls
        .decline(tab(2, B_TAB2), &id("x"), now)
        .expect("decline");
    assert_eq!(
        ended(&outs),
        vec![
            ("conn10".into(), EndReason::Declined),
            ("user2".into(), EndReason::Declined)
        ]
    );
    assert_eq!(outcome(&outs), Some(CallOutcome::Declined));
    assert_eq!(calls.call_of(UserId(1)), None);
}

#[test]
fn the_caller_cancelling_stops_the_ringing() {
    let now = Instant::now();
    let mut calls = ringing(now);
    let outs = calls.hangup(tab(1, A_TAB), &id("x"), now).expect("cancel");
    assert_eq!(
        ended(&outs),
        vec![
            ("conn10".into(), EndReason::Cancelled),
            ("user2".into(), EndReason::Cancelled)
        ]
    );
    assert_eq!(outcome(&outs), Some(CallOutcome::Cancelled));
}

#[test]
fn unanswered_calls_end_as_missed_after_the_timeout() {
    let t0 = Instant::now();
    let mut calls = ringing(t0);
    assert!(
        calls.tick(t0 + RING - Duration::from_millis(1)).is_empty(),
        "still ringing"
    );
    let outs = calls.tick(t0 + RING);
    assert_eq!(
        ended(&outs),
        vec![
            ("conn10".into(), EndReason::Missed),
            ("user2".into(), EndReason::Missed)
        ]
    );
    assert_eq!(outcome(&outs), Some(CallOutcome::Missed));
    assert!(calls.tick(t0 + RING * 2).is_empty(), "ended once");
}

#[test]
fn an_answered_call_does_not_time_out_and_records_its_length() {
    let t0 = Instant::now();
    let mut calls = ringing(t0);
    calls.accept(tab(2, B_TAB), &id("x"), t0).expect("accept");
    assert!(calls.tick(t0 + RING * 10).is_empty());
    let outs = calls
        .hangup(tab(2, B_TAB), &id("x"), t0 + Duration::from_secs(201))
        .expect("hang up");
    assert_eq!(
        ended(&outs),
        vec![
            ("conn10".into(), EndReason::HungUp),
            ("conn20".into(), EndReason::HungUp)
        ]
    );
    assert_eq!(
        outcome(&outs),
        Some(CallOutcome::Completed { seconds: 201 })
    );
}

#[test]
fn a_busy_callee_ends_the_new_call_at_once() {
    let now = Instant::now();
    let mut calls = ringing(now);
    let outs = calls
        .invite(invite(carol(), C_TAB, bob(), "y"), now)
        .expect("invite answered");
    assert!(matches!(
        &outs[0],
        Out::Conn(C_TAB, ServerCall::Outgoing { .. })
    ));
    assert_eq!(ended(&outs), vec![("conn30".into(), EndReason::Busy)]);
    assert_eq!(outcome(&outs), Some(CallOutcome::Busy));
    assert_eq!(calls.call_of(UserId(3)), None, "carol is free again");
    assert_eq!(
        calls.call_of(UserId(2)),
        Some(&id("x")),
        "bob's call goes on"
    );
}

#[test]
fn a_caller_already_in_a_call_cannot_start_another() {
    let now = Instant::now();
    let mut calls = ringing(now);
    assert_eq!(
        calls.invite(invite(alice(), A_TAB, carol(), "y"), now),
        Err(CallError::AlreadyInCall)
    );
}

#[test]
fn calling_each_other_at_once_makes_exactly_one_call() {
    let now = Instant::now();
    let mut calls = ringing(now); // alice rings bob as "x"
    let outs = calls
        .invite(invite(bob(), B_TAB, alice(), "y"), now)
        .expect("crossed invite");
    assert!(
        matches!(&outs[0], Out::Conn(B_TAB, ServerCall::Outgoing { call, .. }) if call.id == id("x"))
    );
    assert!(connected(&outs, A_TAB, false));
    assert!(connected(&outs, B_TAB, true));
    assert_eq!(calls.call_of(UserId(1)), Some(&id("x")));
    assert_eq!(calls.calls.len(), 1);
}

#[test]
fn signaling_flows_only_between_the_two_tabs_in_the_call() {
    let now = Instant::now();
    let mut calls = ringing(now);
    let msg = ServerCall::Media {
        call_id: id("x"),
        from: None,
        audio: true,
        video: true,
        screen: false,
    };
    let a = tab(1, A_TAB);
    assert_eq!(
        calls.relay(a, &id("x"), None, msg.clone()),
        Err(CallError::NotAnswered),
        "not before an answer"
    );
    assert_eq!(
        calls.relay(tab(2, B_TAB), &id("x"), None, msg.clone()),
        Err(CallError::NoSuchCall),
        "a ringing tab is not in the call"
    );
    calls.accept(tab(2, B_TAB), &id("x"), now).expect("accept");
    assert_eq!(
        calls.relay(a, &id("x"), None, msg.clone()),
        Ok(vec![Out::Conn(B_TAB, msg.clone())])
    );
    let b = tab(2, B_TAB);
    assert_eq!(
        calls.relay(b, &id("x"), None, msg.clone()),
        Ok(vec![Out::Conn(A_TAB, msg.clone())])
    );
    let other_tab = tab(2, B_TAB2);
    assert_eq!(
        calls.relay(other_tab, &id("x"), None, msg.clone()),
        Err(CallError::NoSuchCall)
    );
    let intruder = tab(3, C_TAB);
    assert_eq!(
        calls.relay(intruder, &id("x"), None, msg),
        Err(CallError::NoSuchCall)
    );
}

#[test]
fn closing_a_tab_in_the_call_ends_it_for_the_other() {
    let now = Instant::now();
    let mut calls = ringing(now);
    calls.accept(tab(2, B_TAB), &id("x"), now).expect("accept");
    assert!(
        calls.disconnect(B_TAB2, true, now).is_empty(),
        "another tab of bob closing changes nothing"
    );
    let outs = calls.disconnect(B_TAB, true, now + Duration::from_secs(3));
    assert_eq!(
        ended(&outs),
        vec![
            ("conn10".into(), EndReason::Disconnected),
            ("conn20".into(), EndReason::Disconnected)
        ]
    );
    assert_eq!(outcome(&outs), Some(CallOutcome::Completed { seconds: 3 }));
}

#[test]
fn the_caller_vanishing_while_ringing_stops_the_ringing() {
    let now = Instant::now();
    let mut calls = ringing(now);
    let outs = calls.disconnect(A_TAB, false, now);
    assert_eq!(
        ended(&outs),
        vec![
            ("conn10".into(), EndReason::Disconnected),
            ("user2".into(), EndReason::Disconnected)
        ]
    );
    assert_eq!(outcome(&outs), Some(CallOutcome::Cancelled));
}

mod relayed;

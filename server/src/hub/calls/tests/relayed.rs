//! A direct call moved onto the media relay: only from a member's tab in the answered call,
//! told to both tabs, and then signaled like a room call on the relay.

use super::*;

fn moves(conn: ConnId) -> Out {
    Out::Conn(conn, ServerCall::ViaSfu { call_id: id("x") })
}

#[test]
fn a_ringing_call_cannot_move_to_the_relay() {
    let mut calls = ringing(Instant::now());
    assert_eq!(
        calls.direct_via_sfu(A_TAB, &id("x")),
        Err(CallError::NotAnswered)
    );
    assert_eq!(calls.seated(A_TAB, &id("x")), None);
}

#[test]
fn only_a_tab_in_the_call_moves_it_and_both_tabs_are_told() {
    let now = Instant::now();
    let mut calls = ringing(now);
    calls.accept(tab(2, B_TAB), &id("x"), now).expect("accept");
    assert_eq!(
        calls.seated(A_TAB, &id("x")),
        None,
        "browser to browser: nobody signals the relay"
    );
    for stranger in [B_TAB2, C_TAB] {
        assert_eq!(
            calls.direct_via_sfu(stranger, &id("x")),
            Err(CallError::NoSuchCall)
        );
    }
    assert_eq!(
        calls.direct_via_sfu(B_TAB, &id("nope")),
        Err(CallError::NoSuchCall)
    );
    let outs = calls.direct_via_sfu(B_TAB, &id("x")).expect("via sfu");
    assert_eq!(outs, vec![moves(A_TAB), moves(B_TAB)]);
    assert_eq!(calls.seated(A_TAB, &id("x")), Some(UserId(1)));
    assert_eq!(calls.seated(B_TAB, &id("x")), Some(UserId(2)));
    assert_eq!(calls.seated(B_TAB2, &id("x")), None);
    assert_eq!(calls.tab_of(&id("x"), UserId(2)), Some(B_TAB));
    assert_eq!(calls.tabs_in(&id("x")), vec![A_TAB, B_TAB]);
    // The other side asking too (both gave up on the direct path) changes nothing.
    let again = calls.direct_via_sfu(A_TAB, &id("x")).expect("again");
    assert_eq!(again, vec![moves(A_TAB), moves(B_TAB)]);
}

#[test]
fn the_relay_lets_go_of_both_when_the_call_ends() {
    let now = Instant::now();
    let mut calls = ringing(now);
    calls.accept(tab(2, B_TAB), &id("x"), now).expect("accept");
    calls.direct_via_sfu(A_TAB, &id("x")).expect("via sfu");
    let outs = calls.hangup(tab(1, A_TAB), &id("x"), now).expect("hang up");
    for user in [UserId(1), UserId(2)] {
        let left = Out::Left {
            call_id: id("x"),
            user,
        };
        assert!(outs.contains(&left), "{user:?} leaves the relay");
    }
    assert_eq!(calls.seated(A_TAB, &id("x")), None);
}

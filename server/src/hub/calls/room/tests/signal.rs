//! Room calls with time passed in: signaling reaches only its addressee and names its
//! sender; a member removed, or a tab that says goodbye, is out of the call at once.

use std::time::Instant;

use super::*;

#[test]
fn signaling_reaches_only_its_addressee_and_names_its_sender() {
    let now = Instant::now();
    let calls = three(now);
    let offer = offer();
    let outs = calls
        .relay(party(3), &id(), Some(UserId(1)), offer.clone())
        .expect("carol offers to alice");
    assert_eq!(outs.len(), 1);
    assert!(matches!(
        &outs[0],
        Out::Conn(c, ServerCall::Description { from: Some(UserId(3)), .. }) if *c == tab(1)
    ));
    assert_eq!(
        calls.relay(party(3), &id(), None, offer.clone()).err(),
        Some(CallError::NoAddressee)
    );
    for nobody in [UserId(3), UserId(4), UserId(99)] {
        assert_eq!(
            calls
                .relay(party(3), &id(), Some(nobody), offer.clone())
                .err(),
            Some(CallError::NoSuchParticipant)
        );
    }
    // Not a participant (a member still ringing), or the participant's other tab.
    let other_tab = Party {
        user: UserId(1),
        conn: ConnId(11),
    };
    for outsider in [party(4), other_tab] {
        assert_eq!(
            calls
                .relay(outsider, &id(), Some(UserId(1)), offer.clone())
                .err(),
            Some(CallError::NoSuchCall)
        );
    }
    let media = muted();
    let outs = calls
        .relay(party(2), &id(), None, media)
        .expect("bob mutes");
    let reached: Vec<ConnId> = outs
        .iter()
        .map(|o| match o {
            Out::Conn(c, ServerCall::Media { from, .. }) if *from == Some(UserId(2)) => *c,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(reached, vec![tab(1), tab(3)]);
}

#[test]
fn a_member_removed_mid_call_is_out_of_it_at_once() {
    let now = Instant::now();
    let mut calls = three(now);
    let outs = calls.left_room(ROOM, UserId(3), now);
    assert!(to_conn(&outs, tab(3)).contains(&&ServerCall::Ended {
        call_id: id(),
        reason: EndReason::Removed
    }));
    assert_eq!(participants(&outs, 1), Some(vec![1, 2]));
    assert_eq!(participants(&outs, 3), None, "no more news of the room");
    assert_eq!(calls.call_of(UserId(3)), None);
    // A removed member who was still being rung stops ringing.
    let outs = calls.left_room(ROOM, UserId(4), now);
    assert!(to_user(&outs, 4).contains(&&ServerCall::Ended {
        call_id: id(),
        reason: EndReason::Removed
    }));
    assert_eq!(participants(&outs, 4), None);
}

#[test]
fn a_participant_who_says_goodbye_leaves_and_can_join_again() {
    let now = Instant::now();
    let mut calls = three(now);
    let outs = calls.disconnect(tab(2), true, now);
    bob_left(&outs);
    calls.join_room(join(2), now).expect("bob is back");
    assert!(calls.disconnect(ConnId(77), false, now).is_empty());
}

#[test]
fn a_room_participant_is_busy_for_a_direct_call() {
    let now = Instant::now();
    let mut calls = three(now);
    let direct = Invite {
        req_id: ReqId(7),
        caller: user(4),
        conn: tab(4),
        callee: user(2),
        kind: CallKind::Voice,
        conversation: ConversationId(3),
        id: CallId("direct".into()),
    };
    let outs = calls.invite(direct, now).expect("dave calls bob");
    assert!(to_conn(&outs, tab(4)).contains(&&ServerCall::Ended {
        call_id: CallId("direct".into()),
        reason: EndReason::Busy
    }));
    assert_eq!(calls.call_of(UserId(2)), Some(&id()));
}

#[test]
fn seeing_someone_via_the_sfu_is_told_to_them_alone() {
    let now = Instant::now();
    let calls = three(now);
    let seen = ServerCall::SeesViaSfu {
        call_id: id(),
        from: None,
    };
    let outs = calls
        .relay(party(2), &id(), Some(UserId(3)), seen.clone())
        .expect("bob sees carol through the relay");
    assert_eq!(
        outs,
        vec![Out::Conn(
            tab(3),
            ServerCall::SeesViaSfu {
                call_id: id(),
                from: Some(UserId(2)),
            }
        )]
    );
    assert_eq!(
        calls.relay(party(2), &id(), None, seen.clone()).err(),
        Some(CallError::NoAddressee)
    );
    assert_eq!(
        calls.relay(party(4), &id(), Some(UserId(3)), seen).err(),
        Some(CallError::NoSuchCall),
        "not a participant"
    );
}

//! A room call moving from the mesh to the SFU: when, who is told, and in what order.

use super::*;

fn limits(sfu: SfuUse, mesh_max: usize, sfu_max: usize) -> RoomLimits {
    RoomLimits {
        mesh_max,
        sfu,
        sfu_max,
        max_viewers: 100,
    }
}

fn join_with(n: u32, limits: RoomLimits) -> JoinRoom {
    JoinRoom { limits, ..join(n) }
}

/// A call in which users `ns` joined in turn, under `limits`.
fn joined_all(limits: RoomLimits, ns: std::ops::RangeInclusive<u32>, now: Instant) -> Calls {
    let mut calls = Calls::new(RING);
    for n in ns {
        calls.join_room(join_with(n, limits), now).expect("joins");
    }
    calls
}

fn joined_via(outs: &[Out], n: u32) -> Option<Via> {
    to_conn(outs, tab(n)).iter().find_map(|m| match m {
        ServerCall::Joined { call, .. } => Some(call.via),
        _ => None,
    })
}

#[test]
fn the_limits_say_how_a_call_of_n_travels() {
    let auto = limits(SfuUse::Auto, 4, 6);
    assert_eq!(auto.via(4, Via::Mesh), Some(Via::Mesh));
    assert_eq!(auto.via(5, Via::Mesh), Some(Via::Sfu));
    assert_eq!(auto.via(2, Via::Sfu), Some(Via::Sfu), "it stays on the SFU");
    assert_eq!(auto.via(7, Via::Sfu), None);
    let off = limits(SfuUse::Off, 4, 6);
    assert_eq!(off.via(4, Via::Mesh), Some(Via::Mesh));
    assert_eq!(off.via(5, Via::Mesh), None);
    let always = limits(SfuUse::Always, 4, 6);
    assert_eq!(always.via(1, Via::Mesh), Some(Via::Sfu));
    assert_eq!(always.via(7, Via::Sfu), None);
}

#[test]
fn past_the_mesh_everyone_moves_to_the_sfu_before_the_newcomer_arrives() {
    let now = Instant::now();
    let auto = limits(SfuUse::Auto, 4, 50);
    let mut calls = Calls::new(RING);
    for n in 1..=4 {
        let outs = calls.join_room(join_with(n, auto), now).expect("joins");
        assert_eq!(joined_via(&outs, n), Some(Via::Mesh), "{n} joins the mesh");
    }
    let outs = calls.join_room(join_with(5, auto), now).expect("erin fits");
    for n in 1..=4 {
        let told = to_conn(&outs, tab(n));
        assert_eq!(
            told.first(),
            Some(&&ServerCall::ViaSfu { call_id: id() }),
            "{n} moves first: {told:?}"
        );
        assert!(
            matches!(told.get(1), Some(ServerCall::PeerJoined { user, .. }) if user.id == UserId(5))
        );
    }
    assert_eq!(joined_via(&outs, 5), Some(Via::Sfu));
    assert_eq!(calls.room_call(ROOM).map(|c| c.via), Some(Via::Sfu));
    assert!(to_user(&outs, 1).iter().any(|m| matches!(
        m,
        ServerCall::RoomCall { call: Some(c), .. } if c.via == Via::Sfu
    )));
}

#[test]
fn a_call_on_the_sfu_stays_there_as_it_shrinks_and_grows_again() {
    let now = Instant::now();
    let auto = limits(SfuUse::Auto, 2, 50);
    let mut calls = joined_all(auto, 1..=3, now);
    calls.hangup(party(3), &id(), now).expect("carol leaves");
    calls.hangup(party(2), &id(), now).expect("bob leaves");
    assert_eq!(calls.room_call(ROOM).map(|c| c.via), Some(Via::Sfu));
    let outs = calls
        .join_room(join_with(2, auto), now)
        .expect("bob is back");
    assert_eq!(joined_via(&outs, 2), Some(Via::Sfu));
    assert!(
        !outs
            .iter()
            .any(|o| matches!(o, Out::Conn(_, ServerCall::ViaSfu { .. }))),
        "nobody moves twice"
    );
}

#[test]
fn with_the_sfu_always_a_call_starts_on_it_and_nobody_is_told_to_move() {
    let now = Instant::now();
    let always = limits(SfuUse::Always, 4, 50);
    let mut calls = Calls::new(RING);
    let outs = calls.join_room(join_with(1, always), now).expect("start");
    assert_eq!(joined_via(&outs, 1), Some(Via::Sfu));
    let outs = calls.join_room(join_with(2, always), now).expect("bob");
    assert_eq!(joined_via(&outs, 2), Some(Via::Sfu));
    assert!(!outs
        .iter()
        .any(|o| matches!(o, Out::Conn(_, ServerCall::ViaSfu { .. }))));
}

#[test]
fn the_sfu_has_its_own_limit() {
    let now = Instant::now();
    let small = limits(SfuUse::Auto, 2, 3);
    let mut calls = joined_all(small, 1..=3, now);
    let refused = calls.join_room(join_with(4, small), now).err();
    assert_eq!(refused, Some(CallError::Full(3)));
    assert_eq!(calls.call_of(UserId(4)), None);
}

#[test]
fn a_call_rebuilt_after_a_restart_with_more_than_a_mesh_is_on_the_sfu() {
    let now = Instant::now();
    let j = JoinRoom {
        rejoin: Some(Rejoin {
            id: id(),
            with: (2..=5).map(user).collect(),
            seconds: 60,
            host: None,
        }),
        ..join_with(1, limits(SfuUse::Auto, 4, 50))
    };
    let mut calls = Calls::new(RING);
    let outs = calls.join_room(j, now).expect("rebuilt");
    assert_eq!(joined_via(&outs, 1), Some(Via::Sfu));
}

#[test]
fn only_a_participant_on_the_relay_says_how_it_shows_another() {
    let now = Instant::now();
    let on_relay = joined_all(limits(SfuUse::Always, 4, 50), 1..=3, now);
    assert_eq!(
        on_relay.on_relay_with(tab(1), &id(), UserId(2)),
        Ok(UserId(1))
    );
    let refused =
        |calls: &Calls, conn, other| calls.on_relay_with(conn, &id(), UserId(other)).err();
    assert_eq!(
        refused(&on_relay, tab(1), 1),
        Some(CallError::NoSuchParticipant),
        "themself"
    );
    assert_eq!(
        refused(&on_relay, tab(1), 4),
        Some(CallError::NoSuchParticipant),
        "not in it"
    );
    assert_eq!(
        refused(&on_relay, tab(4), 2),
        Some(CallError::NoSuchCall),
        "not a participant"
    );
    let mesh = joined_all(limits(SfuUse::Auto, 4, 50), 1..=3, now);
    assert_eq!(
        refused(&mesh, tab(1), 2),
        Some(CallError::WrongState),
        "a mesh has no layers"
    );
}

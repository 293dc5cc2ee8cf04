//! The speaker rule with time passed in: 20 ms packets at given levels.

use super::*;

const ALICE: UserId = UserId(1);
const BOB: UserId = UserId(2);

/// `who` (each at a level in dBov) send packets for `ms`, from `*t` on; `decide` is asked
/// every 100 ms, and the speakers it named are returned.
fn talk(s: &mut Speakers, t: &mut Instant, who: &[(UserId, i8)], ms: u64) -> Vec<UserId> {
    let mut named = Vec::new();
    for i in 0..ms / 20 {
        for &(user, level) in who {
            s.hear(user, level, *t);
        }
        if i % 5 == 4 {
            named.extend(s.decide(*t));
        }
        *t += Duration::from_millis(20);
    }
    named
}

#[test]
fn nobody_speaks_in_silence_or_hum() {
    let (mut s, mut t) = (Speakers::default(), Instant::now());
    assert_eq!(talk(&mut s, &mut t, &[(ALICE, -127), (BOB, -70)], 2000), []);
}

#[test]
fn one_who_talks_is_named_once() {
    let (mut s, mut t) = (Speakers::default(), Instant::now());
    assert_eq!(
        talk(&mut s, &mut t, &[(ALICE, -20), (BOB, -127)], 2000),
        [ALICE]
    );
}

#[test]
fn a_cough_does_not_take_over_and_an_equal_voice_does_not_either() {
    let (mut s, mut t) = (Speakers::default(), Instant::now());
    talk(&mut s, &mut t, &[(ALICE, -20)], 2000);
    assert_eq!(talk(&mut s, &mut t, &[(ALICE, -20), (BOB, -3)], 20), []);
    assert_eq!(talk(&mut s, &mut t, &[(ALICE, -20), (BOB, -20)], 3000), []);
}

/// Sends one 20 ms packet per step from each of `who` until `decide` names someone; that
/// one, and when.
fn until_named(s: &mut Speakers, t: &mut Instant, who: &[(UserId, i8)]) -> (UserId, Instant) {
    for _ in 0..500 {
        for &(user, level) in who {
            s.hear(user, level, *t);
        }
        if let Some(u) = s.decide(*t) {
            return (u, *t);
        }
        *t += Duration::from_millis(20);
    }
    panic!("nobody named in 10 s");
}

#[test]
fn the_next_one_to_talk_takes_over_once_the_first_stops_but_not_within_the_hold() {
    let (mut s, mut t) = (Speakers::default(), Instant::now());
    let start = t;
    let (first, named_at) = until_named(&mut s, &mut t, &[(ALICE, -20)]);
    assert_eq!(first, ALICE);
    assert!(
        named_at - start <= Duration::from_millis(200),
        "named within 200 ms"
    );
    // bob at once, alice quiet: not before the hold since alice was named.
    let (next, at) = until_named(&mut s, &mut t, &[(ALICE, -127), (BOB, -20)]);
    assert_eq!(next, BOB);
    assert!(at >= named_at + HOLD, "not within the hold");
    assert!(
        at - named_at <= HOLD + Duration::from_millis(300),
        "soon after it: {:?}",
        at - named_at
    );
}

#[test]
fn someone_louder_takes_over_and_who_stops_stays_the_speaker() {
    let (mut s, mut t) = (Speakers::default(), Instant::now());
    talk(&mut s, &mut t, &[(ALICE, -40)], 2000);
    assert_eq!(
        talk(&mut s, &mut t, &[(ALICE, -40), (BOB, -20)], 2000),
        [BOB]
    );
    // Everyone stops (their packets too): bob stays.
    t += Duration::from_secs(5);
    assert_eq!(s.decide(t), None);
}

#[test]
fn when_the_speaker_leaves_the_next_one_talking_is_named() {
    let (mut s, mut t) = (Speakers::default(), Instant::now());
    talk(&mut s, &mut t, &[(ALICE, -10), (BOB, -30)], 2000);
    s.forget(ALICE);
    assert_eq!(talk(&mut s, &mut t, &[(BOB, -30)], 200), [BOB]);
}

//! Call screen transitions, including the ones that must be ignored.

use super::*;
use crate::webrtc::stats::Quality;
use hearth_shared::call::{CallId, EndReason};
use hearth_shared::{ConversationId, UserId};

fn bob() -> UserPublic {
    UserPublic {
        id: UserId(2),
        username: "bob".into(),
    }
}

fn info() -> CallInfo {
    CallInfo {
        id: CallId("x".into()),
        peer: bob(),
        kind: CallKind::Video,
        conversation: ConversationId(1),
    }
}

fn ev(s: Rc<CallState>, e: CallEvent) -> Rc<CallState> {
    s.reduce(CallAction::Event(e, 1000.0))
}

fn idle() -> Rc<CallState> {
    Rc::new(CallState::default())
}

#[test]
fn an_outgoing_call_goes_dialing_ringing_connecting_active_ended() {
    let s = ev(
        idle(),
        CallEvent::Dialing {
            peer: bob(),
            kind: CallKind::Video,
        },
    );
    assert!(matches!(s.phase, Phase::Dialing { .. }));
    let s = ev(s, CallEvent::Ringing(info()));
    assert_eq!(s.phase, Phase::Ringing(info()));
    let s = ev(s, CallEvent::Connecting);
    assert_eq!(s.phase, Phase::Connecting(info()));
    let s = ev(s, CallEvent::Connected);
    assert_eq!(
        s.phase,
        Phase::Active {
            call: info(),
            since_ms: 1000.0
        }
    );
    let s = ev(s, CallEvent::Ended(Ending::HungUp));
    assert_eq!(
        s.phase,
        Phase::Ended {
            peer: Some(bob()),
            ending: Ending::HungUp
        }
    );
    let s = s.reduce(CallAction::Dismiss);
    assert_eq!(s.phase, Phase::Idle);
}

#[test]
fn an_incoming_call_can_be_declined_or_missed() {
    let s = ev(idle(), CallEvent::Incoming(info()));
    assert_eq!(s.phase, Phase::Incoming(info()));
    let declined = ev(s.clone(), CallEvent::Ended(Ending::Declined));
    assert!(matches!(
        declined.phase,
        Phase::Ended {
            ending: Ending::Declined,
            ..
        }
    ));
    let missed = ev(s, CallEvent::Ended(Ending::Server(EndReason::Missed)));
    assert!(matches!(
        missed.phase,
        Phase::Ended {
            ending: Ending::Server(EndReason::Missed),
            ..
        }
    ));
}

#[test]
fn busy_and_answered_elsewhere_end_the_call() {
    let s = ev(
        ev(
            idle(),
            CallEvent::Dialing {
                peer: bob(),
                kind: CallKind::Voice,
            },
        ),
        CallEvent::Ringing(info()),
    );
    let busy = ev(s, CallEvent::Ended(Ending::Server(EndReason::Busy)));
    assert!(matches!(
        busy.phase,
        Phase::Ended {
            ending: Ending::Server(EndReason::Busy),
            ..
        }
    ));
    let s = ev(idle(), CallEvent::Incoming(info()));
    let elsewhere = ev(
        s,
        CallEvent::Ended(Ending::Server(EndReason::AnsweredElsewhere)),
    );
    assert!(matches!(
        elsewhere.phase,
        Phase::Ended {
            ending: Ending::Server(EndReason::AnsweredElsewhere),
            ..
        }
    ));
}

#[test]
fn a_disconnect_mid_call_ends_it_with_its_reason() {
    let s = ev(
        ev(
            ev(idle(), CallEvent::Incoming(info())),
            CallEvent::Connecting,
        ),
        CallEvent::Connected,
    );
    let s = ev(s, CallEvent::Ended(Ending::Server(EndReason::Disconnected)));
    assert!(matches!(
        s.phase,
        Phase::Ended {
            ending: Ending::Server(EndReason::Disconnected),
            ..
        }
    ));
    assert!(s.remote.is_none());
}

#[test]
fn events_that_do_not_fit_are_ignored() {
    let s = idle();
    for e in [
        CallEvent::Ringing(info()),
        CallEvent::Connecting,
        CallEvent::Connected,
        CallEvent::Ended(Ending::HungUp),
    ] {
        let after = ev(s.clone(), e);
        assert!(Rc::ptr_eq(&s, &after), "idle stays idle");
    }
    let ringing = ev(idle(), CallEvent::Incoming(info()));
    let after = ev(ringing.clone(), CallEvent::Incoming(info()));
    assert!(
        Rc::ptr_eq(&ringing, &after),
        "a second incoming call does not replace the first"
    );
    let dialing = ev(
        idle(),
        CallEvent::Dialing {
            peer: bob(),
            kind: CallKind::Video,
        },
    );
    assert!(
        Rc::ptr_eq(&dialing, &ev(dialing.clone(), CallEvent::Connected)),
        "not connected before ringing"
    );
    assert!(Rc::ptr_eq(
        &dialing,
        &dialing.clone().reduce(CallAction::Dismiss)
    ));
}

#[test]
fn both_calling_at_once_connects_straight_from_dialing_via_ringing() {
    // The server answers the second invite with `outgoing` for the first call, then
    // `connected`: the screen goes Dialing -> Ringing -> Connecting like any answered call.
    let s = ev(
        idle(),
        CallEvent::Dialing {
            peer: bob(),
            kind: CallKind::Video,
        },
    );
    let s = ev(ev(s, CallEvent::Ringing(info())), CallEvent::Connecting);
    assert_eq!(s.phase, Phase::Connecting(info()));
}

#[test]
fn media_flags_follow_events_in_any_phase() {
    let s = ev(
        idle(),
        CallEvent::LocalMedia {
            audio: true,
            video: false,
            has_video: true,
        },
    );
    assert!(s.mic_on && !s.cam_on && s.has_video);
    let s = ev(
        s,
        CallEvent::RemoteMedia {
            audio: false,
            video: false,
            screen: false,
        },
    );
    assert!(!s.remote_audio && !s.remote_video && !s.remote_screen);
    let s = ev(
        s,
        CallEvent::RemoteMedia {
            audio: true,
            video: true,
            screen: true,
        },
    );
    assert!(s.remote_video && s.remote_screen);
}

#[test]
fn quality_history_keeps_the_last_minute() {
    let mut s = idle();
    for i in 0..(QUALITY_HISTORY + 5) {
        let q = Quality {
            in_kbps: i as f64,
            ..Quality::default()
        };
        s = ev(s, CallEvent::Quality(q));
    }
    assert_eq!(s.quality.len(), QUALITY_HISTORY);
    assert_eq!(s.quality[0].in_kbps, 5.0);
}

fn active() -> Rc<CallState> {
    let s = ev(idle(), CallEvent::Incoming(info()));
    let s = ev(s, CallEvent::Connecting);
    ev(s, CallEvent::Connected)
}

#[test]
fn a_recording_keeps_its_start_while_it_grows_and_ends_with_the_call() {
    let s = active();
    let s = s.reduce(CallAction::Event(
        CallEvent::Recording {
            audio_only: false,
            bytes: 0,
        },
        5000.0,
    ));
    let s = s.reduce(CallAction::Event(
        CallEvent::Recording {
            audio_only: false,
            bytes: 120_000,
        },
        6000.0,
    ));
    let status = s.recording.expect("recording");
    assert_eq!((status.since_ms, status.bytes), (5000.0, 120_000));
    let stopped = ev(s.clone(), CallEvent::RecordingStopped);
    assert_eq!(stopped.recording, None);
    // The friend's flag follows their word, and the end of the call clears both.
    let s = ev(s, CallEvent::RemoteRecording(true));
    assert!(s.remote_recording);
    let s = ev(s, CallEvent::Ended(Ending::HungUp));
    assert_eq!((s.recording, s.remote_recording), (None, false));
}

#[test]
fn a_relayed_call_says_so_until_it_ends_and_the_next_call_does_not() {
    let s = ev(active(), CallEvent::Relayed);
    assert!(s.relayed);
    let s = ev(s, CallEvent::Ended(Ending::HungUp));
    assert!(!s.relayed);
    let s = ev(s, CallEvent::Incoming(info()));
    assert!(!s.relayed);
}

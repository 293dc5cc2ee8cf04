//! Calls that survive the network. When the connection to the friend has been
//! `disconnected` for 3 s, or has `failed`, the side that made the first offer restarts ICE
//! with the newest STUN/TURN servers (so with fresh TURN credentials), and again every 5 s
//! while it stays down: a relay that was restarted, or a phone that moved from Wi-Fi to
//! mobile data, is picked up again. Both sides show "Reconnecting…". Still down after 10 s,
//! the call moves to the server's media relay (see `relayed`), where a lost connection is
//! replaced by a new one. The call ends, with a reason, if it has not recovered within 30 s.

use std::rc::Rc;

use gloo::timers::callback::Interval;

use super::{call_id, CallController, CallEvent, Ending};
use crate::webrtc::peer::ConnState;
use hearth_shared::call::ClientCall;

/// A `disconnected` connection often comes back by itself within a second or two.
const RESTART_AFTER_MS: f64 = 3_000.0;
/// Another restart if the last one has not brought it back.
const RETRY_EVERY_MS: f64 = 5_000.0;
/// Then the call goes through the server's media relay instead.
const RELAY_AFTER_MS: f64 = 10_000.0;
/// Then the call ends.
const GIVE_UP_MS: f64 = 30_000.0;

/// Why the call ends when it could not be brought back.
pub const LOST: &str = "The connection to your friend was lost and could not be restored.";

/// The time line of one outage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Clock {
    since_ms: f64,
    failed: bool,
    last_restart_ms: Option<f64>,
    relay_asked: bool,
}

/// What to do at a moment of an outage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    Wait,
    RestartIce,
    Relay,
    GiveUp,
}

impl Clock {
    fn new(now_ms: f64, failed: bool) -> Clock {
        Clock {
            since_ms: now_ms,
            failed,
            last_restart_ms: None,
            relay_asked: false,
        }
    }

    /// The step at `now_ms`; only the offering side restarts ICE (the other side answers
    /// the restart's offer), so the two never restart at once. Either side asks for the
    /// relay.
    pub(super) fn step(&self, offerer: bool, now_ms: f64) -> Step {
        if now_ms - self.since_ms >= GIVE_UP_MS {
            return Step::GiveUp;
        }
        if !self.relay_asked && now_ms - self.since_ms >= RELAY_AFTER_MS {
            return Step::Relay;
        }
        if !offerer {
            return Step::Wait;
        }
        let due = match self.last_restart_ms {
            None if self.failed => true,
            None => now_ms - self.since_ms >= RESTART_AFTER_MS,
            Some(last) => now_ms - last >= RETRY_EVERY_MS,
        };
        if due {
            Step::RestartIce
        } else {
            Step::Wait
        }
    }
}

/// An outage in progress: its clock and the timer that looks at it.
pub(super) struct Outage {
    clock: Clock,
    _tick: Interval,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl CallController {
    /// The connection to the friend changed state.
    pub(super) fn on_connection(&self, state: ConnState) {
        match state {
            ConnState::Connected => {
                self.release_screen();
                self.inner.borrow_mut().connect_limit = None;
                let recovered = self.inner.borrow_mut().outage.take().is_some();
                if recovered {
                    self.emit(CallEvent::Reconnecting(false));
                }
                self.emit(CallEvent::Connected);
            }
            ConnState::Disconnected | ConnState::Failed => {
                self.outage(state == ConnState::Failed);
            }
            _ => {}
        }
    }

    /// Starts timing an outage (or notes that it has become a failure), and acts on it.
    pub(super) fn outage(&self, failed: bool) {
        let started = {
            let mut me = self.inner.borrow_mut();
            match me.outage.as_mut() {
                Some(o) => {
                    o.clock.failed |= failed;
                    false
                }
                None => {
                    let weak = Rc::downgrade(&self.inner);
                    let tick = Interval::new(500, move || {
                        if let Some(inner) = weak.upgrade() {
                            CallController { inner }.outage_tick();
                        }
                    });
                    me.outage = Some(Outage {
                        clock: Clock::new(now_ms(), failed),
                        _tick: tick,
                    });
                    true
                }
            }
        };
        if started {
            self.emit(CallEvent::Reconnecting(true));
        }
        self.outage_tick();
    }

    fn outage_tick(&self) {
        let now = now_ms();
        let step = {
            let me = self.inner.borrow();
            let (Some(o), Some(peer)) = (&me.outage, me.peer()) else {
                return;
            };
            o.clock.step(!peer.polite(), now)
        };
        match step {
            Step::Wait => {}
            Step::Relay => {
                if let Some(o) = self.inner.borrow_mut().outage.as_mut() {
                    o.clock.relay_asked = true;
                }
                self.ask_relay();
            }
            Step::RestartIce if self.relayed() => {
                if let Some(o) = self.inner.borrow_mut().outage.as_mut() {
                    o.clock.last_restart_ms = Some(now);
                }
                self.connect_relay();
            }
            Step::RestartIce => {
                let mut me = self.inner.borrow_mut();
                let servers = me.ice_servers.clone();
                if let Some(o) = me.outage.as_mut() {
                    o.clock.last_restart_ms = Some(now);
                }
                if let Some(Err(e)) = me.peer().map(|p| p.restart_ice(&servers)) {
                    gloo::console::warn!(format!("ICE restart failed: {e}"));
                }
            }
            Step::GiveUp => self.give_up(),
        }
    }

    /// The connection could not be brought back (or made): the call ends, with why.
    pub(super) fn give_up(&self) {
        self.give_up_with(LOST);
    }

    /// The call ends because of `why`, on both sides.
    pub(super) fn give_up_with(&self, why: &str) {
        if let Some(id) = call_id(&self.phase()) {
            self.send(ClientCall::Hangup {
                call_id: id,
                req_id: None,
            });
        }
        self.finish(Ending::Failed(why.into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offerer_restarts_after_3_s_disconnected_then_every_5_s() {
        let mut c = Clock::new(1_000.0, false);
        assert_eq!(c.step(true, 3_999.0), Step::Wait);
        assert_eq!(c.step(true, 4_000.0), Step::RestartIce);
        c.last_restart_ms = Some(4_000.0);
        assert_eq!(c.step(true, 8_999.0), Step::Wait);
        assert_eq!(c.step(true, 9_000.0), Step::RestartIce);
    }

    #[test]
    fn a_failure_restarts_at_once() {
        let c = Clock::new(1_000.0, true);
        assert_eq!(c.step(true, 1_000.0), Step::RestartIce);
    }

    #[test]
    fn either_side_asks_for_the_relay_once_after_10_s() {
        let mut c = Clock::new(0.0, false);
        c.last_restart_ms = Some(9_000.0);
        assert_eq!(c.step(false, 9_999.0), Step::Wait);
        assert_eq!(c.step(false, 10_000.0), Step::Relay);
        assert_eq!(c.step(true, 10_000.0), Step::Relay);
        c.relay_asked = true;
        assert_eq!(c.step(false, 12_000.0), Step::Wait);
        assert_eq!(c.step(true, 14_000.0), Step::RestartIce);
    }

    #[test]
    fn the_answering_side_only_waits_and_both_give_up_after_30_s() {
        let mut c = Clock::new(0.0, true);
        assert_eq!(c.step(false, 5_000.0), Step::Wait);
        c.relay_asked = true;
        assert_eq!(c.step(false, 10_000.0), Step::Wait);
        assert_eq!(c.step(false, 29_999.0), Step::Wait);
        assert_eq!(c.step(false, 30_000.0), Step::GiveUp);
        assert_eq!(c.step(true, 30_000.0), Step::GiveUp);
    }
}

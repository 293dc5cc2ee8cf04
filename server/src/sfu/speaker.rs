//! Who is speaking in a call, from the audio-level header extension (RFC 6464) each sender's
//! browser stamps on its audio packets: the level of that packet in dBov (0 is as loud as
//! it gets, -127 silence; str0m gives it so). The SFU needs no decoding for it. Pure, time
//! passed in.
//!
//! Each participant's level is smoothed (packets come every 20 ms; a syllable is louder than
//! the gap after it). The speaker changes only to someone who is speaking, louder than the
//! current speaker by [`LOUDER_BY`], and not sooner than [`HOLD`] after the last change, so
//! a cough or two people talking at once does not make the spotlight flicker. Someone who
//! stops talking stays the speaker until another starts (as on a phone call's screen).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use hearth_shared::UserId;

/// Quieter than this (in dBov, smoothed) is not speaking: a fan, a room's hum.
const SPEAKING_DBOV: f64 = -50.0;

/// How much louder (as a ratio of amplitudes: 2 is 6 dB) someone must be to take over.
const LOUDER_BY: f64 = 2.0;

/// The least time between two changes of speaker.
pub const HOLD: Duration = Duration::from_millis(1000);

/// A level older than this is silence (their packets stopped: muted, or gone).
const STALE: Duration = Duration::from_millis(500);

/// The weight of each new packet in the smoothed level (about 200 ms at 50 packets a second).
const SMOOTHING: f64 = 0.1;

/// One participant's smoothed loudness.
#[derive(Debug, Clone, Copy)]
struct Loudness {
    /// The amplitude, 0 (silence) to 1 (full scale), smoothed.
    amplitude: f64,
    /// When their last packet came.
    heard: Instant,
}

/// The speaker rule of one call.
#[derive(Debug, Default)]
pub struct Speakers {
    loudness: HashMap<UserId, Loudness>,
    current: Option<UserId>,
    changed: Option<Instant>,
}

impl Speakers {
    /// A packet of `user`'s at `level` dBov (-127..=0).
    pub fn hear(&mut self, user: UserId, level: i8, now: Instant) {
        let dbov = f64::from(level.clamp(-127, 0));
        let amplitude = 10f64.powf(dbov / 20.0);
        // Someone new starts from silence: one loud packet (a cough) is not a speaker.
        let l = self.loudness.entry(user).or_insert(Loudness {
            amplitude: 0.0,
            heard: now,
        });
        l.amplitude += (amplitude - l.amplitude) * SMOOTHING;
        l.heard = now;
    }

    /// `user` left the call: they are no longer the speaker.
    pub fn forget(&mut self, user: UserId) {
        self.loudness.remove(&user);
        if self.current == Some(user) {
            self.current = None;
        }
    }

    /// Who was last named the speaker (and is still in the call), if anyone.
    pub fn current(&self) -> Option<UserId> {
        self.current
    }

    /// The speaker now, if that is someone new since the last call (`None`: no change).
    pub fn decide(&mut self, now: Instant) -> Option<UserId> {
        if self.changed.is_some_and(|t| now < t + HOLD) {
            return None;
        }
        let speaking = |l: &Loudness| {
            now.saturating_duration_since(l.heard) < STALE
                && l.amplitude >= 10f64.powf(SPEAKING_DBOV / 20.0)
        };
        let (&loudest, l) = self
            .loudness
            .iter()
            .filter(|(_, l)| speaking(l))
            .max_by(|a, b| a.1.amplitude.total_cmp(&b.1.amplitude))?;
        if Some(loudest) == self.current {
            return None;
        }
        let current = self.current.and_then(|u| self.loudness.get(&u));
        if current.is_some_and(|c| speaking(c) && l.amplitude < c.amplitude * LOUDER_BY) {
            return None;
        }
        self.current = Some(loudest);
        self.changed = Some(now);
        Some(loudest)
    }
}

#[cfg(test)]
mod tests;

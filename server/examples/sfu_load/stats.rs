//! What the synthetic participants measure, shared by all of them: each frame's delay from
//! its publisher's send to a subscriber's receipt, frames missing in between, how late the
//! publishers sent, and refusals.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The instant every frame's send time is counted from (one process, one clock).
pub fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Figures of the current window.
#[derive(Default)]
pub struct Window {
    /// Delays in microseconds.
    pub delays: Vec<u32>,
    /// Frames that never arrived (a gap in a track's frame numbers).
    pub missing: u64,
    /// Frames received.
    pub frames: u64,
    /// How late each frame was written, in microseconds.
    pub send_lag: Vec<u32>,
    /// Commands the SFU refused.
    pub errors: u64,
}

/// The shared record; counts only while a window is open.
#[derive(Default)]
pub struct Stats {
    open: AtomicBool,
    window: Mutex<Window>,
    /// Viewers' times from asking to watch to their first frame, in microseconds (counted
    /// whether or not a window is open).
    firsts: Mutex<Vec<u32>>,
}

impl Stats {
    /// Starts counting afresh.
    pub fn open(&self) {
        *self.window.lock().expect("stats") = Window::default();
        self.open.store(true, Ordering::SeqCst);
    }

    /// Stops counting and returns the window.
    pub fn close(&self) -> Window {
        self.open.store(false, Ordering::SeqCst);
        std::mem::take(&mut *self.window.lock().expect("stats"))
    }

    /// A frame arrived, `missing` frames after the previous one of its track.
    pub fn frame(&self, sent: Duration, missing: u64) {
        if self.open.load(Ordering::Relaxed) {
            let delay = epoch().elapsed().saturating_sub(sent);
            let mut w = self.window.lock().expect("stats");
            w.delays.push(delay.as_micros() as u32);
            w.missing += missing;
            w.frames += 1;
        }
    }

    /// A frame was written `lag` after it was due.
    pub fn sent(&self, lag: Duration) {
        if self.open.load(Ordering::Relaxed) {
            let mut w = self.window.lock().expect("stats");
            w.send_lag.push(lag.as_micros() as u32);
        }
    }

    /// A viewer's first frame came `after` it asked to watch.
    pub fn first_frame(&self, after: Duration) {
        let mut firsts = self.firsts.lock().expect("stats");
        firsts.push(after.as_micros() as u32);
    }

    /// The viewers' times to their first frame so far; forgets them.
    pub fn take_firsts(&self) -> Vec<u32> {
        std::mem::take(&mut *self.firsts.lock().expect("stats"))
    }

    /// The SFU refused a command (counted whether or not a window is open).
    pub fn error(&self) {
        self.window.lock().expect("stats").errors += 1;
    }
}

/// The `p`th percentile (0..=100) of `v`, in milliseconds; sorts `v`.
pub fn percentile_ms(v: &mut [u32], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_unstable();
    let i = ((v.len() - 1) as f64 * p / 100.0).round() as usize;
    f64::from(v[i]) / 1000.0
}

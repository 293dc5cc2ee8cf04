//! A ringtone made with WebAudio (two tones, two seconds on, four off), so there is no file to
//! fetch. Stops when dropped.

use web_sys::{AudioContext, OscillatorType};

/// A ringing tone; silent once dropped.
pub struct Ringtone {
    ctx: AudioContext,
}

/// How long the schedule runs (the server ends an unanswered call after 45 s).
const RING_SECONDS: f64 = 60.0;

impl Ringtone {
    /// Starts ringing; `None` if the browser has no audio.
    pub fn start() -> Option<Ringtone> {
        let ctx = AudioContext::new().ok()?;
        let gain = ctx.create_gain().ok()?;
        gain.connect_with_audio_node(&ctx.destination()).ok()?;
        let level = gain.gain();
        let t0 = ctx.current_time();
        level.set_value_at_time(0.0, t0).ok()?;
        let mut t = t0;
        while t < t0 + RING_SECONDS {
            level.set_value_at_time(0.12, t).ok()?;
            level.set_value_at_time(0.0, t + 2.0).ok()?;
            t += 6.0;
        }
        for freq in [440.0, 480.0] {
            let osc = ctx.create_oscillator().ok()?;
            osc.set_type(OscillatorType::Sine);
            osc.frequency().set_value(freq);
            osc.connect_with_audio_node(&gain).ok()?;
            osc.start().ok()?;
        }
        Some(Ringtone { ctx })
    }
}

impl Drop for Ringtone {
    fn drop(&mut self) {
        let _ = self.ctx.close();
    }
}

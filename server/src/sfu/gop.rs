//! The frames of each incoming video layer since its last keyframe (its group of pictures),
//! so that a receiver who starts gets the picture at once: the SFU sends it the keyframe and
//! the frames after it, with their media times squeezed one tick apart up to the last one's,
//! so the receiver decodes them in a blink and shows the live picture, not one that lags by
//! the group's length. Without this a late viewer of a broadcast waits for the sender's next
//! keyframe, which the SFU asks for at most once a second per track (`throttle.rs`).
//!
//! A group longer than [`MAX_FRAMES`] or [`MAX_BYTES`] (a browser sends keyframes only when
//! asked) is dropped until the next keyframe: the receiver then waits for one as before. So
//! is a group with a frame missing, which would not decode.

use std::sync::Arc;
use std::time::Instant;

use str0m::format::PayloadParams;
use str0m::media::{MediaData, MediaTime, Rid};

/// The most frames kept of one layer: 2 s at 30 frames a second.
pub(super) const MAX_FRAMES: usize = 60;

/// The most bytes kept of one layer: 2 s at 6 Mbit/s.
pub(super) const MAX_BYTES: usize = 1_500_000;

/// One incoming video frame, as forwarded.
#[derive(Debug, Clone)]
pub(super) struct Frame {
    /// Its simulcast layer (none: not simulcast).
    pub(super) rid: Option<Rid>,
    pub(super) keyframe: bool,
    pub(super) params: PayloadParams,
    /// Its media time.
    pub(super) time: MediaTime,
    /// When it came in.
    pub(super) at: Instant,
    pub(super) data: Arc<[u8]>,
}

impl Frame {
    /// The frame `data` carries (its bytes shared, not copied).
    pub(super) fn of(data: &MediaData) -> Frame {
        Frame {
            rid: data.rid,
            keyframe: data.is_keyframe(),
            params: data.params,
            time: data.time,
            at: data.network_time,
            data: data.data.clone(),
        }
    }
}

/// One layer's frames since its last keyframe.
#[derive(Debug, Default)]
pub(super) struct Gop {
    frames: Vec<Frame>,
    bytes: usize,
}

impl Gop {
    /// A frame came in; `contiguous`: nothing was lost before it.
    pub(super) fn heard(&mut self, f: &Frame, contiguous: bool) {
        if f.keyframe {
            self.clear();
        } else if self.frames.is_empty() || !contiguous {
            // No keyframe to start from, or a hole: nothing to send until the next one.
            return self.clear();
        }
        self.bytes += f.data.len();
        self.frames.push(f.clone());
        if self.frames.len() > MAX_FRAMES || self.bytes > MAX_BYTES {
            self.clear();
        }
    }

    fn clear(&mut self) {
        self.frames.clear();
        self.bytes = 0;
    }

    /// The group to send a receiver who starts now, times squeezed: each frame one tick
    /// after the one before, the last at its own time, and all as come in with the last.
    /// Empty when there is none.
    pub(super) fn catch_up(&self) -> Vec<Frame> {
        let Some(last) = self.frames.last() else {
            return Vec::new();
        };
        let n = self.frames.len() as u64;
        (self.frames.iter().zip(1..))
            .map(|(f, i)| Frame {
                time: MediaTime::new(
                    last.time.numer().saturating_sub(n - i),
                    last.time.frequency(),
                ),
                at: last.at,
                ..f.clone()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;

//! The recording's sound: every voice of the call (one's microphone, the friend's audio, a
//! shared screen's sound) mixed by WebAudio into one track. Sources come and go as the call
//! changes; the mixed track stays the same, silent when there is nothing to hear.

use wasm_bindgen::JsCast;
use web_sys::{
    AudioContext, MediaStream, MediaStreamAudioDestinationNode, MediaStreamAudioSourceNode,
    MediaStreamTrack,
};

use crate::webrtc::js;

/// Mixes audio tracks while it lives.
pub struct Mixer {
    ctx: AudioContext,
    out: MediaStreamAudioDestinationNode,
    /// Each connected track's id and its source node.
    inputs: Vec<(String, MediaStreamAudioSourceNode)>,
}

impl Mixer {
    /// An empty mix.
    pub fn new() -> Result<Mixer, String> {
        let ctx = AudioContext::new().map_err(js::describe)?;
        let out = ctx
            .create_media_stream_destination()
            .map_err(js::describe)?;
        Ok(Mixer {
            ctx,
            out,
            inputs: Vec::new(),
        })
    }

    /// The mixed sound.
    pub fn track(&self) -> Option<MediaStreamTrack> {
        self.out.stream().get_audio_tracks().get(0).dyn_into().ok()
    }

    /// Mixes exactly these tracks from now on.
    pub fn set(&mut self, tracks: &[MediaStreamTrack]) {
        self.inputs.retain(|(id, node)| {
            let keep = tracks.iter().any(|t| &t.id() == id);
            if !keep {
                node.disconnect().ok();
            }
            keep
        });
        for t in tracks {
            let id = t.id();
            if self.inputs.iter().any(|(have, _)| *have == id) {
                continue;
            }
            let Some(alone) = MediaStream::new_with_tracks(&js_sys::Array::of1(t)).ok() else {
                continue;
            };
            let Ok(node) = self.ctx.create_media_stream_source(&alone) else {
                continue;
            };
            if node.connect_with_audio_node(&self.out).is_ok() {
                self.inputs.push((id, node));
            }
        }
    }
}

impl Drop for Mixer {
    fn drop(&mut self) {
        for (_, node) in self.inputs.drain(..) {
            node.disconnect().ok();
        }
        if let Some(t) = self.track() {
            t.stop();
        }
        let _ = self.ctx.close();
    }
}

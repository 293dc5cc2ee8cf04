//! The only code touching RTCPeerConnection, MediaStream and WebAudio. No yew here: the call
//! controller reports `CallEvent`s and the UI decides what to show.

pub mod call;
pub mod conntest;
pub mod first_frame;
mod js;
pub mod media;
pub mod mesh;
pub mod peer;
pub mod recording;
pub mod remotes;
pub mod ringtone;
pub mod screen;
pub mod snapshot;
pub mod stats;

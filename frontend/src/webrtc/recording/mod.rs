//! Recording a call in the browser, as the user experiences it: a composite picture (or none,
//! for sound alone) and every voice mixed, encoded by MediaRecorder as WebM in one-second
//! chunks. Each chunk is indexed as it comes ([`webm::Indexer`]), so stopping only lays the
//! file out again: it gets a duration and an index without being copied.

mod cached;
mod compose;
mod draw;
mod layout;
mod mix;
mod save;
mod ticker;
pub mod webm;

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{BlobEvent, MediaRecorder, MediaRecorderOptions, MediaStream, MediaStreamTrack};

use compose::Composer;
pub use compose::{picture, Layout, Picture, Tile};
use mix::Mixer;
use save::Saver;

use super::js;

/// How long a stop waits at most for the encoder to finish the picture it holds, and how
/// often it looks.
const DRAIN_MAX_MS: f64 = 2000.0;
const DRAIN_STEP_MS: i32 = 250;

/// What the recording is made of at a moment.
pub struct Sources {
    /// How the pictures are arranged.
    pub layout: Layout,
    /// Everyone's picture, this side's included.
    pub tiles: Vec<Tile>,
    /// Every sound to mix.
    pub audio: Vec<MediaStreamTrack>,
}

/// This side's recording, while it runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RecordingStatus {
    /// Sound only.
    pub audio_only: bool,
    /// The file's size so far.
    pub bytes: u64,
    /// When it started.
    pub since_ms: f64,
}

/// A finished recording, playable and downloadable from this page.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// A `blob:` URL of the file.
    pub url: String,
    /// The file name to save it under.
    pub name: String,
    /// Its size.
    pub bytes: u64,
    /// Its length, when the file could be indexed.
    pub duration_ms: Option<f64>,
    /// Sound only.
    pub audio_only: bool,
}

/// What a running recording reports.
pub enum Progress {
    /// The file has grown to this many bytes.
    Bytes(u64),
    /// The browser stopped it (out of memory, a device gone, ...).
    Failed(String),
}

/// Whether this browser can record.
pub fn supported() -> bool {
    js_sys::Reflect::has(&js_sys::global(), &"MediaRecorder".into()).unwrap_or(false)
}

fn mime(audio_only: bool) -> Option<&'static str> {
    let choices: &[&'static str] = if audio_only {
        &["audio/webm;codecs=opus", "audio/webm"]
    } else {
        // VP8 before VP9: it costs a fraction of the processor time, with a call running.
        &[
            "video/webm;codecs=vp8,opus",
            "video/webm;codecs=vp9,opus",
            "video/webm",
        ]
    };
    choices
        .iter()
        .copied()
        .find(|m| MediaRecorder::is_type_supported(m))
}

/// A recording under way.
pub struct Recorder {
    media: MediaRecorder,
    composer: Option<Composer>,
    mixer: Mixer,
    saver: Rc<RefCell<Saver>>,
    /// Resolves when the recorder has handed over its last chunk.
    stopped: Promise,
    name: String,
    audio_only: bool,
    _on_data: Closure<dyn FnMut(BlobEvent)>,
    _on_error: Closure<dyn FnMut(JsValue)>,
}

impl Recorder {
    /// Starts recording `sources`; `name` names the file.
    pub fn start(
        sources: &Sources,
        name: String,
        audio_only: bool,
        report: impl Fn(Progress) + 'static,
    ) -> Result<Recorder, String> {
        let mime = mime(audio_only).ok_or("This browser cannot record WebM.")?;
        let mut mixer = Mixer::new()?;
        mixer.set(&sources.audio);
        let composer = if audio_only {
            None
        } else {
            let c = Composer::start()?;
            c.show(sources.layout, sources.tiles.clone())?;
            Some(c)
        };
        let tracks = Array::new();
        if let Some(c) = &composer {
            tracks.push(c.track());
        }
        let sound = mixer.track().ok_or("no sound to record")?;
        tracks.push(&sound);
        let stream = MediaStream::new_with_tracks(&tracks).map_err(js::describe)?;
        let opts = MediaRecorderOptions::new();
        opts.set_mime_type(mime);
        opts.set_video_bits_per_second(2_000_000);
        opts.set_audio_bits_per_second(96_000);
        let media = MediaRecorder::new_with_media_stream_and_media_recorder_options(&stream, &opts)
            .map_err(js::describe)?;
        let saver = Rc::new(RefCell::new(Saver::new(mime)));
        let report = Rc::new(report);
        let on_data = {
            let (saver, report) = (saver.clone(), report.clone());
            Closure::<dyn FnMut(BlobEvent)>::new(move |e: BlobEvent| {
                if let Some(blob) = e.data() {
                    report(Progress::Bytes(Saver::add(&saver, blob)));
                }
            })
        };
        media.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let why = js_sys::Reflect::get(&e, &"error".into()).unwrap_or(e);
            report(Progress::Failed(format!(
                "The recording stopped: {}",
                js::describe(why)
            )));
        });
        media.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let stopped = Promise::new(&mut |resolve, _| media.set_onstop(Some(&resolve)));
        // One-second chunks: the file grows steadily and is indexed as it grows.
        media.start_with_time_slice(1000).map_err(js::describe)?;
        Ok(Recorder {
            media,
            composer,
            mixer,
            saver,
            stopped,
            name,
            audio_only,
            _on_data: on_data,
            _on_error: on_error,
        })
    }

    /// The call changed (a screen shared, a camera turned off, a new voice): record that.
    pub fn update(&mut self, sources: &Sources) {
        self.mixer.set(&sources.audio);
        if let Some(c) = &self.composer {
            if let Err(e) = c.show(sources.layout, sources.tiles.clone()) {
                web_sys::console::warn_1(&e.into());
            }
        }
    }

    /// Stops, and makes the file once the last chunk is indexed.
    pub async fn stop(mut self) -> Result<Recorded, String> {
        // Read as text: web-sys's `RecordingState` getter costs more of the bundle.
        if js::text(&self.media, "state").as_deref() != Some("inactive") {
            self.drain().await;
            self.media.stop().map_err(js::describe)?;
        }
        let _ = JsFuture::from(self.stopped.clone()).await;
        let done = self.saver.borrow().done();
        let _ = JsFuture::from(done).await;
        drop(self.composer);
        drop(self.mixer);
        let mut saver = self.saver.borrow_mut();
        saver.finish(self.name, self.audio_only)
    }

    /// Lets the encoder finish the picture it holds before the recorder stops: stopping
    /// drops the frames still queued, and on a busy two-core machine that was the last 0.25
    /// to 1.75 s of picture while the sound ran on. Nothing new goes in meanwhile: the
    /// picture holds still and the sound is silent (what is said after Stop is not
    /// recorded). Done when a step brings no new frame, or at the deadline.
    async fn drain(&mut self) {
        let Some(composer) = self.composer.as_mut() else {
            return;
        };
        composer.pause();
        self.mixer.set(&[]);
        let deadline = js_sys::Date::now() + DRAIN_MAX_MS;
        let mut seen = self.saver.borrow().frames();
        while js_sys::Date::now() < deadline {
            if self.media.request_data().is_err() {
                return;
            }
            js::sleep(DRAIN_STEP_MS).await;
            let indexed = self.saver.borrow().done();
            let _ = JsFuture::from(indexed).await;
            let now = self.saver.borrow().frames();
            if now == seen {
                return;
            }
            seen = now;
        }
    }
}

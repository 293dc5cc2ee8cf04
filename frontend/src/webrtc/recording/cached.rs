//! A picture in the recording, made cheap to draw. Drawing a video frame converts the whole
//! frame, whatever size it is drawn at: on a small two-core server a shared 1920x1080 screen
//! took 95 to 133 ms a frame and a 1280x720 camera about 10 ms, which left the recording at 8
//! frames a second. So each picture comes from a copy of its track, which the browser scales
//! down to at most the size it is drawn at when it can (one's own camera or screen: the screen
//! then costs 11 ms; a received track arrives at its size), and it is converted at most a set
//! number of times a second into a canvas of its drawn size, which every frame of the
//! composite shows.

use std::cell::{Cell, RefCell};

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, MediaStream, MediaStreamTrack,
};

use crate::webrtc::js;

/// The largest size a copy is scaled to: half the composite's width, as one's own picture
/// beside a shared screen in a direct call. (A room call's large spot draws it enlarged.)
const MAX_WIDTH: u32 = 640;
const MAX_HEIGHT: u32 = 720;

/// A picture: a (scaled) copy of its track, playing, and its last drawing.
pub struct Cached {
    video: HtmlVideoElement,
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    /// When the drawing was last refreshed (ms since the epoch).
    drawn_ms: Cell<f64>,
    /// How many times a second the drawing is refreshed at most.
    fps: Cell<f64>,
    /// The copy being played, and the id of the track it copies.
    copy: RefCell<Option<(MediaStreamTrack, String)>>,
}

/// The size of a video's frames, when it has any.
pub fn frame(v: &HtmlVideoElement) -> Option<(f64, f64)> {
    let (w, h) = (v.video_width(), v.video_height());
    (w > 0 && h > 0).then(|| (f64::from(w), f64::from(h)))
}

/// The first video track of a stream.
fn video_track(stream: &MediaStream) -> Option<MediaStreamTrack> {
    stream.get_video_tracks().get(0).dyn_into().ok()
}

/// Asks the browser to scale `track` down to fit the largest drawn size. It is asked, not
/// awaited: until it applies, and if it is refused, the copy is drawn at full size.
fn scale_down(track: &MediaStreamTrack) {
    let max = |v: u32| {
        let o = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&o, &"max".into(), &v.into());
        o
    };
    let constraints = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&constraints, &"width".into(), &max(MAX_WIDTH));
    let _ = js_sys::Reflect::set(&constraints, &"height".into(), &max(MAX_HEIGHT));
    let apply = js_sys::Reflect::get(track, &"applyConstraints".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(promise) = apply
        .and_then(|f| f.call1(track, &constraints).ok())
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
    else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let _ = JsFuture::from(promise).await;
    });
}

impl Cached {
    /// Draws with `video` into the canvas `canvas` (with its context `ctx`), `fps` times a
    /// second at most.
    pub fn new(
        video: HtmlVideoElement,
        (canvas, ctx): (HtmlCanvasElement, CanvasRenderingContext2d),
        fps: f64,
    ) -> Cached {
        Cached {
            video,
            canvas,
            ctx,
            drawn_ms: Cell::new(f64::NEG_INFINITY),
            fps: Cell::new(fps),
            copy: RefCell::new(None),
        }
    }

    /// Refreshes the drawing `fps` times a second at most from now on.
    pub fn set_fps(&self, fps: f64) {
        self.fps.set(fps);
    }

    /// Shows the video of `stream` (or nothing) from now on.
    pub fn show(&self, stream: Option<&MediaStream>) {
        let track = stream.and_then(video_track);
        let mut copy = self.copy.borrow_mut();
        if copy.as_ref().map(|(_, id)| id.as_str()) == track.as_ref().map(|t| t.id()).as_deref() {
            return;
        }
        if let Some((old, _)) = copy.take() {
            old.stop();
        }
        self.drawn_ms.set(f64::NEG_INFINITY);
        let Some(track) = track else {
            self.video.set_src_object(None);
            return;
        };
        let scaled = track.clone();
        scale_down(&scaled);
        let tracks = js_sys::Array::of1(&scaled);
        match MediaStream::new_with_tracks(&tracks) {
            Ok(s) => {
                self.video.set_src_object(Some(&s));
                // Muted players may always play; a refusal only leaves the picture out.
                let _ = self.video.play();
                *copy = Some((scaled, track.id()));
            }
            Err(e) => {
                scaled.stop();
                web_sys::console::warn_1(&js::describe(e).into());
            }
        }
    }

    /// The size of the picture's frames, when it has any.
    pub fn frame(&self) -> Option<(f64, f64)> {
        frame(&self.video)
    }

    /// Draws the picture on `target` as large as fits in `(x, y, w, h)`, centred, keeping
    /// its shape.
    pub fn draw(&self, target: &CanvasRenderingContext2d, (x, y, w, h): (f64, f64, f64, f64)) {
        let Some((vw, vh)) = self.frame() else { return };
        let scale = (w / vw).min(h / vh);
        let (dw, dh) = ((vw * scale).round().max(1.0), (vh * scale).round().max(1.0));
        // Whole pixels no larger than the composite: the casts cannot lose anything.
        let size = (dw as u32, dh as u32);
        if (self.canvas.width(), self.canvas.height()) != size {
            // A new size clears the drawing: refresh it at once.
            self.canvas.set_width(size.0);
            self.canvas.set_height(size.1);
            self.drawn_ms.set(f64::NEG_INFINITY);
        }
        let now = js_sys::Date::now();
        // A little early counts: the ticker's beat is whole milliseconds and jitters, and a
        // refresh due a hair later would be skipped for a whole beat.
        if now - self.drawn_ms.get() >= 0.8 * 1000.0 / self.fps.get() {
            let _ = self.ctx.draw_image_with_html_video_element_and_dw_and_dh(
                &self.video,
                0.0,
                0.0,
                dw,
                dh,
            );
            self.drawn_ms.set(now);
        }
        let _ = target.draw_image_with_html_canvas_element(
            &self.canvas,
            x + (w - dw) / 2.0,
            y + (h - dh) / 2.0,
        );
    }
}

impl Drop for Cached {
    fn drop(&mut self) {
        if let Some((copy, _)) = self.copy.take() {
            copy.stop();
        }
        self.video.set_src_object(None);
    }
}

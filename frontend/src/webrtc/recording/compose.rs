//! The recording's picture: the friend large and oneself small in a corner, or the two side
//! by side when either picture is a shared screen, drawn on a canvas at a steady rate. A
//! picture that is off shows as the friend's initial (or not at all, for oneself).
//! One's own picture is drawn by [`Own`], which keeps it cheap.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{
    CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, MediaStream, MediaStreamTrack,
};

use super::own::{frame, Own};
use super::ticker::Ticker;
use crate::webrtc::{js, media};

/// The recording's picture size and rate.
const WIDTH: u32 = 1280;
const HEIGHT: u32 = 720;
const FPS: u32 = 30;

/// One side's picture.
#[derive(Clone, Default)]
pub struct Picture {
    /// The stream whose video to show.
    pub stream: Option<MediaStream>,
    /// Whether it is on (camera not turned off).
    pub on: bool,
    /// Whether it is a shared screen.
    pub screen: bool,
}

struct Scene {
    ctx: CanvasRenderingContext2d,
    friend: HtmlVideoElement,
    own: Own,
    pictures: RefCell<(Picture, Picture)>,
    initial: String,
    name: String,
    /// When drawing started (ms since the epoch).
    started_ms: f64,
}

/// How long a picture that should be there may take to show its first frame before its
/// side is drawn as off. Until then nothing is drawn, so the recording starts with the
/// picture rather than a flash of the avatar.
const FIRST_FRAME_GRACE_MS: f64 = 1000.0;

/// Draws the composite while it lives.
pub struct Composer {
    scene: Rc<Scene>,
    track: MediaStreamTrack,
    _ticker: Ticker,
}

/// A canvas and its 2d context, without alpha: with it, Chromium encodes a second,
/// transparency picture too.
fn new_canvas(
    width: u32,
    height: u32,
) -> Result<(HtmlCanvasElement, CanvasRenderingContext2d), String> {
    let canvas: HtmlCanvasElement = js::element("canvas")?;
    canvas.set_width(width);
    canvas.set_height(height);
    let opts = js_sys::Object::new();
    js_sys::Reflect::set(&opts, &"alpha".into(), &false.into()).map_err(js::describe)?;
    let ctx: CanvasRenderingContext2d = canvas
        .get_context_with_context_options("2d", &opts)
        .map_err(js::describe)?
        .ok_or("no 2d canvas")?
        .dyn_into()
        .map_err(|_| "no 2d canvas")?;
    Ok((canvas, ctx))
}

fn video() -> Result<HtmlVideoElement, String> {
    let v: HtmlVideoElement = js::element("video")?;
    v.set_muted(true);
    Ok(v)
}

impl Composer {
    /// Starts drawing; `name` is the friend's, for when their picture is off.
    pub fn start(name: &str) -> Result<Composer, String> {
        let (canvas, ctx) = new_canvas(WIDTH, HEIGHT)?;
        // Without a rate, every drawing is a frame: the ticker sets the pace.
        let track = canvas
            .capture_stream()
            .map_err(js::describe)?
            .get_video_tracks()
            .get(0)
            .dyn_into::<MediaStreamTrack>()
            .map_err(|_| "the canvas gave no picture")?;
        let scene = Rc::new(Scene {
            ctx,
            friend: video()?,
            own: Own::new(video()?, new_canvas(1, 1)?),
            pictures: RefCell::default(),
            initial: name
                .chars()
                .next()
                .map(|c| c.to_uppercase().to_string())
                .unwrap_or_default(),
            name: name.to_owned(),
            started_ms: js_sys::Date::now(),
        });
        let drawn = scene.clone();
        let ticker = Ticker::start(1000 / FPS, move || drawn.draw())?;
        Ok(Composer {
            scene,
            track,
            _ticker: ticker,
        })
    }

    /// The composite picture.
    pub fn track(&self) -> &MediaStreamTrack {
        &self.track
    }

    /// What to draw from now on: the friend's picture and one's own.
    pub fn show(&self, friend: Picture, me: Picture) {
        let s = &self.scene;
        let mut current = s.pictures.borrow_mut();
        let (old, new) = (&current.0.stream, &friend.stream);
        if old.as_ref().map(MediaStream::id) != new.as_ref().map(MediaStream::id) {
            s.friend.set_src_object(new.as_ref());
            if new.is_some() {
                // Muted players may always play; a refusal only leaves that side blank.
                let _ = s.friend.play();
            }
        }
        // Its track can change within the same stream (a camera turned back on).
        s.own.show(me.stream.as_ref());
        *current = (friend, me);
    }
}

impl Drop for Composer {
    fn drop(&mut self) {
        self.track.stop();
        self.scene.friend.set_src_object(None);
    }
}

impl Scene {
    fn draw(&self) {
        let (friend, me) = &*self.pictures.borrow();
        let (w, h) = (f64::from(WIDTH), f64::from(HEIGHT));
        let wanted = |p: &Picture| p.on && p.stream.is_some();
        let theirs = wanted(friend).then(|| frame(&self.friend)).flatten();
        let mine = wanted(me).then(|| self.own.frame()).flatten();
        let loading = (wanted(friend) && theirs.is_none()) || (wanted(me) && mine.is_none());
        if loading && js_sys::Date::now() - self.started_ms < FIRST_FRAME_GRACE_MS {
            return;
        }
        let ctx = &self.ctx;
        ctx.set_fill_style_str("#111");
        ctx.fill_rect(0.0, 0.0, w, h);
        if let (Some(f), Some(_), true) = (theirs, mine, friend.screen || me.screen) {
            self.fit(&self.friend, f, (0.0, 0.0, w / 2.0, h));
            self.own.draw(ctx, (w / 2.0, 0.0, w / 2.0, h));
            return;
        }
        match theirs {
            Some(f) => self.fit(&self.friend, f, (0.0, 0.0, w, h)),
            None => self.avatar(w, h),
        }
        if let Some((mw, mh)) = mine {
            let small_w = w / 4.0;
            let small_h = small_w * mh / mw;
            let margin = 16.0;
            let (x, y) = (w - small_w - margin, h - small_h - margin);
            self.ctx.set_fill_style_str("#ddd");
            self.ctx
                .fill_rect(x - 2.0, y - 2.0, small_w + 4.0, small_h + 4.0);
            self.own.draw(ctx, (x, y, small_w, small_h));
        }
    }

    /// Draws `v` as large as fits in `(x, y, w, h)`, centred, keeping its shape.
    fn fit(&self, v: &HtmlVideoElement, (vw, vh): (f64, f64), (x, y, w, h): (f64, f64, f64, f64)) {
        let scale = (w / vw).min(h / vh);
        let (dw, dh) = (vw * scale, vh * scale);
        let _ = self.ctx.draw_image_with_html_video_element_and_dw_and_dh(
            v,
            x + (w - dw) / 2.0,
            y + (h - dh) / 2.0,
            dw,
            dh,
        );
    }

    /// The friend's initial in a circle, and their name.
    fn avatar(&self, w: f64, h: f64) {
        let ctx = &self.ctx;
        ctx.set_fill_style_str("#3a4150");
        ctx.begin_path();
        let _ = ctx.arc(w / 2.0, h / 2.0 - 30.0, 90.0, 0.0, std::f64::consts::TAU);
        ctx.fill();
        ctx.set_fill_style_str("#fff");
        ctx.set_text_align("center");
        ctx.set_text_baseline("middle");
        ctx.set_font("bold 96px sans-serif");
        let _ = ctx.fill_text(&self.initial, w / 2.0, h / 2.0 - 30.0);
        ctx.set_font("32px sans-serif");
        let _ = ctx.fill_text(&self.name, w / 2.0, h / 2.0 + 110.0);
    }
}

/// A handle on one side's picture for [`Composer::show`].
pub fn picture(stream: Option<&MediaStream>, on: bool, screen: bool) -> Picture {
    Picture {
        stream: stream.map(media::handle),
        on,
        screen,
    }
}

//! The recording's picture, drawn on a canvas at a steady rate. A direct call shows the
//! friend large and oneself small in a corner, or the two side by side when either picture
//! is a shared screen; a room call shows the grid as the call screen does, names on tiles, a
//! shared screen in the large spot ([`layout`](super::layout)). A picture that is off shows
//! as its owner's initial (or, for oneself in a direct call, not at all). Every picture is
//! drawn through [`Cached`], which keeps it cheap.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{
    CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, MediaStream, MediaStreamTrack,
};

use super::cached::Cached;
use super::ticker::Ticker;
use crate::webrtc::{js, media};

/// The recording's picture size and rate.
pub(super) const WIDTH: u32 = 1280;
pub(super) const HEIGHT: u32 = 720;
const FPS: u32 = 30;

/// How often a picture is refreshed in the composite: one's own, and the others' in a room
/// call, at half the rate (three to five pictures on a small machine); the friend's in a
/// direct call at the full rate.
const SMALL_FPS: f64 = 15.0;

/// How often someone else's shared screen is refreshed in a room call's large spot. A
/// received screen cannot be scaled down before it is converted, and at 1920x1080 that
/// costs about 100 ms on a small machine; a screen changes little between refreshes.
const SCREEN_FPS: f64 = 5.0;
/// One participant's picture.
#[derive(Clone, Default)]
pub struct Picture {
    /// The stream whose video to show.
    pub stream: Option<MediaStream>,
    /// Whether it is on (camera not turned off).
    pub on: bool,
    /// Whether it is a shared screen.
    pub screen: bool,
}

/// A participant in the recording: their name and picture.
#[derive(Clone, Default)]
pub struct Tile {
    /// Shown on the tile (and as the initial when the picture is off).
    pub name: String,
    /// What to show.
    pub picture: Picture,
    /// This side's own picture.
    pub own: bool,
}

/// How the pictures are arranged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// A direct call: the friend large, oneself small in a corner.
    #[default]
    Corner,
    /// A room call: the grid, names on tiles.
    Grid,
}

/// A tile's picture, kept while they are in the recording.
pub(super) struct Player {
    /// Whose: this side's (`true`) or the named one's.
    pub(super) key: (bool, String),
    pub(super) picture: Cached,
}

pub(super) struct Scene {
    pub(super) ctx: CanvasRenderingContext2d,
    pub(super) players: RefCell<Vec<Player>>,
    pub(super) shown: RefCell<(Layout, Vec<Tile>)>,
    /// When drawing started (ms since the epoch).
    pub(super) started_ms: f64,
}

/// Draws the composite while it lives.
pub struct Composer {
    scene: Rc<Scene>,
    track: MediaStreamTrack,
    /// Draws while there is one.
    ticker: Option<Ticker>,
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
    /// Starts drawing (nothing, until [`show`](Self::show)).
    pub fn start() -> Result<Composer, String> {
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
            players: RefCell::default(),
            shown: RefCell::default(),
            started_ms: js_sys::Date::now(),
        });
        let drawn = scene.clone();
        let ticker = Ticker::start(1000 / FPS, move || drawn.draw())?;
        Ok(Composer {
            scene,
            track,
            ticker: Some(ticker),
        })
    }

    /// Draws no more: the picture holds still and gives no new frame.
    pub fn pause(&mut self) {
        self.ticker = None;
    }

    /// The composite picture.
    pub fn track(&self) -> &MediaStreamTrack {
        &self.track
    }

    /// What to draw from now on.
    pub fn show(&self, layout: Layout, tiles: Vec<Tile>) -> Result<(), String> {
        let s = &self.scene;
        let mut old = std::mem::take(&mut *s.players.borrow_mut());
        let mut players = Vec::new();
        for t in &tiles {
            let key = (t.own, t.name.clone());
            let player = match old.iter().position(|p| p.key == key) {
                Some(i) => old.swap_remove(i),
                None => Player {
                    key,
                    picture: Cached::new(video()?, new_canvas(1, 1)?, SMALL_FPS),
                },
            };
            player
                .picture
                .set_fps(match (layout, t.own, t.picture.screen) {
                    (_, true, _) => SMALL_FPS,
                    (Layout::Corner, false, _) => f64::from(FPS),
                    (Layout::Grid, false, true) => SCREEN_FPS,
                    (Layout::Grid, false, false) => SMALL_FPS,
                });
            // Its track can change within the same stream (a camera turned back on).
            player.picture.show(t.picture.stream.as_ref());
            players.push(player);
        }
        // Those gone are dropped with `old`, which releases their copies.
        *s.players.borrow_mut() = players;
        *s.shown.borrow_mut() = (layout, tiles);
        Ok(())
    }
}

impl Drop for Composer {
    fn drop(&mut self) {
        self.track.stop();
        self.scene.players.borrow_mut().clear();
    }
}

/// A handle on a picture for [`Composer::show`].
pub fn picture(stream: Option<&MediaStream>, on: bool, screen: bool) -> Picture {
    Picture {
        stream: stream.map(media::handle),
        on,
        screen,
    }
}

//! Drawing one frame of the composite: each tile's picture fitted in its place, or its
//! owner's initial when the picture is off; in a room call, the name on every tile.

use super::compose::{Layout, Player, Scene, Tile, HEIGHT, WIDTH};
use super::layout::{grid, spotlight, Rect};

/// How long a picture that should be there may take to show its first frame before it is
/// drawn as off. Until then nothing is drawn, so the recording starts with the picture
/// rather than a flash of the avatar.
const FIRST_FRAME_GRACE_MS: f64 = 1000.0;

/// A tile, its picture when it should show, and the size of its frames once it has any.
type Shown<'a> = (&'a Tile, Option<&'a Player>, Option<(f64, f64)>);

impl Scene {
    pub(super) fn draw(&self) {
        let (layout, tiles) = &*self.shown.borrow();
        let players = self.players.borrow();
        let player = |t: &Tile| {
            players
                .iter()
                .find(|p| p.key.0 == t.own && p.key.1 == t.name)
        };
        let wanted = |t: &Tile| t.picture.on && t.picture.stream.is_some();
        let shown: Vec<Shown> = tiles
            .iter()
            .map(|t| {
                let p = player(t).filter(|_| wanted(t));
                (t, p, p.and_then(|p| p.picture.frame()))
            })
            .collect();
        let loading = shown.iter().any(|(t, _, f)| wanted(t) && f.is_none());
        if loading && js_sys::Date::now() - self.started_ms < FIRST_FRAME_GRACE_MS {
            return;
        }
        let (w, h) = (f64::from(WIDTH), f64::from(HEIGHT));
        self.ctx.set_fill_style_str("#111");
        self.ctx.fill_rect(0.0, 0.0, w, h);
        match layout {
            Layout::Corner => self.corner(&shown, w, h),
            Layout::Grid => self.grid(&shown, w, h),
        }
    }

    /// The friend large, oneself small in a corner; side by side when either shares a screen.
    fn corner(&self, shown: &[Shown], w: f64, h: f64) {
        let friend = shown.iter().find(|(t, ..)| !t.own);
        let me = shown.iter().find(|(t, ..)| t.own);
        let mine = me.and_then(|(.., f)| *f);
        let screen = shown.iter().any(|(t, ..)| t.picture.screen);
        if let (Some(f @ (.., Some(_))), Some(m), true) = (friend, me, screen && mine.is_some()) {
            self.paint(f, (0.0, 0.0, w / 2.0, h));
            self.paint(m, (w / 2.0, 0.0, w / 2.0, h));
            return;
        }
        match friend {
            Some(f @ (.., Some(_))) => self.paint(f, (0.0, 0.0, w, h)),
            Some((t, ..)) => self.avatar(&t.name, (0.0, 0.0, w, h)),
            None => {}
        }
        if let (Some(m), Some((mw, mh))) = (me, mine) {
            let small_w = w / 4.0;
            let small_h = small_w * mh / mw;
            let margin = 16.0;
            let (x, y) = (w - small_w - margin, h - small_h - margin);
            self.ctx.set_fill_style_str("#ddd");
            self.ctx
                .fill_rect(x - 2.0, y - 2.0, small_w + 4.0, small_h + 4.0);
            self.paint(m, (x, y, small_w, small_h));
        }
    }

    /// The grid, or a shared screen in the large spot and the others in a strip.
    fn grid(&self, shown: &[Shown], w: f64, h: f64) {
        let spot = shown
            .iter()
            .position(|(t, _, f)| t.picture.screen && f.is_some());
        let places: Vec<(usize, Rect)> = match spot {
            Some(i) => {
                let (big, strip) = spotlight(shown.len() - 1, w, h);
                let others = (0..shown.len()).filter(|&j| j != i);
                std::iter::once((i, big)).chain(others.zip(strip)).collect()
            }
            None => grid(shown.len(), w, h).into_iter().enumerate().collect(),
        };
        for (i, r) in places {
            self.cell(&shown[i], r);
        }
    }

    /// One tile of the grid: its picture (or initial) and its name.
    fn cell(&self, s: &Shown, (x, y, w, h): Rect) {
        let inner = (x + 2.0, y + 2.0, w - 4.0, h - 4.0);
        self.ctx.set_fill_style_str("#1b1f27");
        self.ctx.fill_rect(inner.0, inner.1, inner.2, inner.3);
        match s.2 {
            Some(_) => self.paint(s, inner),
            None => self.avatar(&s.0.name, inner),
        }
        self.label(&s.0.name, inner);
    }

    /// Draws a tile's picture as large as fits in `r`, centred, keeping its shape.
    fn paint(&self, (_, player, _): &Shown, r: Rect) {
        if let Some(p) = player {
            p.picture.draw(&self.ctx, r);
        }
    }

    /// The initial in a circle and the name under it, sized to `r` (full size at 720 high).
    fn avatar(&self, name: &str, (x, y, w, h): Rect) {
        let ctx = &self.ctx;
        let k = h / f64::from(HEIGHT);
        let (cx, cy) = (x + w / 2.0, y + h / 2.0 - 30.0 * k);
        ctx.set_fill_style_str("#3a4150");
        ctx.begin_path();
        let _ = ctx.arc(cx, cy, 90.0 * k, 0.0, std::f64::consts::TAU);
        ctx.fill();
        ctx.set_fill_style_str("#fff");
        ctx.set_text_align("center");
        ctx.set_text_baseline("middle");
        ctx.set_font(&font("bold ", 96.0 * k));
        let initial = crate::text::initial(name);
        let _ = ctx.fill_text(&initial, cx, cy);
        ctx.set_font(&font("", 32.0 * k));
        let _ = ctx.fill_text(name, cx, y + h / 2.0 + 110.0 * k);
    }

    /// A name in the tile's lower left corner, on a dark band so any picture leaves it legible.
    fn label(&self, name: &str, (x, y, _, h): Rect) {
        let ctx = &self.ctx;
        let size = (h * 0.07).clamp(14.0, 28.0);
        ctx.set_font(&font("", size));
        let width = ctx.measure_text(name).map_or(size * 4.0, |m| m.width());
        let (bx, by) = (x + 8.0, y + h - size * 1.6 - 8.0);
        ctx.set_fill_style_str("rgba(0, 0, 0, 0.6)");
        ctx.fill_rect(bx, by, width + size, size * 1.6);
        ctx.set_fill_style_str("#fff");
        ctx.set_text_align("left");
        ctx.set_text_baseline("middle");
        let _ = ctx.fill_text(name, bx + size / 2.0, by + size * 0.8);
    }
}

/// A canvas font of `size` pixels (whole ones: formatting an `f64` would pull float printing
/// into the bundle).
fn font(weight: &str, size: f64) -> String {
    // Sizes are small and positive: the cast loses nothing.
    format!("{weight}{}px sans-serif", size.round() as u32)
}

//! Where each picture goes in a room call's recording, as on the call screen: equal cells in
//! a grid (as square as the count allows), or a shared screen in the large spot with the
//! others in a strip below it. Pure arithmetic, tested on the host.

/// A rectangle of the composite: `(x, y, width, height)`.
pub type Rect = (f64, f64, f64, f64);

/// The share of the height the strip under a shared screen takes.
const STRIP_SHARE: f64 = 0.25;

/// `n` equal cells filling `w` x `h`, row by row; a short last row is centred.
pub fn grid(n: usize, w: f64, h: f64) -> Vec<Rect> {
    if n == 0 {
        return Vec::new();
    }
    let cols = (1..=n).find(|c| c * c >= n).unwrap_or(n);
    let rows = n.div_ceil(cols);
    // Two side by side in a wide frame read better than one above the other.
    let (cols, rows) = if n == 2 { (2, 1) } else { (cols, rows) };
    let (cw, ch) = (w / cols as f64, h / rows as f64);
    (0..n)
        .map(|i| {
            let (row, col) = (i / cols, i % cols);
            let in_row = if row == rows - 1 {
                n - row * cols
            } else {
                cols
            };
            let indent = (cols - in_row) as f64 * cw / 2.0;
            (indent + col as f64 * cw, row as f64 * ch, cw, ch)
        })
        .collect()
}

/// The large spot for a shared screen and `others` cells in a strip below it.
pub fn spotlight(others: usize, w: f64, h: f64) -> (Rect, Vec<Rect>) {
    if others == 0 {
        return ((0.0, 0.0, w, h), Vec::new());
    }
    let strip_h = h * STRIP_SHARE;
    let spot = (0.0, 0.0, w, h - strip_h);
    // Cells keep a 4:3 shape at most as wide as the strip allows, centred.
    let cw = (strip_h * 4.0 / 3.0).min(w / others as f64);
    let left = (w - cw * others as f64) / 2.0;
    let strip = (0..others)
        .map(|i| (left + i as f64 * cw, h - strip_h, cw, strip_h))
        .collect();
    (spot, strip)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(r: Rect, w: f64, h: f64) -> bool {
        r.0 >= 0.0 && r.1 >= 0.0 && r.0 + r.2 <= w + 1e-9 && r.1 + r.3 <= h + 1e-9
    }

    fn overlap(a: Rect, b: Rect) -> bool {
        a.0 < b.0 + b.2 - 1e-9
            && b.0 < a.0 + a.2 - 1e-9
            && a.1 < b.1 + b.3 - 1e-9
            && b.1 < a.1 + a.3 - 1e-9
    }

    #[test]
    fn cells_fill_the_frame_without_overlap() {
        for n in 1..=9 {
            let cells = grid(n, 1280.0, 720.0);
            assert_eq!(cells.len(), n);
            for (i, a) in cells.iter().enumerate() {
                assert!(inside(*a, 1280.0, 720.0), "{n}: {a:?}");
                for b in &cells[i + 1..] {
                    assert!(!overlap(*a, *b), "{n}: {a:?} and {b:?}");
                }
            }
        }
    }

    #[test]
    fn two_sit_side_by_side_and_three_centre_the_last() {
        assert_eq!(
            grid(2, 1280.0, 720.0),
            vec![(0.0, 0.0, 640.0, 720.0), (640.0, 0.0, 640.0, 720.0)]
        );
        let three = grid(3, 1280.0, 720.0);
        assert_eq!(three[0], (0.0, 0.0, 640.0, 360.0));
        assert_eq!(three[2], (320.0, 360.0, 640.0, 360.0));
        assert_eq!(grid(4, 1280.0, 720.0)[3], (640.0, 360.0, 640.0, 360.0));
    }

    #[test]
    fn a_shared_screen_takes_the_spot_above_the_strip() {
        let (spot, strip) = spotlight(3, 1280.0, 720.0);
        assert_eq!(spot, (0.0, 0.0, 1280.0, 540.0));
        assert_eq!(strip.len(), 3);
        for cell in &strip {
            assert!(inside(*cell, 1280.0, 720.0));
            assert!(!overlap(*cell, spot));
            assert_eq!(cell.3, 180.0);
        }
        assert_eq!(spotlight(0, 1280.0, 720.0).0, (0.0, 0.0, 1280.0, 720.0));
    }
}

//! Distorted pictures of a symbol: rotation, perspective tilt, a wrap round a
//! pole, small modules, blur, noise, uneven light and inversion, for reader
//! tests, benches and the fuzz targets.

use crate::{Gray, Grid};

/// How to distort a drawn symbol. Each field's doc states its default.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Distortion {
    /// Pixels per module at the symbol's centre. Default 4.
    pub module_px: f64,
    /// Rotation in degrees, any angle. Default 0.
    pub rotate_deg: f64,
    /// Perspective tilt: the far edge shrinks by this fraction. Default 0 (none).
    pub tilt: f64,
    /// Box-blur radius in pixels ([`Gray::box_blur`]). Default 0 (sharp).
    pub blur: usize,
    /// Peak noise amplitude in grey levels. Default 0.
    pub noise: u8,
    /// Brightness falls by this many grey levels from left to right. Default 0.
    pub gradient: u8,
    /// Light-on-dark. Default false.
    pub invert: bool,
    /// Half the angle, in radians, of a pole the symbol and its quiet zone
    /// are wrapped round, the pole's axis along the symbol's columns (under
    /// pi / 2; the edge columns shrink to cos of it). Default 0 (flat).
    pub wrap: f64,
}

impl Default for Distortion {
    fn default() -> Self {
        Distortion {
            module_px: 4.0,
            rotate_deg: 0.0,
            tilt: 0.0,
            blur: 0,
            noise: 0,
            gradient: 0,
            invert: false,
            wrap: 0.0,
        }
    }
}

/// Grey level of dark modules before noise and light loss.
const INK: u8 = 30;
/// Grey level of light modules and the background.
const PAPER: u8 = 225;

impl Distortion {
    /// `grid` with a quiet zone of 4 modules drawn into a square grey image
    /// (1.5 times the symbol's span, plus 8 px) centred on the symbol, with
    /// these distortions; `seed` picks the noise.
    ///
    /// Each pixel undoes the rotation, then the tilt (a projective squeeze
    /// along the rotated y axis), then the wrap (a point seen `s` modules
    /// from the pole's axis lies `r * asin(s / r)` along the label, `r` the
    /// pole's radius), and takes the module it lands in; then the blur, then
    /// per pixel the light loss and the noise.
    pub fn render(&self, grid: &Grid, seed: u64) -> Gray {
        let (n, nh) = (grid.width() as f64, grid.height() as f64);
        let span = (n + 8.0) * self.module_px;
        let side = self.side(grid.width());
        let centre = side as f64 / 2.0;
        let (sin, cos) = self.rotate_deg.to_radians().sin_cos();
        let mut data = vec![0u8; side * side];
        for py in 0..side {
            for px in 0..side {
                let (x, y) = (px as f64 + 0.5 - centre, py as f64 + 0.5 - centre);
                let (rx, ry) = (x * cos + y * sin, -x * sin + y * cos);
                let w = 1.0 + self.tilt * ry / span;
                let mx = self.unwrapped(rx * w / self.module_px, n) + n / 2.0;
                let my = ry * w / self.module_px + nh / 2.0;
                let dark =
                    (mx >= 0.0 && my >= 0.0 && grid.get(mx as usize, my as usize)) != self.invert;
                data[py * side + px] = if dark { INK } else { PAPER };
            }
        }
        let mut img = Gray {
            width: side,
            height: side,
            data,
        }
        .box_blur(self.blur);
        let mut noise = NoiseStream(seed | 1);
        for (i, v) in img.data.iter_mut().enumerate() {
            let light_loss = (self.gradient as usize * (i % side) / side) as i32;
            let draw = noise.next_u64();
            let noise = if self.noise > 0 {
                (draw % (2 * self.noise as u64 + 1)) as i32 - self.noise as i32
            } else {
                0
            };
            *v = (*v as i32 - light_loss + noise).clamp(0, 255) as u8;
        }
        img
    }

    /// The side of [`render`](Self::render)'s square image for a symbol
    /// `modules` wide.
    pub fn side(&self, modules: usize) -> usize {
        ((modules as f64 + 8.0) * self.module_px * 1.5).ceil() as usize + 8
    }

    /// Where a point seen `s` modules from the pole's axis lies along the
    /// label (see [`Distortion::wrap`]); NaN beyond the pole's silhouette,
    /// which then shows the background.
    fn unwrapped(&self, s: f64, n: f64) -> f64 {
        if self.wrap <= 0.0 {
            return s;
        }
        // The label (symbol and quiet zone) spans the wrap's whole angle.
        let radius = (n / 2.0 + 4.0) / self.wrap;
        let t = s / radius;
        if t.abs() >= 1.0 {
            f64::NAN
        } else {
            radius * t.asin()
        }
    }
}

/// Marsaglia's xorshift64 (13, 7, 17). The noise keeps this stream rather
/// than [`crate::Rng`] so every distorted image stays pixel-identical to the
/// ones the reader's ratchets (`core/tests/reader.rs`, `small_roundtrip.rs`)
/// were set on.
struct NoiseStream(u64);

impl NoiseStream {
    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 7 x 7 grid with one dark module in the top-left corner.
    fn corner() -> Grid {
        Grid::from_fn(7, 7, |x, y| x == 0 && y == 0)
    }

    /// Centre of the dark pixels of `img`.
    fn dark_centre(img: &Gray) -> (f64, f64) {
        let (mut sx, mut sy, mut n) = (0.0, 0.0, 0.0);
        for y in 0..img.height {
            for x in 0..img.width {
                if img.get(x, y) < 128 {
                    (sx, sy, n) = (sx + x as f64, sy + y as f64, n + 1.0);
                }
            }
        }
        assert!(n > 0.0, "no dark pixel");
        (sx / n, sy / n)
    }

    #[test]
    fn upright_sharp_render_is_two_levels_centred_at_module_scale() {
        let d = Distortion::default();
        let img = d.render(&corner(), 1);
        // Span (7 + 8) * 4 = 60 px; side 1.5 * 60 + 8 = 98.
        assert_eq!((img.width, img.height), (98, 98));
        assert!(img.data.iter().all(|&v| v == INK || v == PAPER));
        let dark = img.data.iter().filter(|&&v| v == INK).count();
        assert_eq!(dark, 16, "one module of 4 x 4 px");
        // The grid's centre (3.5, 3.5) sits at the image's centre (49, 49), so
        // module (0, 0) covers pixels 35..39.
        assert_eq!(dark_centre(&img), (36.5, 36.5));
    }

    #[test]
    fn rotation_turns_the_symbol_about_the_image_centre() {
        let turned = Distortion {
            rotate_deg: 90.0,
            ..Default::default()
        }
        .render(&corner(), 1);
        // Undoing +90 degrees maps pixel (x, y) to (y, -x) about the centre:
        // the corner module moves from the top-left to the top-right.
        let (cx, cy) = dark_centre(&turned);
        assert!(
            (cx - 60.5).abs() < 1.0 && (cy - 36.5).abs() < 1.0,
            "({cx}, {cy})"
        );
    }

    #[test]
    fn tilt_squeezes_one_side_more_than_the_other() {
        let bar = Grid::from_fn(7, 7, |_, y| y == 0 || y == 6);
        let img = Distortion {
            tilt: 0.3,
            ..Default::default()
        }
        .render(&bar, 1);
        let row_width = |y: usize| (0..img.width).filter(|&x| img.get(x, y) < 128).count();
        let (top, bottom) = (row_width(37), row_width(61));
        assert!(top > bottom, "top bar {top} px, bottom bar {bottom} px");
    }

    #[test]
    fn inversion_noise_and_light_loss_act_as_documented() {
        let g = corner();
        let plain = Distortion::default().render(&g, 1);
        let inverted = Distortion {
            invert: true,
            ..Default::default()
        }
        .render(&g, 1);
        for (a, b) in plain.data.iter().zip(&inverted.data) {
            assert_eq!(*a == INK, *b == PAPER);
        }
        let noisy = Distortion {
            noise: 20,
            ..Default::default()
        };
        let (n1, n2) = (noisy.render(&g, 5), noisy.render(&g, 5));
        assert_eq!(n1, n2, "same seed, same image");
        assert_ne!(n1, noisy.render(&g, 6));
        assert!(plain
            .data
            .iter()
            .zip(&n1.data)
            .all(|(&p, &q)| (i32::from(p) - i32::from(q)).abs() <= 20));
        let lit = Distortion {
            gradient: 60,
            ..Default::default()
        }
        .render(&g, 1);
        // The left column keeps its level; the right one loses almost 60.
        assert_eq!(lit.get(0, 0), PAPER);
        assert_eq!(lit.get(lit.width - 1, 0), PAPER - 59);
    }

    #[test]
    fn blur_softens_edges() {
        let img = Distortion {
            blur: 1,
            ..Default::default()
        }
        .render(&corner(), 1);
        assert!(img.data.iter().any(|&v| v > INK && v < PAPER));
        assert_eq!(img, Distortion::default().render(&corner(), 1).box_blur(1));
    }

    #[test]
    fn a_wrap_shrinks_the_edge_columns_and_keeps_the_centre() {
        // A 21 x 21 grid dark in every module: flat, its dark span across a
        // row is 21 modules; wrapped, the outer columns turn away.
        let full = Grid::from_fn(21, 21, |_, _| true);
        let across = |img: &Gray| {
            (0..img.width)
                .filter(|&x| img.get(x, img.height / 2) == INK)
                .count()
        };
        let flat = Distortion::default().render(&full, 1);
        let wrapped = Distortion {
            wrap: 1.2,
            ..Default::default()
        }
        .render(&full, 1);
        assert_eq!(across(&flat), 21 * 4);
        // The symbol spans 10.5 of the label's 14.5 modules each side of the
        // axis, 0.87 of the wrap's angle: seen at 14.5 / 1.2 * sin(0.87 * 1.2).
        let seen = 14.5 / 1.2 * (10.5 / 14.5 * 1.2f64).sin() * 2.0 * 4.0;
        assert!(
            (across(&wrapped) as f64 - seen).abs() <= 2.0,
            "{} vs {seen}",
            across(&wrapped)
        );
        let (cx, cy) = (wrapped.width / 2, wrapped.height / 2);
        assert_eq!(wrapped.get(cx, cy), INK);
    }
}

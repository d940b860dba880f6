//! The damage map drawn over the image: the module grid, the modules that
//! read wrong (red), the modules of corrected codewords (orange) and each
//! Reed-Solomon block's error-correction budget used, as SVG (the image
//! embedded, the budget as text) or PNG (the budget as bars under the symbol).

use super::{letter, Graded, SymbolGrade};
use crate::error::RenderError;
use crate::read::{Gray, ImageRef};

const GRID: [u8; 3] = [30, 110, 220];
const WRONG: [u8; 3] = [230, 20, 20];
const CORRECTED: [u8; 3] = [255, 150, 0];
const BUDGET_FREE: [u8; 3] = [40, 170, 60];

/// A module's fill: red when it read wrong, orange when only its codeword
/// was corrected.
fn fill(g: &SymbolGrade, x: usize, y: usize) -> Option<([u8; 3], f64)> {
    let m = g.damage_map().module(x, y)?;
    if m.wrong() {
        Some((WRONG, 0.65))
    } else if m.corrected {
        Some((CORRECTED, 0.35))
    } else {
        None
    }
}

/// The corners of module-space rectangle `(u0, v0)`-`(u1, v1)` through `to_px`.
fn rect(
    to_px: &dyn Fn(f64, f64) -> (f64, f64),
    (u0, v0): (f64, f64),
    (u1, v1): (f64, f64),
) -> [(f64, f64); 4] {
    [(u0, v0), (u1, v0), (u1, v1), (u0, v1)].map(|(u, v)| to_px(u, v))
}

/// The module-space to image map of a symbol's damage map.
fn image_px(g: &SymbolGrade) -> impl Fn(f64, f64) -> (f64, f64) + '_ {
    |u, v| {
        let p = g.damage_map().point(u, v);
        (f64::from(p.x), f64::from(p.y))
    }
}

/// One line per block: corrected codewords and the share of its budget used.
fn budget_lines(g: &SymbolGrade) -> Vec<String> {
    let mut lines = vec![format!(
        "grade {} ({}){}",
        letter(g.overall()),
        g.overall(),
        if g.calibrated() { "" } else { ", uncalibrated" }
    )];
    for (i, b) in g.blocks().iter().enumerate() {
        lines.push(format!(
            "block {}: {} codeword(s) corrected, {:.0} % of error correction used",
            i + 1,
            b.corrected.len(),
            (1.0 - b.unused) * 100.0
        ));
    }
    lines
}

/// The image with every graded symbol's damage map, as SVG.
pub fn annotate_svg(image: ImageRef<'_>, graded: &[Graded]) -> Result<String, RenderError> {
    let gray = Gray::from_image(&image);
    let background = encode_png(&gray_rgb(&gray), gray.width, gray.height)?;
    let (w, h) = (gray.width, gray.height);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\">\n<image width=\"{w}\" height=\"{h}\" \
         href=\"data:image/png;base64,{}\"/>\n",
        base64(&background)
    );
    for g in graded.iter().filter_map(|g| g.report().ok()) {
        let map = g.damage_map();
        let (n, m) = (map.width(), map.height());
        let to_px = image_px(g);
        let rgb = |c: [u8; 3]| format!("rgb({},{},{})", c[0], c[1], c[2]);
        for y in 0..m {
            for x in 0..n {
                if let Some((c, a)) = fill(g, x, y) {
                    let (u, v) = (x as f64, y as f64);
                    let pts: Vec<String> = rect(&to_px, (u, v), (u + 1.0, v + 1.0))
                        .iter()
                        .map(|p| format!("{:.2},{:.2}", p.0, p.1))
                        .collect();
                    s += &format!(
                        "<polygon points=\"{}\" fill=\"{}\" fill-opacity=\"{a}\"/>\n",
                        pts.join(" "),
                        rgb(c)
                    );
                }
            }
        }
        let mut path = String::new();
        for (a, b) in grid_lines(n, m) {
            let (p, q) = (to_px(a.0, a.1), to_px(b.0, b.1));
            path += &format!("M{:.2} {:.2}L{:.2} {:.2}", p.0, p.1, q.0, q.1);
        }
        let module = (g.aperture_px() / 0.8).max(4.0);
        s += &format!(
            "<path d=\"{path}\" stroke=\"{}\" stroke-opacity=\"0.6\" stroke-width=\"{:.2}\" fill=\"none\"/>\n",
            rgb(GRID),
            (module / 12.0).max(0.5)
        );
        let at = map.point(0.0, m as f64 + 1.5);
        for (i, line) in budget_lines(g).iter().enumerate() {
            s += &format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"{:.1}\" \
                 fill=\"{}\" stroke=\"white\" stroke-width=\"0.3\">{}</text>\n",
                at.x,
                f64::from(at.y) + i as f64 * module * 1.2,
                module,
                rgb(WRONG),
                line
            );
        }
    }
    s += "</svg>\n";
    Ok(s)
}

/// The image with every graded symbol's damage map, as an RGB PNG. Each
/// block's budget is a bar under the symbol: red for the share used.
pub fn annotate_png(image: ImageRef<'_>, graded: &[Graded]) -> Result<Vec<u8>, RenderError> {
    let gray = Gray::from_image(&image);
    let (w, h) = (gray.width, gray.height);
    let mut rgb = gray_rgb(&gray);
    let mut canvas = Canvas::new(&mut rgb, w, h);
    for g in graded.iter().filter_map(|g| g.report().ok()) {
        draw_damage(&mut canvas, g, &image_px(g));
    }
    encode_png(&rgb, w, h)
}

/// The module grid's lines, in module space: every column edge, then every
/// row edge, of a `w` x `h` symbol.
fn grid_lines(w: usize, h: usize) -> impl Iterator<Item = ((f64, f64), (f64, f64))> {
    let (wf, hf) = (w as f64, h as f64);
    let columns = (0..=w).map(move |k| ((k as f64, 0.0), (k as f64, hf)));
    columns.chain((0..=h).map(move |k| ((0.0, k as f64), (wf, k as f64))))
}

/// Draws one symbol's damage map through `to_px` (module space to canvas
/// pixels): its wrong modules red, its corrected codewords orange, the
/// module grid, and under the symbol (half a module below, one module high)
/// a bar per Reed-Solomon block, green, red for the share of its error
/// correction used, as many bars as blocks side by side in block order.
pub(crate) fn draw_damage(
    canvas: &mut Canvas<'_>,
    g: &SymbolGrade,
    to_px: &dyn Fn(f64, f64) -> (f64, f64),
) {
    let map = g.damage_map();
    let (n, m) = (map.width(), map.height());
    for y in 0..m {
        for x in 0..n {
            if let Some((c, a)) = fill(g, x, y) {
                let (u, v) = (x as f64, y as f64);
                canvas.fill_quad(rect(to_px, (u, v), (u + 1.0, v + 1.0)), c, a);
            }
        }
    }
    for (a, b) in grid_lines(n, m) {
        let (p, q) = (to_px(a.0, a.1), to_px(b.0, b.1));
        canvas.line(p.0, p.1, q.0, q.1, GRID);
    }
    let blocks = g.blocks();
    let span = n as f64 / blocks.len().max(1) as f64;
    let gap = (span * 0.1).min(0.3);
    let (top, bottom) = (m as f64 + 0.5, m as f64 + 1.5);
    for (i, b) in blocks.iter().enumerate() {
        let (u0, u1) = (
            i as f64 * span + gap / 2.0,
            (i + 1) as f64 * span - gap / 2.0,
        );
        let used = u0 + (u1 - u0) * (1.0 - b.unused).clamp(0.0, 1.0);
        canvas.fill_quad(rect(to_px, (u0, top), (u1, bottom)), BUDGET_FREE, 0.9);
        if used > u0 {
            canvas.fill_quad(rect(to_px, (u0, top), (used, bottom)), WRONG, 0.9);
        }
    }
}

/// The grey image as RGB bytes.
fn gray_rgb(gray: &Gray) -> Vec<u8> {
    gray.data.iter().flat_map(|&v| [v, v, v]).collect()
}

/// RGB pixels to draw on.
pub(crate) struct Canvas<'a> {
    rgb: &'a mut [u8],
    width: usize,
    height: usize,
}

impl<'a> Canvas<'a> {
    /// `rgb` holds `width` x `height` RGB pixels, row-major.
    pub(crate) fn new(rgb: &'a mut [u8], width: usize, height: usize) -> Canvas<'a> {
        Canvas { rgb, width, height }
    }

    fn blend(&mut self, x: i64, y: i64, c: [u8; 3], alpha: f64) {
        if x < 0 || y < 0 || x as usize >= self.width || y as usize >= self.height {
            return;
        }
        let i = (y as usize * self.width + x as usize) * 3;
        if let Some(px) = self.rgb.get_mut(i..i + 3) {
            for (p, c) in px.iter_mut().zip(c) {
                *p = (f64::from(*p) * (1.0 - alpha) + f64::from(c) * alpha).round() as u8;
            }
        }
    }

    /// Fills a convex quadrilateral: pixels whose centres are inside.
    fn fill_quad(&mut self, q: [(f64, f64); 4], c: [u8; 3], alpha: f64) {
        let xs = q.map(|p| p.0);
        let ys = q.map(|p| p.1);
        let lo = |v: [f64; 4]| v.iter().copied().fold(f64::MAX, f64::min).floor().max(0.0);
        let hi = |v: [f64; 4], max: usize| {
            v.iter()
                .copied()
                .fold(f64::MIN, f64::max)
                .ceil()
                .clamp(0.0, max as f64)
        };
        let (x0, x1, y0, y1) = (lo(xs), hi(xs, self.width), lo(ys), hi(ys, self.height));
        let side = |a: (f64, f64), b: (f64, f64), p: (f64, f64)| {
            (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0)
        };
        for y in y0 as i64..y1 as i64 {
            for x in x0 as i64..x1 as i64 {
                let p = (x as f64 + 0.5, y as f64 + 0.5);
                let s: Vec<f64> = (0..4).map(|i| side(q[i], q[(i + 1) % 4], p)).collect();
                if s.iter().all(|&v| v >= 0.0) || s.iter().all(|&v| v <= 0.0) {
                    self.blend(x, y, c, alpha);
                }
            }
        }
    }

    /// A one-pixel line, half transparent.
    fn line(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, c: [u8; 3]) {
        let steps = (x1 - x0).abs().max((y1 - y0).abs()).ceil().min(1e5) as usize;
        for i in 0..=steps {
            let t = i as f64 / steps.max(1) as f64;
            let (x, y) = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
            self.blend(x.floor() as i64, y.floor() as i64, c, 0.5);
        }
    }
}

fn encode_png(rgb: &[u8], w: usize, h: usize) -> Result<Vec<u8>, RenderError> {
    let mut out = Vec::new();
    let backend = |e: png::EncodingError| RenderError::Backend(e.to_string());
    let (w32, h32) = (
        u32::try_from(w).map_err(|_| too_large(w, h))?,
        u32::try_from(h).map_err(|_| too_large(w, h))?,
    );
    let mut enc = png::Encoder::new(&mut out, w32, h32);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().map_err(backend)?;
    writer.write_image_data(rgb).map_err(backend)?;
    writer.finish().map_err(backend)?;
    Ok(out)
}

fn too_large(w: usize, h: usize) -> RenderError {
    RenderError::TooLarge {
        pixels: (w as u64).saturating_mul(h as u64),
        limit: u64::from(u32::MAX),
    }
}

/// Standard base64 with padding (RFC 4648 section 4), for the data URI.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(char::from(ABC[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (raw, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(raw.as_bytes()), enc);
        }
    }
}

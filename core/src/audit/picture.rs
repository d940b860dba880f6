//! The report's pictures as data URIs: a small JPEG of the whole photo, and
//! each symbol cropped with its damage map drawn over it (JPEG too): the
//! module grid, the wrong modules, the corrected codewords and a bar per
//! Reed-Solomon block for the error correction it used.

use crate::grade::{base64, draw_damage, Canvas, Graded};
use crate::read::Gray;

/// The longer side of a symbol picture, in pixels.
const SYMBOL_PX: usize = 240;
/// JPEG quality of thumbnails: small files, faces of signs still legible.
const JPEG_QUALITY: u8 = 70;
/// JPEG quality of symbol pictures: module edges and the red/orange marks
/// stay clear at a tenth of a PNG's size (a photo's noise defeats PNG).
const SYMBOL_QUALITY: u8 = 85;

/// Pixels (`L8` grey or `Rgb8`) as a JPEG data URI.
fn jpeg_uri(
    px: &[u8],
    w: usize,
    h: usize,
    colour: image::ExtendedColorType,
    q: u8,
) -> Option<String> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, q)
        .encode(px, u32::try_from(w).ok()?, u32::try_from(h).ok()?, colour)
        .ok()?;
    Some(format!("data:image/jpeg;base64,{}", base64(&out)))
}

/// A region of the photo scaled to `out_w` x `out_h`: each output pixel is
/// the mean of the source pixels under it (at least the nearest one).
fn resample(
    g: &Gray,
    (x0, y0, w, h): (usize, usize, usize, usize),
    out: (usize, usize),
) -> Vec<u8> {
    let (ow, oh) = out;
    let mut px = Vec::with_capacity(ow * oh);
    let span = |o: usize, n: usize, size: usize| {
        let a = o * size / n;
        let b = ((o + 1) * size / n).max(a + 1).min(size);
        (a, b)
    };
    for oy in 0..oh {
        let (ya, yb) = span(oy, oh, h);
        for ox in 0..ow {
            let (xa, xb) = span(ox, ow, w);
            let mut sum = 0u64;
            for y in y0 + ya..y0 + yb {
                let row = &g.data[y * g.width..];
                sum += row[x0 + xa..x0 + xb]
                    .iter()
                    .map(|&v| u64::from(v))
                    .sum::<u64>();
            }
            let count = ((yb - ya) * (xb - xa)).max(1) as u64;
            px.push((sum / count) as u8);
        }
    }
    px
}

/// `(w, h)` scaled so the longer side is `max` (never up).
fn fit(w: usize, h: usize, max: usize) -> (usize, usize) {
    let long = w.max(h).max(1);
    if long <= max {
        return (w.max(1), h.max(1));
    }
    ((w * max / long).max(1), (h * max / long).max(1))
}

/// The photo as a grey JPEG data URI, its longer side `max` pixels.
pub(super) fn thumbnail(g: &Gray, max: usize) -> Option<String> {
    let (ow, oh) = fit(g.width, g.height, max);
    let px = resample(g, (0, 0, g.width, g.height), (ow, oh));
    jpeg_uri(&px, ow, oh, image::ExtendedColorType::L8, JPEG_QUALITY)
}

/// The symbol cropped with a module of margin (and room below for the
/// block bars), at most [`SYMBOL_PX`] wide (small symbols are enlarged up
/// to 4 times), with its damage map drawn (`grade::draw_damage`), as a
/// JPEG data URI.
pub(super) fn symbol(g: &Gray, graded: &Graded) -> Option<String> {
    let report = graded.report().ok();
    let outline: Vec<(f64, f64)> = match report {
        Some(r) => {
            let m = r.damage_map();
            let (w, h) = (m.width() as f64, m.height() as f64);
            [
                (-1.0, -1.0),
                (w + 1.0, -1.0),
                (w + 1.0, h + 2.0),
                (-1.0, h + 2.0),
            ]
            .iter()
            .map(|&(u, v)| {
                let p = m.point(u, v);
                (f64::from(p.x), f64::from(p.y))
            })
            .collect()
        }
        None => graded
            .decoded()
            .corners()
            .iter()
            .map(|p| (f64::from(p.x), f64::from(p.y)))
            .collect(),
    };
    let clamp = |v: f64, max: usize| v.clamp(0.0, max as f64) as usize;
    let x0 = clamp(
        outline.iter().map(|p| p.0).fold(f64::MAX, f64::min),
        g.width,
    );
    let y0 = clamp(
        outline.iter().map(|p| p.1).fold(f64::MAX, f64::min),
        g.height,
    );
    let x1 = clamp(
        outline.iter().map(|p| p.0).fold(f64::MIN, f64::max).ceil(),
        g.width,
    );
    let y1 = clamp(
        outline.iter().map(|p| p.1).fold(f64::MIN, f64::max).ceil(),
        g.height,
    );
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let (w, h) = (x1 - x0, y1 - y0);
    let zoom = (SYMBOL_PX as f64 / w.max(h) as f64).min(4.0);
    let (ow, oh) = (
        ((w as f64 * zoom) as usize).max(1),
        ((h as f64 * zoom) as usize).max(1),
    );
    let grey = resample(g, (x0, y0, w, h), (ow, oh));
    let mut rgb: Vec<u8> = grey.iter().flat_map(|&v| [v, v, v]).collect();
    if let Some(r) = report {
        let map = r.damage_map();
        let to_out = |u: f64, v: f64| {
            let p = map.point(u, v);
            (
                (f64::from(p.x) - x0 as f64) * zoom,
                (f64::from(p.y) - y0 as f64) * zoom,
            )
        };
        draw_damage(&mut Canvas::new(&mut rgb, ow, oh), r, &to_out);
    }
    jpeg_uri(&rgb, ow, oh, image::ExtendedColorType::Rgb8, SYMBOL_QUALITY)
}

//! The front half of the Micro QR (ISO/IEC 18004 6.3.3, one finder
//! pattern) and rMQR (ISO/IEC 23941 6.3, finder and sub-finder patterns)
//! readers: from a finder pattern no QR Code used to a sampled grid.
//!
//! The finder's outline is measured by rays cast from its centre; its four
//! sides, fitted as lines, give its corners and so a module-to-image
//! transform up to rotation. Each of the four rotations is tried: the
//! format information next to the finder names the version, which fixes
//! the grid's size (for rMQR the sub-finder is then searched for near where
//! it should be, and the transform refitted through it). A Micro QR grid
//! that does not read is refitted to its function patterns, whose modules
//! are known: the finder gives the module pitch over 7 modules, the timing
//! patterns over the whole symbol.

use super::binarize::BitImage;
use super::find::Finder;
use super::sample::{sample_module, Homography};
use crate::decode::micro_rmqr::RectGrid;
use crate::decode::result::SymbolContent;

mod micro;
mod rmqr;

pub(crate) use micro::read_micro;
pub(crate) use rmqr::read_rmqr;

/// Rays cast from a finder's centre to find its outline.
const RAYS: usize = 128;

/// (cos, sin) of the [`RAYS`] ray directions, evenly spaced from angle 0.
fn ray_directions() -> &'static [(f64, f64); RAYS] {
    static DIRS: std::sync::OnceLock<[(f64, f64); RAYS]> = std::sync::OnceLock::new();
    DIRS.get_or_init(|| {
        std::array::from_fn(|k| {
            let phi = k as f64 * std::f64::consts::TAU / RAYS as f64;
            (phi.cos(), phi.sin())
        })
    })
}

/// The finder's outer corners, in the order of increasing angle around its
/// centre (clockwise on screen), or `None` when its outline is not a square.
pub(crate) fn finder_corners(img: &BitImage, f: &Finder) -> Option<[(f64, f64); 4]> {
    let m = f.module.max(f.diagonal).max(1.0) as f64;
    let (cx, cy) = (f.x as f64, f.y as f64);
    let step = 0.5;
    let max_r = 7.0 * m;
    // Distance from the centre to the outer edge along angle `phi`: centre
    // dark, light ring, dark ring, then light outside.
    // The rings are a module wide: the walk takes strides of up to a third
    // of a module (whole steps), which cannot jump one, and looks for the
    // outer edge step by step only within the stride that crossed it.
    let stride = step * (m / 3.0 / step).floor().max(1.0);
    let dirs = ray_directions();
    let edge = |k: usize| {
        let (c, s) = dirs[k];
        let dark = |t: f64| img.get_i((cx + c * t) as i64, (cy + s * t) as i64);
        let mut phase = 0;
        // From a module out: still inside the centre's 3 x 3 modules (or, if
        // the centre is a module off, in the light ring, which the walk
        // goes through just the same).
        let mut t = m;
        while t < max_r {
            match (phase, dark(t)) {
                (0, false) => phase = 1,
                (1, true) => phase = 2,
                (2, false) => {
                    // The first light step after the dark ring.
                    let mut edge = t - stride + step;
                    while edge < t && dark(edge) {
                        edge += step;
                    }
                    return Some(edge - step / 2.0).filter(|&r| r > 2.0 * m);
                }
                _ => {}
            }
            t += stride;
        }
        None
    };
    // Eight rays first: finder-like noise (most of what the QR scan leaves)
    // fails most of them, and costs no more.
    let first = (0..RAYS)
        .step_by(RAYS / 8)
        .filter(|&k| edge(k).is_some())
        .count();
    if first < 7 {
        return None;
    }
    // (cos, sin, radius) of each ray that met the outline.
    let trig: Vec<(f64, f64, f64)> = (0..RAYS)
        .filter_map(|k| edge(k).map(|r| (dirs[k].0, dirs[k].1, r)))
        .collect();
    if trig.len() < RAYS / 2 {
        return None;
    }
    // The rotation: a square of half-side `a` has radius a / max(|cos|, |sin|)
    // at angle φ - θ; fit θ (5° steps, then 1° around the best), `a` by
    // least squares. With g that shape term, a = Σrg / Σg² and the squared
    // error Σ(r - ag)² = Σr² - a Σrg: one pass over the rays per angle.
    let r2: f64 = trig.iter().map(|&(_, _, r)| r * r).sum();
    let model = |theta: f64| {
        let (ct, st) = (theta.cos(), theta.sin());
        let (mut num, mut den) = (0.0, 0.0);
        for &(c, s, r) in &trig {
            let (cd, sd) = (c * ct + s * st, s * ct - c * st);
            let k = 1.0 / cd.abs().max(sd.abs());
            num += r * k;
            den += k * k;
        }
        let a = num / den;
        ((r2 - a * num).max(0.0), a)
    };
    let mut best = (f64::MAX, 0.0, 0.0);
    let try_angle = |deg: i32, best: &mut (f64, f64, f64)| {
        let theta = (deg.rem_euclid(90) as f64).to_radians();
        let (err, a) = model(theta);
        if err < best.0 {
            *best = (err, theta, a);
        }
    };
    for d in (0..90).step_by(5) {
        try_angle(d, &mut best);
    }
    let coarse = best.1.to_degrees().round() as i32;
    for d in coarse - 4..=coarse + 4 {
        try_angle(d, &mut best);
    }
    let (err, theta, a) = best;
    // A square's outline fits within a fraction of a module per ray.
    if err / trig.len() as f64 > (0.6 * m).powi(2) || a < 2.0 * m || a > 5.5 * m {
        return None;
    }
    // Points of each side, away from the corners (within 33 degrees of the
    // side's centre: a cosine above cos 33), fitted as lines.
    let near_centre = 33f64.to_radians().cos();
    let mut lines = Vec::with_capacity(4);
    for side in 0..4 {
        let centre = theta + side as f64 * std::f64::consts::FRAC_PI_2;
        let (cc, sc) = (centre.cos(), centre.sin());
        let side_pts: Vec<(f64, f64)> = trig
            .iter()
            .filter(|&&(c, s, _)| c * cc + s * sc > near_centre)
            .map(|&(c, s, r)| (cx + r * c, cy + r * s))
            .collect();
        // The side runs across the ray at its centre angle.
        let along = (-sc, cc);
        lines.push(fit_side(&side_pts, along, m)?);
    }
    let mut corners = [(0.0, 0.0); 4];
    for (i, corner) in corners.iter_mut().enumerate() {
        *corner = intersect(lines[i], lines[(i + 1) % 4])?;
    }
    Some(corners)
}

/// A side of the finder through `points`: a total-least-squares line, refitted
/// without the points more than a quarter module off it; a line more than 8°
/// from the expected direction `along` is replaced by one in that direction.
fn fit_side(
    points: &[(f64, f64)],
    along: (f64, f64),
    module: f64,
) -> Option<((f64, f64), (f64, f64))> {
    let first = fit_line(points)?;
    let off = |line: ((f64, f64), (f64, f64)), p: (f64, f64)| {
        let ((px, py), (dx, dy)) = line;
        ((p.0 - px) * dy - (p.1 - py) * dx).abs()
    };
    let tol = (0.25 * module).max(0.75);
    let kept: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|&p| off(first, p) <= tol)
        .collect();
    let line = fit_line(&kept).unwrap_or(first);
    let cos = (line.1 .0 * along.0 + line.1 .1 * along.1).abs();
    if cos >= 8f64.to_radians().cos() {
        return Some(line);
    }
    // Fixed direction: the centroid of the points, `along`.
    let src = if kept.len() >= 3 { &kept } else { points };
    let n = src.len() as f64;
    let (mx, my) = src
        .iter()
        .fold((0.0, 0.0), |(a, b), &(x, y)| (a + x / n, b + y / n));
    Some(((mx, my), along))
}

/// A line through `points` as (point, unit direction), by total least squares.
fn fit_line(points: &[(f64, f64)]) -> Option<((f64, f64), (f64, f64))> {
    if points.len() < 3 {
        return None;
    }
    let n = points.len() as f64;
    let (mx, my) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), &(x, y)| (a + x / n, b + y / n));
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for &(x, y) in points {
        sxx += (x - mx) * (x - mx);
        sxy += (x - mx) * (y - my);
        syy += (y - my) * (y - my);
    }
    let angle = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    Some(((mx, my), (angle.cos(), angle.sin())))
}

fn intersect(a: ((f64, f64), (f64, f64)), b: ((f64, f64), (f64, f64))) -> Option<(f64, f64)> {
    let ((px, py), (dx, dy)) = a;
    let ((qx, qy), (ex, ey)) = b;
    let den = dx * ey - dy * ex;
    if den.abs() < 1e-6 {
        return None;
    }
    let t = ((qx - px) * ey - (qy - py) * ex) / den;
    Some((px + t * dx, py + t * dy))
}

/// The transform putting the finder's outer corners at module corners
/// (0, 0), (7, 0), (7, 7), (0, 7), with corner `first` as (0, 0): the
/// projective one and its affine approximation (better when extrapolated
/// far from a small, noisy quadrilateral).
fn finder_transforms(c: &[(f64, f64); 4], first: usize) -> Vec<Homography> {
    let q = [
        c[first],
        c[(first + 1) % 4],
        c[(first + 2) % 4],
        c[(first + 3) % 4],
    ];
    let src = [(0.0, 0.0), (7.0, 0.0), (7.0, 7.0), (0.0, 7.0)];
    let mut out = Vec::with_capacity(2);
    if let Some(h) = Homography::from_quads(src, q) {
        out.push(h);
    }
    // Affine: the parallelogram closest to the quadrilateral.
    let centre = (
        (q[0].0 + q[1].0 + q[2].0 + q[3].0) / 4.0,
        (q[0].1 + q[1].1 + q[2].1 + q[3].1) / 4.0,
    );
    let ex = (
        (q[1].0 + q[2].0 - q[0].0 - q[3].0) / 2.0,
        (q[1].1 + q[2].1 - q[0].1 - q[3].1) / 2.0,
    );
    let ey = (
        (q[3].0 + q[2].0 - q[0].0 - q[1].0) / 2.0,
        (q[3].1 + q[2].1 - q[0].1 - q[1].1) / 2.0,
    );
    let at = |u: f64, v: f64| {
        (
            centre.0 + ex.0 * (u - 0.5) + ey.0 * (v - 0.5),
            centre.1 + ex.1 * (u - 0.5) + ey.1 * (v - 0.5),
        )
    };
    let para = [at(0.0, 0.0), at(1.0, 0.0), at(1.0, 1.0), at(0.0, 1.0)];
    if let Some(h) = Homography::from_quads(src, para) {
        out.push(h);
    }
    out
}

/// Samples a `width` x `height` grid through `h`; `None` if a quarter of it
/// is off the image.
fn sample_grid(img: &BitImage, h: &Homography, width: usize, height: usize) -> Option<RectGrid> {
    let mut dark = Vec::with_capacity(width * height);
    let mut off = 0;
    for y in 0..height {
        for x in 0..width {
            let (d, conf) = sample_module(img, h, x, y);
            off += usize::from(conf == 0);
            dark.push(d);
        }
    }
    (off * 4 <= width * height).then_some(RectGrid {
        width,
        height,
        dark,
    })
}

/// A decoded small symbol with its corners (TL, TR, BR, BL) in the image.
pub(crate) struct Found {
    pub(crate) content: SymbolContent,
    pub(crate) corners: [(f32, f32); 4],
}

fn corners_of(h: &Homography, width: usize, height: usize) -> [(f32, f32); 4] {
    let (w, hh) = (width as f64, height as f64);
    [(0.0, 0.0), (w, 0.0), (w, hh), (0.0, hh)].map(|(u, v)| {
        let (x, y) = h.map(u, v);
        (x as f32, y as f32)
    })
}

#[cfg(all(test, feature = "image"))]
mod debug_tests {
    use super::*;
    use crate::read::{binarize, find, image::Gray};
    use crate::symbol::micro;

    /// Times the small-symbol search per finder of one image
    /// (CIVIQR_DEBUG_IMAGE), for profiling.
    #[test]
    #[ignore]
    fn debug_sample() {
        let path = std::env::var("CIVIQR_DEBUG_IMAGE").expect("set CIVIQR_DEBUG_IMAGE");
        let img = ::image::open(path).expect("opens").into_luma8();
        let (w, h) = (img.width() as usize, img.height() as usize);
        let gray = Gray::from_image(&crate::ImageRef::luma(img.as_raw(), w, h));
        let normal = binarize::local(&gray);
        let mut inverse = normal.clone();
        inverse.invert();
        for bits in [inverse, normal] {
            let finders = find::find(&bits, 2, 30);
            eprintln!("inverted {}", bits.inverted);
            for f in &finders {
                let t0 = std::time::Instant::now();
                let c = finder_corners(&bits, f);
                let t1 = t0.elapsed();
                let (m, r) = match c {
                    Some(c) => {
                        eprintln!("corners {c:?}");
                        for first in 0..4 {
                            for h in finder_transforms(&c, first) {
                                let mut fb = 0u32;
                                for i in 0..15 {
                                    let (x, y) = micro::format_position(i);
                                    fb |= u32::from(sample_module(&bits, &h, x, y).0) << i;
                                }
                                let best = (0..32u32)
                                    .map(|k| {
                                        (
                                            (micro::format_bits(k >> 2, (k & 3) as u8) ^ fb)
                                                .count_ones(),
                                            k >> 2,
                                            k & 3,
                                        )
                                    })
                                    .min();
                                let size = 17;
                                let wrong = (8..size)
                                    .filter(|&i| {
                                        sample_module(&bits, &h, i, 0).0 != (i % 2 == 0)
                                            || sample_module(&bits, &h, 0, i).0 != (i % 2 == 0)
                                    })
                                    .count();
                                let row: String = (0..size)
                                    .map(|i| {
                                        if sample_module(&bits, &h, i, 0).0 {
                                            '#'
                                        } else {
                                            '.'
                                        }
                                    })
                                    .collect();
                                let col: String = (0..size)
                                    .map(|i| {
                                        if sample_module(&bits, &h, 0, i).0 {
                                            '#'
                                        } else {
                                            '.'
                                        }
                                    })
                                    .collect();
                                eprintln!("  first {first} format {best:?} timing wrong {wrong} row {row} col {col}");
                            }
                        }
                        let t = std::time::Instant::now();
                        let m = read_micro(&bits, &c).is_some();
                        let tm = t.elapsed();
                        let t = std::time::Instant::now();
                        let r = read_rmqr(&bits, &c).is_some();
                        (
                            format!("micro {m} {tm:?}"),
                            format!("rmqr {r} {:?}", t.elapsed()),
                        )
                    }
                    None => (String::new(), String::new()),
                };
                eprintln!(
                    "finder ({}, {}) count {} corners {} in {t1:?} {m} {r}",
                    f.x,
                    f.y,
                    f.count,
                    c.is_some()
                );
            }
        }
    }
}

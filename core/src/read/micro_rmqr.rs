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
use super::sample::sample_module;
use super::sample::Homography;
use crate::decode::micro_rmqr::{decode_micro, decode_rmqr, RectGrid};
use crate::decode::result::SymbolContent;
use crate::symbol::RmqrVersion;
use crate::symbol::{micro, rmqr};

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

/// Tries to read a Micro QR symbol around finder `f`.
pub(crate) fn read_micro(img: &BitImage, corners: &[(f64, f64); 4]) -> Option<Found> {
    // Hypotheses that did not read: format distance, transform, size.
    let mut failed: Vec<(u32, Homography, usize)> = Vec::new();
    for first in 0..4 {
        for h in finder_transforms(corners, first) {
            // The format information (15 modules beside the finder) names
            // the version; read it in both orders (mirrored symbols).
            let mut sizes: Vec<(u32, usize)> = Vec::new();
            for mirrored in [false, true] {
                let mut bits = 0u32;
                for i in 0..15 {
                    let (x, y) = micro::format_position(i);
                    let (x, y) = if mirrored { (y, x) } else { (x, y) };
                    bits |= u32::from(sample_module(img, &h, x, y).0) << i;
                }
                for number in 0..8u32 {
                    for mask in 0..4u8 {
                        let d = (micro::format_bits(number, mask) ^ bits).count_ones();
                        if d <= 3 {
                            let size = micro::from_symbol_number(number).0.size();
                            match sizes.iter_mut().find(|s| s.1 == size) {
                                Some(s) => s.0 = s.0.min(d),
                                None => sizes.push((d, size)),
                            }
                        }
                    }
                }
            }
            for (d, size) in sizes {
                if let Some(found) = read_micro_with(img, &h, size) {
                    return Some(found);
                }
                failed.push((d, h, size));
            }
        }
    }
    // None read: the far modules may be off while the format information,
    // next to the finder, reads. The best format readings are tried again
    // through transforms refitted to the function patterns.
    failed.sort_by_key(|f| f.0);
    failed
        .iter()
        .filter(|f| f.0 <= REFIT_FORMAT_DISTANCE)
        .take(REFITS)
        .find_map(|&(_, h, size)| {
            if !timing_alternates(img, &h, size) {
                return None;
            }
            let fitted = fit_function_patterns(img, &h, size)?;
            read_micro_with(img, &fitted, size)
        })
}

/// Whether row 0 and column 0 through `h`, from module 7 to the symbol's
/// edge, change colour about as often as timing patterns do (`size - 8`
/// times), in quarter-module steps on the binary pixels: a transform off
/// by a module at the far edge still counts them, a blank or noisy
/// surround does not.
fn timing_alternates(img: &BitImage, h: &Homography, size: usize) -> bool {
    let want = size - 8;
    [false, true].into_iter().all(|column| {
        let mut changes = 0;
        let mut last = None;
        for k in 0..(size - 7) * 4 {
            let w = 7.0 + (k as f64 + 0.5) / 4.0;
            let (x, y) = if column { h.map(0.5, w) } else { h.map(w, 0.5) };
            // Truncation is floor on the image; points left of or above it
            // read light.
            let dark = x >= 0.0 && y >= 0.0 && img.get_i(x as i64, y as i64);
            changes += usize::from(last.is_some_and(|l| l != dark));
            last = Some(dark);
        }
        changes + 2 >= want && changes <= want + 3
    })
}

/// Micro QR hypotheses refitted to their function patterns per finder, at
/// most: the two transforms of the two best orientations.
const REFITS: usize = 4;

/// Only hypotheses whose format information reads within this many bits of
/// a codeword are refitted: it lies next to the finder, where the transform
/// is good even when the far modules are off. (A random reading is within
/// 1 bit of one of the 32 codewords 1 time in 64, within 2 bits 1 time in
/// 8; QR Code finders, whose own format information lies where Micro QR's
/// does, come within 2 bits far more often.)
const REFIT_FORMAT_DISTANCE: u32 = 1;

/// Reads a Micro QR symbol of `size` modules through `h`.
fn read_micro_with(img: &BitImage, h: &Homography, size: usize) -> Option<Found> {
    // The timing patterns along the top row and left column.
    let wrong = (8..size)
        .filter(|&i| {
            sample_module(img, h, i, 0).0 != (i % 2 == 0)
                || sample_module(img, h, 0, i).0 != (i % 2 == 0)
        })
        .count();
    if wrong > 2 {
        return None;
    }
    if size == M1_SIZE && !quiet_beyond(img, h, size) {
        return None;
    }
    let grid = sample_grid(img, h, size, size)?;
    let content = decode_micro(&grid)?;
    Some(Found {
        content,
        corners: corners_of(h, size, size),
    })
}

/// The side of an M1 symbol, the smallest Micro QR.
const M1_SIZE: usize = 11;

/// Whether the modules just beyond the symbol's right and bottom edges (the
/// first ring of the quiet zone the standard requires, ISO/IEC 18004 7.3.7:
/// two modules for Micro QR) are light, at most two of the `2 * size + 1`
/// read dark (specks, a tight crop's edge). Points off the image count as
/// light.
///
/// Only M1 is held to it: its whole check is two codewords of error
/// detection and a format word, so a finder-like corner of something else
/// (an rMQR's, a damaged QR Code's) can pass as an M1 by chance. Beyond
/// such a corner lie that symbol's data modules, half of them dark.
fn quiet_beyond(img: &BitImage, h: &Homography, size: usize) -> bool {
    let dark = (0..size)
        .flat_map(|i| [(size, i), (i, size)])
        .chain([(size, size)])
        .filter(|&(x, y)| sample_module(img, h, x, y).0)
        .count();
    dark <= 2
}

/// How light the image is at module point `(u, v)` through `h`: the grey
/// level less the local threshold, negative for dark; 0 off the image.
fn lightness(img: &BitImage, h: &Homography, u: f64, v: f64) -> f64 {
    let (x, y) = h.map(u, v);
    if !(x >= 0.0 && y >= 0.0 && x < img.width as f64 && y < img.height as f64) {
        return 0.0;
    }
    let (dark, margin) = img.dark_at(x, y);
    if dark {
        -f64::from(margin)
    } else {
        f64::from(margin)
    }
}

/// `h` with its module axes shifted and stretched about the finder's centre
/// to fit the function patterns (ISO/IEC 18004 6.3: the finder, its
/// separator, and the timing patterns along row 0 and column 0, dark on
/// even indices), whose modules are known. The finder spans only 7 of the
/// symbol's modules, and blur or uneven print move its outline by a few
/// pixels, not always the same on each side: extrapolated to the far edge
/// of a 17-module symbol, that is half a module. The timing patterns
/// measure the module pitch across the whole symbol.
///
/// Each axis `w` becomes `3.5 + shift + scale * (w - 3.5)`; the four
/// numbers are chosen for the most contrast between the light and the dark
/// function modules, by a pattern search (each number nudged in turn, the
/// steps halved when no nudge helps) within half a module and 15 %.
fn fit_function_patterns(img: &BitImage, h: &Homography, size: usize) -> Option<Homography> {
    // The function modules: (x, y, dark).
    let mut known: Vec<(usize, usize, bool)> = Vec::with_capacity(64 + 2 * size);
    for y in 0..8usize {
        for x in 0..8usize {
            let ring = x.abs_diff(3).max(y.abs_diff(3));
            known.push((x, y, x < 7 && y < 7 && ring != 2));
        }
    }
    for i in 8..size {
        known.push((i, 0, i % 2 == 0));
        known.push((0, i, i % 2 == 0));
    }
    let axis = |shift: f64, scale: f64, w: f64| 3.5 + shift + scale * (w - 3.5);
    // [u shift, u scale, v shift, v scale].
    let contrast = |p: &[f64; 4]| -> f64 {
        known
            .iter()
            .map(|&(x, y, dark)| {
                let u = axis(p[0], p[1], x as f64 + 0.5);
                let v = axis(p[2], p[3], y as f64 + 0.5);
                let l = lightness(img, h, u, v);
                if dark {
                    -l
                } else {
                    l
                }
            })
            .sum()
    };
    let within = |p: &[f64; 4]| {
        p[0].abs() <= 0.5
            && p[2].abs() <= 0.5
            && (p[1] - 1.0).abs() <= 0.15
            && (p[3] - 1.0).abs() <= 0.15
    };
    let mut p = [0.0, 1.0, 0.0, 1.0];
    let mut best = contrast(&p);
    // Shift and scale steps.
    let mut step = [0.125, 0.02];
    // Each pass moves the numbers or halves the steps; fits take about a
    // dozen passes, and the bound keeps hostile images cheap.
    for _pass in 0..MAX_FIT_PASSES {
        if step[0] < 1.0 / 64.0 {
            break;
        }
        let mut moved = false;
        for k in 0..4 {
            for sign in [-1.0, 1.0] {
                let mut q = p;
                q[k] += sign * step[k % 2];
                if !within(&q) {
                    continue;
                }
                let c = contrast(&q);
                if c > best {
                    (p, best, moved) = (q, c, true);
                    break;
                }
            }
        }
        if !moved {
            step = [step[0] / 2.0, step[1] / 2.0];
        }
    }
    let w = size as f64;
    let src = [(0.0, 0.0), (w, 0.0), (w, w), (0.0, w)];
    Homography::from_quads(
        src,
        src.map(|(u, v)| h.map(axis(p[0], p[1], u), axis(p[2], p[3], v))),
    )
}

/// Passes of [`fit_function_patterns`]' search, at most.
const MAX_FIT_PASSES: usize = 40;

/// Tries to read an rMQR symbol whose finder has these corners.
pub(crate) fn read_rmqr(img: &BitImage, corners: &[(f64, f64); 4]) -> Option<Found> {
    for first in 0..4 {
        for h in finder_transforms(corners, first) {
            let mut bits = 0u32;
            for i in 0..18 {
                let (x, y) = rmqr::format_position_finder(i);
                bits |= u32::from(sample_module(img, &h, x, y).0) << i;
            }
            bits ^= rmqr::FORMAT_MASK_FINDER;
            let mut versions: Vec<(u32, RmqrVersion)> = Vec::new();
            for v in RmqrVersion::all() {
                for ec in [crate::EcLevel::M, crate::EcLevel::H] {
                    let d = (rmqr::format_bits(v, ec) ^ bits).count_ones();
                    if d <= 3 {
                        versions.push((d, v));
                    }
                }
            }
            if versions.is_empty() || !top_timing_plausible(img, &h) {
                continue;
            }
            versions.sort_by_key(|p| p.0);
            versions.dedup_by_key(|p| p.1);
            for (_, v) in versions {
                if let Some(found) = read_rmqr_version(img, &h, v) {
                    return Some(found);
                }
            }
        }
    }
    None
}

/// Whether the top row right of the finder reads as a timing pattern for
/// the first dozen modules (near the finder, where its transform is good;
/// every width has no alignment pattern before column 19).
fn top_timing_plausible(img: &BitImage, h: &Homography) -> bool {
    let wrong = (8..19)
        .filter(|&x| sample_module(img, h, x, 0).0 != (x % 2 == 0))
        .count();
    wrong <= 2
}

fn read_rmqr_version(img: &BitImage, h: &Homography, v: RmqrVersion) -> Option<Found> {
    let (w, hh) = (v.width(), v.height());
    let mut transforms = Vec::new();
    if let Some(sub) = find_sub_finder(img, h, w, hh) {
        let sub_uv = (w as f64 - 2.5, hh as f64 - 2.5);
        // Affine through the finder's corners and the sub-finder (which
        // fixes the long axis), then projective through the same points.
        let mut pairs: Vec<Pair> = [(0.0, 0.0), (7.0, 0.0), (7.0, 7.0), (0.0, 7.0)]
            .into_iter()
            .map(|(u, v)| ((u, v), h.map(u, v), 1.0))
            .collect();
        pairs.push((sub_uv, sub, 4.0));
        if let Some(t) = affine_fit(&pairs, w as f64, hh as f64) {
            transforms.push(t);
        }
        let src = [(0.0, 0.0), (7.0, 0.0), sub_uv, (0.0, 7.0)];
        let dst = [h.map(0.0, 0.0), h.map(7.0, 0.0), sub, h.map(0.0, 7.0)];
        if let Some(t) = Homography::from_quads(src, dst) {
            transforms.push(t);
        }
        // Through the alignment patterns along both long edges too, found
        // near where the first transform puts them: perspective along the
        // symbol's length.
        if let Some(&first) = transforms.first() {
            let mut all: Vec<super::sample::PointPair> =
                pairs.iter().map(|&(uv, xy, _)| (uv, xy)).collect();
            for &cx in rmqr::alignment_columns(w) {
                for (cy, up) in [(1usize, true), (hh - 2, false)] {
                    if let Some(xy) = find_alignment(img, &first, cx, cy, up) {
                        all.push(((cx as f64 + 0.5, cy as f64 + 0.5), xy));
                    }
                }
            }
            if all.len() >= 7 {
                if let Some(t) = Homography::fit(&all) {
                    transforms.insert(0, t);
                }
            }
        }
    }
    transforms.push(*h);
    for t in transforms {
        let Some(grid) = sample_grid(img, &t, w, hh) else {
            continue;
        };
        if let Some(content) = decode_rmqr(&grid) {
            return Some(Found {
                content,
                corners: corners_of(&t, w, hh),
            });
        }
    }
    None
}

/// The image position of the sub-finder's centre (module `(w - 2.5,
/// h - 2.5)`), searched around where `h` predicts it: the 5 x 5 pattern
/// (dark ring, light ring, dark centre) with light quiet zone right of and
/// below it that matches best. A coarse pass over binary pixels in
/// half-module steps (giving up on an offset after a few mismatches), then
/// a fine one in eighth-module steps around the best.
fn find_sub_finder(img: &BitImage, h: &Homography, w: usize, hh: usize) -> Option<(f64, f64)> {
    let (u0, v0) = (w as f64 - 2.5, hh as f64 - 2.5);
    let p = h.map(u0, v0);
    let px = h.map(u0 + 1.0, v0);
    let py = h.map(u0, v0 + 1.0);
    let ex = (px.0 - p.0, px.1 - p.1);
    let ey = (py.0 - p.0, py.1 - p.1);
    // 36 modules: the pattern and the quiet zone to its right and below.
    let score = |c: (f64, f64), give_up: i32| {
        let mut good = 0;
        let mut bad = 0;
        for b in -2i32..=3 {
            for a in -2i32..=3 {
                let ring = a.abs().max(b.abs());
                let want = if a == 3 || b == 3 { false } else { ring != 1 };
                let (x, y) = (
                    c.0 + a as f64 * ex.0 + b as f64 * ey.0,
                    c.1 + a as f64 * ex.1 + b as f64 * ey.1,
                );
                if img.get_i(x as i64, y as i64) == want {
                    good += 1;
                } else {
                    bad += 1;
                    if bad > give_up {
                        return 0;
                    }
                }
            }
        }
        good
    };
    let at = |du: f64, dv: f64, c: (f64, f64)| {
        (c.0 + du * ex.0 + dv * ey.0, c.1 + du * ex.1 + dv * ey.1)
    };
    let reach = 2.0 + w as f64 * 0.05;
    let steps = (reach / 0.5) as i32;
    let mut coarse = (0, p);
    for j in -steps..=steps {
        for i in -steps..=steps {
            let c = at(i as f64 * 0.5, j as f64 * 0.5, p);
            let sc = score(c, 6);
            if sc > coarse.0 {
                coarse = (sc, c);
            }
        }
    }
    if coarse.0 < 30 {
        return None;
    }
    // Every fine offset with the best score is kept: their centroid is the
    // centre (a clean pattern matches over a plateau).
    let mut best = (0, Vec::new());
    for j in -4..=4 {
        for i in -4..=4 {
            let c = at(i as f64 * 0.125, j as f64 * 0.125, coarse.1);
            let sc = score(c, 36);
            if sc > best.0 {
                best = (sc, vec![c]);
            } else if sc == best.0 {
                best.1.push(c);
            }
        }
    }
    if best.0 < 32 {
        return None;
    }
    let n = best.1.len() as f64;
    let (sx, sy) = best
        .1
        .iter()
        .fold((0.0, 0.0), |(a, b), p| (a + p.0, b + p.1));
    Some((sx / n, sy / n))
}

/// The image position of the centre of the rMQR alignment pattern at module
/// `(cx, cy)` (3 x 3: dark ring, light centre) on the top (`up`: quiet zone
/// above) or bottom edge, searched within a module and a half of where `h`
/// puts it.
fn find_alignment(
    img: &BitImage,
    h: &Homography,
    cx: usize,
    cy: usize,
    up: bool,
) -> Option<(f64, f64)> {
    let (u0, v0) = (cx as f64 + 0.5, cy as f64 + 0.5);
    let p = h.map(u0, v0);
    let px = h.map(u0 + 1.0, v0);
    let py = h.map(u0, v0 + 1.0);
    let ex = (px.0 - p.0, px.1 - p.1);
    let ey = (py.0 - p.0, py.1 - p.1);
    let outside = if up { -2 } else { 2 };
    let mut best = (0, Vec::new());
    for j in -6i32..=6 {
        for i in -6i32..=6 {
            let c = (
                p.0 + 0.25 * (i as f64 * ex.0 + j as f64 * ey.0),
                p.1 + 0.25 * (i as f64 * ex.1 + j as f64 * ey.1),
            );
            let mut score = 0;
            for b in -2i32..=2 {
                for a in -1i32..=1 {
                    let want = if b == outside {
                        false
                    } else if b.abs() == 2 {
                        continue;
                    } else {
                        !(a == 0 && b == 0)
                    };
                    let (x, y) = (
                        c.0 + a as f64 * ex.0 + b as f64 * ey.0,
                        c.1 + a as f64 * ex.1 + b as f64 * ey.1,
                    );
                    score += i32::from(img.get_i(x as i64, y as i64) == want);
                }
            }
            if score > best.0 {
                best = (score, vec![c]);
            } else if score == best.0 {
                best.1.push(c);
            }
        }
    }
    // 12 modules: the pattern and the quiet zone beyond the edge.
    if best.0 < 12 {
        return None;
    }
    let n = best.1.len() as f64;
    let (sx, sy) = best
        .1
        .iter()
        .fold((0.0, 0.0), |(a, b), p| (a + p.0, b + p.1));
    Some((sx / n, sy / n))
}

/// A module point, the image point it should map to, and a weight.
type Pair = ((f64, f64), (f64, f64), f64);

/// The affine map `(u, v) -> (x, y)` closest (weighted least squares) to
/// the point pairs, as a homography; `None` if they are collinear.
fn affine_fit(pairs: &[Pair], w: f64, h: f64) -> Option<Homography> {
    let mut n = [[0.0f64; 3]; 3];
    let mut bx = [0.0f64; 3];
    let mut by = [0.0f64; 3];
    for &((u, v), (x, y), wt) in pairs {
        let row = [u, v, 1.0];
        for i in 0..3 {
            for j in 0..3 {
                n[i][j] += wt * row[i] * row[j];
            }
            bx[i] += wt * row[i] * x;
            by[i] += wt * row[i] * y;
        }
    }
    let det3 = |m: [[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det3(n);
    if d.abs() < 1e-9 {
        return None;
    }
    let solve = |b: [f64; 3]| {
        let mut out = [0.0; 3];
        for (k, o) in out.iter_mut().enumerate() {
            let mut m = n;
            for i in 0..3 {
                m[i][k] = b[i];
            }
            *o = det3(m) / d;
        }
        out
    };
    let (ax, ay) = (solve(bx), solve(by));
    let map = |u: f64, v: f64| (ax[0] * u + ax[1] * v + ax[2], ay[0] * u + ay[1] * v + ay[2]);
    let src = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
    Homography::from_quads(src, src.map(|(u, v)| map(u, v)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::binarize;
    use crate::{encode_text, EncodeOptions, MicroVersion, Symbology};
    use civiqr_testkit::{Grid, Raster};

    const TEXT: &str = "SN888623311";

    /// An M4 symbol of [`TEXT`] at 10 px per module with a 2-module quiet
    /// zone, blurred (a 3 x 3 box, twice) and binarized with one threshold.
    fn drawn_m4() -> BitImage {
        let v = MicroVersion::new(4).expect("M4");
        let opts = EncodeOptions::default()
            .symbology(Symbology::MicroQr)
            .micro_version(v);
        let code = encode_text(TEXT, &opts).expect("fits");
        let grid = Grid::from_fn(17, 17, |x, y| code.get(x, y));
        let drawn = Raster::new(10).quiet(2).levels(30, 220).draw(&grid);
        binarize::global(&drawn.box3_blur().box3_blur().into())
    }

    #[test]
    fn a_finder_outline_grown_by_blur_reads_through_the_function_patterns() {
        let img = drawn_m4();
        // The finder spans pixels 20 to 90; blur or ink spread can make its
        // outline look 2 px larger on each side.
        let corners = [(18.0, 18.0), (92.0, 18.0), (92.0, 92.0), (18.0, 92.0)];
        // Extrapolated from that outline, the far modules are 0.7 of a
        // module off: no transform of the finder alone reads.
        for first in 0..4 {
            for h in finder_transforms(&corners, first) {
                assert!(read_micro_with(&img, &h, 17).is_none());
            }
        }
        let found = read_micro(&img, &corners).expect("reads after the refit");
        assert_eq!(found.content.text.as_deref(), Some(TEXT));
        // The centres of the corner modules (at pixels 25 and 185) are
        // within a quarter module of where the grid puts them.
        let [tl, tr, _, bl] = found.corners.map(|(x, y)| (f64::from(x), f64::from(y)));
        for (i, j) in [(0.5, 0.5), (16.5, 0.5), (16.5, 16.5), (0.5, 16.5)] {
            let x = tl.0 + (tr.0 - tl.0) * i / 17.0 + (bl.0 - tl.0) * j / 17.0;
            let y = tl.1 + (tr.1 - tl.1) * i / 17.0 + (bl.1 - tl.1) * j / 17.0;
            let (wx, wy) = (20.0 + 10.0 * i, 20.0 + 10.0 * j);
            assert!(
                (x - wx).hypot(y - wy) < 2.5,
                "module ({i}, {j}) at ({x}, {y}), want ({wx}, {wy})"
            );
        }
    }

    #[test]
    fn the_fit_keeps_a_transform_that_is_right() {
        let img = drawn_m4();
        let corners = [(20.0, 20.0), (90.0, 20.0), (90.0, 90.0), (20.0, 90.0)];
        for h in finder_transforms(&corners, 0) {
            let fitted = fit_function_patterns(&img, &h, 17).expect("fits");
            for (u, v) in [(0.0, 0.0), (17.0, 0.0), (17.0, 17.0), (0.0, 17.0)] {
                let (a, b) = (h.map(u, v), fitted.map(u, v));
                assert!((a.0 - b.0).hypot(a.1 - b.1) < 1.0, "{a:?} became {b:?}");
            }
        }
    }
}

#[cfg(all(test, feature = "image"))]
mod debug_tests {
    use super::*;
    use crate::read::{binarize, find, image::Gray};

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
        for bits in [normal.inverted(), normal] {
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

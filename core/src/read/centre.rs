//! Sub-pixel finder centres from grey levels, for small modules. A finder
//! pattern with its light separator (ISO/IEC 18004 6.3.3) is point-symmetric
//! about its centre within 4.5 modules, and blur keeps that symmetry: the
//! centre is where the grey image best matches itself turned by 180 degrees.
//! Centres measured on the thresholded image are off by up to half a pixel,
//! which at 2 px a module puts the far side of a symbol a quarter of a
//! module off; this measures them to about a tenth of a pixel.

use super::binarize::BitImage;
use super::find::Finder;
use super::locate::Triple;

/// Radius (in modules) of the disc compared with its turned copy: inside
/// the 9 x 9 modules of finder and separator at any rotation, with half a
/// module to spare for a misjudged module size.
const RADIUS_MODULES: f32 = 4.0;

/// Farthest (in modules) a refined centre may lie from the first estimate:
/// farther, the match locked on to something else, and the estimate stays.
const MAX_MOVE_MODULES: f32 = 0.75;

/// The centre of point symmetry of the grey levels near `at`, for a finder
/// of `module` pixels a module; `None` without grey levels, near the image
/// border, or when the best match lies more than [`MAX_MOVE_MODULES`] away.
///
/// Candidate centres lie on the half-pixel lattice, where every pixel of
/// the disc has an opposite pixel (no interpolation): the summed squared
/// difference of the pairs is least at the best one, and a parabola through
/// its neighbours on each axis places the centre between lattice points.
pub(crate) fn symmetric_centre(img: &BitImage, at: (f32, f32), module: f32) -> Option<(f32, f32)> {
    centre_within(img, at, module, RADIUS_MODULES, 0.0)
}

/// Grey levels a line through a finder must span for [`edge_spread`] to
/// measure its edges: less is a washed-out or flat line, whose steps are
/// noise.
const SPREAD_MIN_RANGE: u8 = 24;

/// How far blur spreads a finder's edges, in modules: the standard deviation
/// of the Gaussian whose edge would be as steep as the steepest step of the
/// grey levels along a line through the centre, against the levels' range
/// along it. Four lines (the row, the column and both diagonals) of 4
/// modules each side, the steepest taken, so that one crosses the edges
/// within 22.5 degrees of square. `None` without grey levels, near the
/// border, or where no line spans [`SPREAD_MIN_RANGE`].
pub(crate) fn edge_spread(img: &BitImage, at: (f32, f32), module: f32) -> Option<f32> {
    let grey = img.grey()?;
    let (w, h) = (img.width as i64, img.height as i64);
    // Checked as floats first: the casts below then cannot overflow.
    let inside = |c: f32, side: i64| c.is_finite() && c >= 0.0 && c < side as f32;
    let sane = module > 0.0 && 8.0 * module < w.min(h) as f32;
    if !(sane && inside(at.0, w) && inside(at.1, h)) {
        return None;
    }
    let reach = (4.0 * module).ceil() as i64;
    let (cx, cy) = (at.0.round() as i64, at.1.round() as i64);
    if cx - reach < 0 || cy - reach < 0 || cx + reach >= w || cy + reach >= h {
        return None;
    }
    let mut steepest = 0.0f32;
    for (dx, dy, step) in [(1, 0, 1.0), (0, 1, 1.0), (1, 1, 1.414), (1, -1, 1.414)] {
        // Diagonal steps are longer: as many of them reach as far.
        let n = if dx != 0 && dy != 0 {
            reach * 10 / 14
        } else {
            reach
        };
        let level = |k: i64| grey[((cy + k * dy) * w + cx + k * dx) as usize];
        let (mut lo, mut hi, mut step_most) = (255u8, 0u8, 0u8);
        let mut last = level(-n);
        for k in -n..=n {
            let v = level(k);
            lo = lo.min(v);
            hi = hi.max(v);
            step_most = step_most.max(v.abs_diff(last));
            last = v;
        }
        if hi - lo >= SPREAD_MIN_RANGE {
            steepest = steepest.max(f32::from(step_most) / step / f32::from(hi - lo));
        }
    }
    // A Gaussian edge of range r and deviation s rises r / (s sqrt(2 pi))
    // a pixel at its steepest.
    (steepest > 0.0).then(|| 1.0 / (steepest * 2.5066 * module))
}

/// Farthest (in modules) an inferred finder (see `pair.rs`) is searched
/// from where its pair's geometry puts it: under perspective a diagonal
/// pair's square misplaces the third corner by about two modules.
const INFERRED_SEARCH_MODULES: f32 = 2.5;

/// The centre of a finder inferred from two others: [`symmetric_centre`]
/// after a coarse look at every half module within
/// [`INFERRED_SEARCH_MODULES`] of `at` (the descent alone would stop at
/// the first dip among the data modules).
pub(crate) fn inferred_centre(img: &BitImage, at: (f32, f32), module: f32) -> Option<(f32, f32)> {
    centre_within(img, at, module, RADIUS_MODULES, INFERRED_SEARCH_MODULES)
}

/// An alignment pattern's centre by the point symmetry of its 5 x 5 modules
/// (see [`symmetric_centre`]); the data modules around it are not symmetric.
pub(crate) fn alignment_centre(img: &BitImage, at: (f32, f32), module: f32) -> Option<(f32, f32)> {
    centre_within(img, at, module, ALIGNMENT_RADIUS_MODULES, 0.0)
}

/// The centre of the dark core (the 3 x 3 modules inside the inner light
/// ring) that a finder's centre lies in: the mean of its pixels, as a
/// finder's centre (pixel `i` spans `i..i + 1`). `None` when no pixel next
/// to the centre is dark, the dark area runs on past [`CORE_REACH_MODULES`]
/// of the finder's modules and 2 px (or [`CORE_MOST_REACH`] pixels), or it
/// holds under 4 pixels: then it is no core bounded by a light ring.
///
/// A finder at the edge of a label wrapped round a pole is squeezed across
/// the wrap, its rings more on the edge side than the inner one, and its
/// centre from the runs along rows, columns and diagonals lies up to half a
/// module off along the axis and more across; the inner light ring, which
/// holds where the outer ring blurs into the pole, bounds the core.
pub(crate) fn core_centre(img: &BitImage, f: &Finder) -> Option<(f64, f64)> {
    let reach = (CORE_REACH_MODULES * f.module.max(f.diagonal) + 2.0).min(CORE_MOST_REACH) as i64;
    // A finder's centre is in pixels from 0: NaN would give pixel 0.
    let (cx, cy) = (f.x.floor() as i64, f.y.floor() as i64);
    let start = [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)]
        .into_iter()
        .map(|(dx, dy)| (cx + dx, cy + dy))
        .find(|&(x, y)| img.get_i(x, y))?;
    // Filled from `start`, four-connected, within the box of `reach`.
    let side = (2 * reach + 1) as usize;
    let slot = |x: i64, y: i64| (y - cy + reach) as usize * side + (x - cx + reach) as usize;
    let mut seen = vec![false; side * side];
    seen[slot(start.0, start.1)] = true;
    let mut stack = vec![start];
    let (mut n, mut sum_x, mut sum_y) = (0u64, 0i64, 0i64);
    while let Some((x, y)) = stack.pop() {
        n += 1;
        sum_x += x;
        sum_y += y;
        for (nx, ny) in [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)] {
            if !img.get_i(nx, ny) {
                continue;
            }
            if (nx - cx).abs() > reach || (ny - cy).abs() > reach {
                return None;
            }
            let k = slot(nx, ny);
            if !seen[k] {
                seen[k] = true;
                stack.push((nx, ny));
            }
        }
    }
    // Fewer pixels are a speck, not three modules.
    let n = n as f64;
    (n >= 4.0).then(|| (sum_x as f64 / n + 0.5, sum_y as f64 / n + 0.5))
}

/// How far (in the finder's modules) a core may reach from the finder's
/// centre (see [`core_centre`]): 1.5 modules upright, 2.1 turned 45
/// degrees, and a module size from squeezed rings may be half the core's.
const CORE_REACH_MODULES: f32 = 4.0;

/// The most pixels a core may reach from the finder's centre: 16 px
/// modules, more than a pole's finders have.
const CORE_MOST_REACH: f32 = 64.0;

/// Radius (in modules) of the disc for [`alignment_centre`]: inside the
/// pattern's 5 x 5 modules at any rotation.
const ALIGNMENT_RADIUS_MODULES: f32 = 2.4;

/// [`symmetric_centre`] over a disc of `radius` modules, the descent
/// starting from the best of a half-module grid within `search` modules.
fn centre_within(
    img: &BitImage,
    at: (f32, f32),
    module: f32,
    radius: f32,
    search: f32,
) -> Option<(f32, f32)> {
    let grey = img.grey()?;
    if !(module.is_finite() && module > 0.0 && at.0.is_finite() && at.1.is_finite()) {
        return None;
    }
    let limit = module * (MAX_MOVE_MODULES + search);
    let radius = module * radius;
    // Candidates within `limit` and a lattice step of `at`, their discs on
    // the image.
    let reach = radius + limit + 2.0;
    let (w, h) = (img.width as f32, img.height as f32);
    if at.0 < reach || at.1 < reach || at.0 + reach > w || at.1 + reach > h {
        return None;
    }
    // Lattice point s (doubled pixel-index coordinates): the centre
    // (s + 1) / 2 in pixel coordinates, between pixels (s - d) / 2 and
    // (s + d) / 2 for doubled offsets d of the parity of s.
    let to_lattice = |v: f32| (2.0 * v - 1.0).round() as i64;
    let from_lattice = |s: f64| (s as f32 + 1.0) / 2.0;
    let r2 = (2.0 * radius) as i64;
    let width = img.width as i64;
    // The summed squared difference at lattice point s: row by row of the
    // half disc (doubled offset dy >= 0), the pixels right of s on row
    // (s + d) / 2 against those left of it on row (s - d) / 2, read
    // backwards.
    let cost = |(sx, sy): (i64, i64)| -> u64 {
        let (px, py) = (sx & 1, sy & 1);
        let mut sum = 0u64;
        for dy in (py..=r2).step_by(2) {
            let half = ((r2 * r2 - dy * dy) as f64).sqrt() as i64;
            // Doubled offsets dx of the parity of sx, -half..=half; on the
            // middle row only those right of s (each pair once).
            let mut lo = -half + (half - px).rem_euclid(2);
            if dy == 0 {
                lo = lo.max(2 - px);
            }
            let hi = half - (half - px).rem_euclid(2);
            if lo > hi {
                continue;
            }
            let n = (hi - lo) / 2 + 1;
            let a = ((sy + dy) >> 1) * width + ((sx + lo) >> 1);
            let b = ((sy - dy) >> 1) * width + ((sx - lo) >> 1) - (n - 1);
            let run = |start: i64| {
                usize::try_from(start)
                    .ok()
                    .and_then(|i| grey.get(i..i + n as usize))
            };
            if let (Some(ra), Some(rb)) = (run(a), run(b)) {
                for (u, v) in ra.iter().zip(rb.iter().rev()) {
                    let d = u32::from(u.abs_diff(*v));
                    sum += u64::from(d * d);
                }
            }
        }
        sum
    };
    let origin = (to_lattice(at.0), to_lattice(at.1));
    let mut start = origin;
    if search > 0.0 {
        // Lattice steps of half a module (a pixel is two): the finder's
        // centre block is three modules wide, so one lies well inside it.
        let stride = (module.round() as i64).max(1);
        let n = (2.0 * search).floor() as i64;
        let mut coarse = (start, u64::MAX);
        for j in -n..=n {
            for i in -n..=n {
                let s = (start.0 + i * stride, start.1 + j * stride);
                let c = cost(s);
                if c < coarse.1 {
                    coarse = (s, c);
                }
            }
        }
        start = coarse.0;
    }
    let steps = (2.0 * limit).ceil() as i64 + 1;
    // Descent along the axes to the lattice point no neighbour beats,
    // within `limit`; the last round's costs serve the parabolas.
    let mut best = (start, cost(start));
    let mut around = [u64::MAX; 4];
    let mut settled = false;
    for _ in 0..MAX_STEPS {
        let mut moved = None;
        for (i, (dx, dy)) in AXES.into_iter().enumerate() {
            let s = (best.0 .0 + dx, best.0 .1 + dy);
            around[i] = if (s.0 - origin.0).abs() > steps || (s.1 - origin.1).abs() > steps {
                u64::MAX
            } else {
                cost(s)
            };
            if around[i] < moved.map_or(best.1, |(_, m)| m) {
                moved = Some((s, around[i]));
            }
        }
        match moved {
            Some(m) => best = m,
            None => {
                settled = true;
                break;
            }
        }
    }
    // Out of moves: the point's own neighbours, for the parabolas.
    if !settled {
        for (i, (dx, dy)) in AXES.into_iter().enumerate() {
            around[i] = cost((best.0 .0 + dx, best.0 .1 + dy));
        }
    }
    let ((sx, sy), v) = best;
    // Past the search box the parabola has no second side: no shift.
    let vertex = |lo: u64, hi: u64| {
        if lo == u64::MAX || hi == u64::MAX {
            return 0.0;
        }
        let curve = lo as f64 + hi as f64 - 2.0 * v as f64;
        if curve > 0.0 {
            (0.5 * (lo as f64 - hi as f64) / curve).clamp(-0.5, 0.5)
        } else {
            0.0
        }
    };
    let x = from_lattice(sx as f64 + vertex(around[0], around[1]));
    let y = from_lattice(sy as f64 + vertex(around[2], around[3]));
    ((x - at.0).hypot(y - at.1) <= limit).then_some((x, y))
}

/// Modules (in pixels) under which a triple's finder centres are refined
/// by [`symmetric_centre`]: larger finders are measured well enough on the
/// binary image, whose runs span several pixels a module.
pub(crate) const SMALL_MODULE: f32 = 3.5;

/// A triple of small-module finders (see [`SMALL_MODULE`]) with its centres
/// refined: the three finders and the triple indexing them; `None` when
/// the modules are larger or no centre moved.
pub(crate) fn refined_triple(
    img: &BitImage,
    finders: &[Finder],
    t: &Triple,
) -> Option<([Finder; 3], Triple)> {
    if t.modules.iter().any(|&m| m >= SMALL_MODULE) {
        return None;
    }
    let mut three = [
        *finders.get(t.tl)?,
        *finders.get(t.tr)?,
        *finders.get(t.bl)?,
    ];
    let mut moved = false;
    for (f, &m) in three.iter_mut().zip(&t.modules) {
        if let Some((x, y)) = symmetric_centre(img, (f.x, f.y), m) {
            moved |= x != f.x || y != f.y;
            (f.x, f.y) = (x, y);
        }
    }
    moved.then_some((
        three,
        Triple {
            tl: 0,
            tr: 1,
            bl: 2,
            ..*t
        },
    ))
}

/// A lattice point's neighbours along the axes: left, right, up, down.
const AXES: [(i64, i64); 4] = [(-1, 0), (1, 0), (0, -1), (0, 1)];

/// Most moves of the descent: a centre within [`MAX_MOVE_MODULES`] of the
/// estimate is at most a few half-pixel steps away.
const MAX_STEPS: usize = 12;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::image::Gray;
    use crate::read::{attempt, binarize};

    /// Whether the module at `(u, v)` modules from a finder's centre is dark:
    /// the finder, its light separator, then scattered data modules.
    fn finder_dark(u: f32, v: f32) -> bool {
        let ring = u.abs().max(v.abs());
        if ring < 4.5 {
            return !(1.5..2.5).contains(&ring) && ring < 3.5;
        }
        let (i, j) = ((u + 4.5).floor() as i32, (v + 4.5).floor() as i32);
        (i * 7 + j * 13 + i * j) % 3 == 0
    }

    /// A finder of `module` pixels turned by `angle` and centred at
    /// `centre`, area-sampled, blurred twice by a 3 x 3 box (about 0.8 px)
    /// and with a few grey levels of fixed noise.
    fn rendered(centre: (f32, f32), module: f32, angle: f32) -> BitImage {
        rendered_with(centre, module, angle, finder_dark)
    }

    /// Whether the module at `(u, v)` modules from an alignment pattern's
    /// centre is dark: the 5 x 5 pattern in scattered data modules.
    fn alignment_dark(u: f32, v: f32) -> bool {
        let ring = u.abs().max(v.abs());
        if ring < 2.5 {
            return !(0.5..1.5).contains(&ring);
        }
        let (i, j) = ((u + 2.5).floor() as i32, (v + 2.5).floor() as i32);
        (i * 5 + j * 11 + i * j).rem_euclid(3) == 0
    }

    /// [`rendered`] for any pattern of modules.
    fn rendered_with(
        centre: (f32, f32),
        module: f32,
        angle: f32,
        dark: fn(f32, f32) -> bool,
    ) -> BitImage {
        rendered_blurred(centre, module, angle, dark, 2)
    }

    /// [`rendered_with`], blurred by the 3 x 3 box `passes` times (each
    /// adds 2/3 px^2 to the blur's variance).
    fn rendered_blurred(
        centre: (f32, f32),
        module: f32,
        angle: f32,
        dark: fn(f32, f32) -> bool,
        passes: usize,
    ) -> BitImage {
        let (w, h) = (64usize, 60usize);
        let (s, c) = angle.sin_cos();
        let mut data = vec![0u8; w * h];
        for y in 0..h {
            for x in 0..w {
                let mut light = 0;
                for k in 0..25 {
                    let px = x as f32 + ((k % 5) as f32 + 0.5) / 5.0 - centre.0;
                    let py = y as f32 + ((k / 5) as f32 + 0.5) / 5.0 - centre.1;
                    let (u, v) = ((c * px + s * py) / module, (-s * px + c * py) / module);
                    light += u32::from(!dark(u, v));
                }
                let noise = ((x * 31 + y * 17) % 7) as u32;
                data[y * w + x] = (30 + light * 7 + noise) as u8;
            }
        }
        let blur = |d: &[u8]| {
            let mut out = vec![0u8; w * h];
            for y in 0..h {
                for x in 0..w {
                    let mut sum = 0u32;
                    for (dx, dy) in (0..9).map(|k| (k % 3, k / 3)) {
                        let xx = (x + dx).saturating_sub(1).min(w - 1);
                        let yy = (y + dy).saturating_sub(1).min(h - 1);
                        sum += u32::from(d[yy * w + xx]);
                    }
                    out[y * w + x] = (sum / 9) as u8;
                }
            }
            out
        };
        let data = (0..passes).fold(data, |d, _| blur(&d));
        binarize::local(&Gray {
            width: w,
            height: h,
            data: std::sync::Arc::new(data),
        })
    }

    #[test]
    fn a_finders_edge_spread_tells_a_blurred_symbol_from_a_sharp_one() {
        // 7 px modules: the sharp finder's blur is 0.16 module, about a pole
        // scene's; the blurred one's 0.42, about the blur kind's middle.
        let module = 7.0;
        for angle in [0.0, 0.4, 0.8, 1.2] {
            let sharp = rendered_blurred((32.3, 29.6), module, angle, finder_dark, 2);
            let s = edge_spread(&sharp, (32.3, 29.6), module).expect("a spread");
            assert!(s < attempt::BLURRED_SPREAD, "sharp at {angle}: {s}");
            let passes = 13;
            let deviation = (passes as f32 * 2.0 / 3.0).sqrt() / module;
            let blurred = rendered_blurred((32.3, 29.6), module, angle, finder_dark, passes);
            let b = edge_spread(&blurred, (32.3, 29.6), module).expect("a spread");
            assert!(b >= attempt::BLURRED_SPREAD, "blurred at {angle}: {b}");
            assert!(
                (0.75..1.33).contains(&(b / deviation)),
                "blurred at {angle}: {b} for a deviation of {deviation}"
            );
        }
    }

    #[test]
    fn no_edge_spread_near_the_border_or_on_a_flat_area() {
        let img = rendered((32.3, 29.6), 7.0, 0.3);
        assert_eq!(edge_spread(&img, (10.0, 29.6), 7.0), None);
        // Nonsense sizes and places are refused, not computed.
        for (at, module) in [
            ((32.0, 30.0), f32::NAN),
            ((32.0, 30.0), 1e30),
            ((f32::INFINITY, 30.0), 7.0),
        ] {
            assert_eq!(edge_spread(&img, at, module), None);
        }
        let flat = binarize::local(&Gray {
            width: 64,
            height: 60,
            data: std::sync::Arc::new(vec![120u8; 64 * 60]),
        });
        assert_eq!(edge_spread(&flat, (32.0, 30.0), 7.0), None);
    }

    #[test]
    fn a_blurred_small_finder_comes_back_within_a_seventh_of_a_pixel() {
        for (centre, module, angle) in [
            ((30.37, 29.81), 2.2, 0.3),
            ((31.9, 28.45), 1.8, 1.1),
            ((32.55, 30.2), 2.6, 0.0),
            ((29.1, 31.66), 2.0, 2.4),
        ] {
            let img = rendered(centre, module, angle);
            // The first estimate half a pixel off, as a binary image gives it.
            let start = (centre.0 + 0.5, centre.1 - 0.4);
            let (x, y) = symmetric_centre(&img, start, module).expect("a centre");
            let off = (x - centre.0).hypot(y - centre.1);
            assert!(
                off < 0.15,
                "{centre:?} at {module} px: ({x}, {y}), {off} px off"
            );
        }
    }

    #[test]
    fn a_blurred_small_alignment_pattern_comes_back_within_a_fifth_of_a_pixel() {
        for (centre, module, angle) in [((30.37, 29.81), 2.2, 0.3), ((31.9, 28.45), 2.0, 1.1)] {
            let img = rendered_with(centre, module, angle, alignment_dark);
            let start = (centre.0 - 0.45, centre.1 + 0.4);
            let (x, y) = alignment_centre(&img, start, module).expect("a centre");
            let off = (x - centre.0).hypot(y - centre.1);
            assert!(
                off < 0.2,
                "{centre:?} at {module} px: ({x}, {y}), {off} px off"
            );
        }
    }

    #[test]
    fn an_inferred_finder_two_modules_off_comes_back_within_a_quarter_pixel() {
        // Where a diagonal pair's square puts the third corner of a tilted
        // symbol: about two modules from the finder, among data modules.
        for (centre, module, angle, off) in [
            ((30.37, 29.81), 2.2, 0.3, (1.6, -1.2)),
            ((31.9, 28.45), 2.6, 1.1, (-1.9, -0.7)),
            ((29.1, 31.66), 2.0, 2.4, (0.8, 2.1)),
        ] {
            let img = rendered(centre, module, angle);
            let start = (centre.0 + off.0 * module, centre.1 + off.1 * module);
            let (x, y) = inferred_centre(&img, start, module).expect("a centre");
            let miss = (x - centre.0).hypot(y - centre.1);
            assert!(
                miss < 0.25,
                "{centre:?} at {module} px from {start:?}: ({x}, {y}), {miss} px off"
            );
        }
    }

    #[test]
    fn no_centre_near_the_border_or_without_grey_levels() {
        let mut img = rendered((30.0, 30.0), 2.2, 0.0);
        assert!(symmetric_centre(&img, (6.0, 30.0), 2.2).is_none());
        img.levels = None;
        assert!(symmetric_centre(&img, (30.0, 30.0), 2.2).is_none());
    }

    /// A finder squeezed across a wrap: its seven module columns 1, 1, 2,
    /// 2, 3, 4 and 5 px wide from the edge, its rows 4 px high, its
    /// top-left corner at (10, 10); with `bridge`, a dark pixel row through
    /// the inner light ring on the right joins the core to the outer ring.
    fn squeezed_finder(bridge: bool) -> BitImage {
        let (w, h) = (48usize, 48usize);
        let edges = [0, 1, 2, 4, 6, 9, 13, 18];
        let mut data = vec![0u8; w * h];
        for y in 0..28 {
            for x in 0..18 {
                let col = edges.windows(2).position(|e| (e[0]..e[1]).contains(&x));
                let (u, v) = (col.unwrap_or(0) as i32 - 3, y as i32 / 4 - 3);
                let ring = u.abs().max(v.abs());
                let dark = ring != 2 || (bridge && u == 2 && y == 17);
                data[(y + 10) * w + x + 10] = u8::from(dark);
            }
        }
        BitImage {
            width: w,
            height: h,
            data,
            levels: None,
            inverted: false,
        }
    }

    #[test]
    fn a_squeezed_finders_core_centre_is_the_middle_of_its_core() {
        // Its runs put the centre 1.5 px off each way; the core spans
        // pixels 12..19 across and 18..30 down.
        let guess = Finder {
            x: 14.0,
            y: 25.5,
            module: 2.5,
            diagonal: 2.5,
            count: 3,
        };
        let (x, y) = core_centre(&squeezed_finder(false), &guess).expect("a core");
        assert!(
            (x - 15.5).abs() < 1e-9 && (y - 24.0).abs() < 1e-9,
            "({x}, {y})"
        );
        // Joined to the outer ring, the dark area is no core.
        assert_eq!(core_centre(&squeezed_finder(true), &guess), None);
    }
}

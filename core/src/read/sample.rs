//! Sampling: the map from module coordinates to image pixels (a homography,
//! or the piecewise map of `locate`), the grey level at each module centre
//! against the local threshold, and the checks that tell a good map from a
//! bad one (timing patterns, fit score) and improve it (refinement).

use super::binarize::{level_counts, otsu_of, BitImage};
use crate::decode::grid::ModuleGrid;

/// A point in module coordinates and the image point it corresponds to.
pub(crate) type PointPair = ((f64, f64), (f64, f64));

/// A plane projective transform `(u, v) -> (x, y)`, as the 3 x 3 matrix of
/// `[u v 1] * M` (row-vector convention), row-major.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Homography {
    m: [f64; 9],
}

impl Homography {
    /// The transform taking the unit square's corners (0,0), (1,0), (1,1), (0,1)
    /// to `q[0..4]` (Heckbert's closed form); `None` for a degenerate quad.
    fn square_to_quad(q: [(f64, f64); 4]) -> Option<Homography> {
        let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = q;
        let (dx3, dy3) = (x0 - x1 + x2 - x3, y0 - y1 + y2 - y3);
        let (dx1, dx2, dy1, dy2) = (x1 - x2, x3 - x2, y1 - y2, y3 - y2);
        let den = dx1 * dy2 - dx2 * dy1;
        if den.abs() < 1e-12 {
            return None;
        }
        let a13 = (dx3 * dy2 - dx2 * dy3) / den;
        let a23 = (dx1 * dy3 - dx3 * dy1) / den;
        Some(Homography {
            m: [
                x1 - x0 + a13 * x1,
                y1 - y0 + a13 * y1,
                a13,
                x3 - x0 + a23 * x3,
                y3 - y0 + a23 * y3,
                a23,
                x0,
                y0,
                1.0,
            ],
        })
    }

    fn inverse(&self) -> Option<Homography> {
        let [a, b, c, d, e, f, g, h, i] = self.m;
        let det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        if det.abs() < 1e-12 {
            return None;
        }
        // The adjugate is the inverse up to scale, which a homography ignores.
        Some(Homography {
            m: [
                e * i - f * h,
                c * h - b * i,
                b * f - c * e,
                f * g - d * i,
                a * i - c * g,
                c * d - a * f,
                d * h - e * g,
                b * g - a * h,
                a * e - b * d,
            ],
        })
    }

    fn then(&self, next: &Homography) -> Homography {
        let (a, b) = (&self.m, &next.m);
        let mut m = [0.0; 9];
        for r in 0..3 {
            for c in 0..3 {
                m[r * 3 + c] = (0..3).map(|k| a[r * 3 + k] * b[k * 3 + c]).sum();
            }
        }
        Homography { m }
    }

    /// The transform taking each `src[i]` to `dst[i]`.
    pub(crate) fn from_quads(src: [(f64, f64); 4], dst: [(f64, f64); 4]) -> Option<Homography> {
        let to_square = Homography::square_to_quad(src)?.inverse()?;
        Some(to_square.then(&Homography::square_to_quad(dst)?))
    }

    /// The transform `x = (h0 u + h1 v + h2) / (h6 u + h7 v + h8)`,
    /// `y = (h3 u + h4 v + h5) / (h6 u + h7 v + h8)`.
    pub(crate) fn from_rows(h: [f64; 9]) -> Homography {
        Homography {
            m: [h[0], h[3], h[6], h[1], h[4], h[7], h[2], h[5], h[8]],
        }
    }

    /// The transform closest (algebraic least squares, coordinates
    /// normalised) to mapping each `src[i]` to `dst[i]`; at least four
    /// pairs, `None` if they are degenerate.
    pub(crate) fn fit(pairs: &[PointPair]) -> Option<Homography> {
        if pairs.len() < 4 {
            return None;
        }
        // Normalise both sides to centroid 0 and mean distance about 1.
        let norm = |pts: &mut dyn Iterator<Item = (f64, f64)>| {
            let v: Vec<(f64, f64)> = pts.collect();
            let n = v.len() as f64;
            let (cx, cy) = v
                .iter()
                .fold((0.0, 0.0), |(a, b), p| (a + p.0 / n, b + p.1 / n));
            let d = v.iter().map(|p| (p.0 - cx).hypot(p.1 - cy)).sum::<f64>() / n;
            (cx, cy, if d > 1e-9 { 1.0 / d } else { 1.0 })
        };
        let (ucx, ucy, us) = norm(&mut pairs.iter().map(|p| p.0));
        let (xcx, xcy, xs) = norm(&mut pairs.iter().map(|p| p.1));
        // Normal equations of the 8 unknowns (h8 = 1).
        let mut a = [[0.0f64; 9]; 8];
        for &((u, v), (x, y)) in pairs {
            let (u, v) = ((u - ucx) * us, (v - ucy) * us);
            let (x, y) = ((x - xcx) * xs, (y - xcy) * xs);
            let rows = [
                ([u, v, 1.0, 0.0, 0.0, 0.0, -u * x, -v * x], x),
                ([0.0, 0.0, 0.0, u, v, 1.0, -u * y, -v * y], y),
            ];
            for (r, b) in rows {
                for i in 0..8 {
                    for j in 0..8 {
                        a[i][j] += r[i] * r[j];
                    }
                    a[i][8] += r[i] * b;
                }
            }
        }
        // Gaussian elimination with partial pivoting.
        for col in 0..8 {
            let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
            if a[pivot][col].abs() < 1e-12 {
                return None;
            }
            a.swap(col, pivot);
            let pivot_row = a[col];
            for (r, row) in a.iter_mut().enumerate() {
                if r != col {
                    let f = row[col] / pivot_row[col];
                    for (cell, p) in row.iter_mut().zip(pivot_row).skip(col) {
                        *cell -= f * p;
                    }
                }
            }
        }
        let h: Vec<f64> = (0..8).map(|i| a[i][8] / a[i][i]).collect();
        let n = Homography::from_rows([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1.0]);
        // Undo the normalisations: module -> normalised module -> normalised
        // image -> image.
        let to_norm =
            Homography::from_rows([us, 0.0, -ucx * us, 0.0, us, -ucy * us, 0.0, 0.0, 1.0]);
        let from_norm =
            Homography::from_rows([1.0 / xs, 0.0, xcx, 0.0, 1.0 / xs, xcy, 0.0, 0.0, 1.0]);
        Some(to_norm.then(&n).then(&from_norm))
    }

    #[inline]
    pub(crate) fn map(&self, u: f64, v: f64) -> (f64, f64) {
        let m = &self.m;
        let w = m[2] * u + m[5] * v + m[8];
        (
            (m[0] * u + m[3] * v + m[6]) / w,
            (m[1] * u + m[4] * v + m[7]) / w,
        )
    }
}

/// Samples module `(x, y)` through `h`: the grey level at the module centre,
/// interpolated between pixels, against the local threshold (on blurred or
/// small modules this beats any vote of binary pixels). Returns dark and a
/// confidence that grows with the distance from the threshold (at least 1),
/// or 0 when the centre is off the image.
#[inline(always)]
pub(crate) fn sample_module(img: &BitImage, h: &impl ModuleMap, x: usize, y: usize) -> (bool, u8) {
    let (px, py) = h.map(x as f64 + 0.5, y as f64 + 0.5);
    if !(px >= 0.0 && py >= 0.0 && px < img.width as f64 && py < img.height as f64) {
        return (false, 0);
    }
    let (dark, margin) = img.dark_at(px, py);
    // A module within a few grey levels of the threshold is as good as unknown.
    (dark, margin.saturating_mul(4).max(1))
}

/// How well `h` puts module centres inside modules: the summed distance
/// from the local threshold of the grey level at a lattice of module centres
/// (every third module along both axes, sparser on symbols over 127 modules
/// wide; finders left out: they fit every candidate alike). Every third
/// module reads the most: a denser lattice costs more and reads less, a
/// sparser one misses fits. A centre that falls on the edge between a dark
/// and a light module reads near the threshold, so a map off by part of a
/// module scores lower than the right one. Out of line in WebAssembly: one
/// copy per map type, however many searches rank maps by it.
#[cfg_attr(target_arch = "wasm32", inline(never))]
pub(crate) fn fit_score(img: &BitImage, h: &impl ModuleMap, dim: usize) -> u64 {
    let (w, ht) = (img.width as f64, img.height as f64);
    let stride = (dim / 32).max(3);
    let mut sum = 0u64;
    for y in (0..dim).step_by(stride) {
        for x in (0..dim).step_by(stride) {
            let in_finder = (x < 8 || x >= dim - 8) && y < 8 || x < 8 && y >= dim - 8;
            if in_finder {
                continue;
            }
            let (px, py) = h.map(x as f64 + 0.5, y as f64 + 0.5);
            if px >= 0.0 && py >= 0.0 && px < w && py < ht {
                sum += u64::from(img.dark_at(px, py).1);
            }
        }
    }
    sum
}

/// Refines a map whose grid read plausibly but failed Reed-Solomon: the
/// image positions of four module-space anchors (the three finder centres
/// and the bottom-right alignment centre) are moved, one at a time by a
/// quarter and then an eighth of a module along either image axis, while
/// [`fit_score`] improves (coordinate ascent, at most [`REFINE_ROUNDS`]
/// moves). Finder centres measured on a thresholded image are easily a
/// fraction of a module off, which puts the far modules of the grid on
/// their edges; this recovers what a second binarization of an enlarged
/// copy of the image would, at a fraction of its cost. `None` if no move
/// improved the fit.
pub(crate) fn refine(img: &BitImage, h: &Homography, dim: usize) -> Option<Homography> {
    let d = dim as f64;
    let src = [
        (3.5, 3.5),
        (d - 3.5, 3.5),
        (d - 6.5, d - 6.5),
        (3.5, d - 3.5),
    ];
    let mut dst = src.map(|(u, v)| h.map(u, v));
    let (o, x1, y1) = (h.map(3.5, 3.5), h.map(4.5, 3.5), h.map(3.5, 4.5));
    let module = ((x1.0 - o.0).hypot(x1.1 - o.1) + (y1.0 - o.0).hypot(y1.1 - o.1)) / 2.0;
    if !module.is_finite() || module <= 0.0 {
        return None;
    }
    let mut best = fit_score(img, h, dim);
    let mut refined = None;
    let mut step = module / 4.0;
    for _ in 0..REFINE_ROUNDS {
        let mut improved = None;
        for i in 0..4 {
            for (dx, dy) in [(1.0, 0.0), (-1.0, 0.0), (0.0, 1.0), (0.0, -1.0)] {
                let mut moved = dst;
                moved[i] = (dst[i].0 + dx * step, dst[i].1 + dy * step);
                if let Some(g) = Homography::from_quads(src, moved) {
                    let score = fit_score(img, &g, dim);
                    if score > best {
                        best = score;
                        improved = Some((moved, g));
                    }
                }
            }
        }
        match improved {
            Some((moved, g)) => {
                dst = moved;
                refined = Some(g);
            }
            // No move helps at this step: try half of it, down to an
            // eighth of a module.
            None if step > module / 6.0 => step /= 2.0,
            None => break,
        }
    }
    refined
}

/// Most moves (and step halvings) in one [`refine`]: the fewest that lose no
/// read; more only cost time.
const REFINE_ROUNDS: usize = 4;

/// Whether the timing patterns (row 6 and column 6 between the finders, dark
/// on even indices), `wrong` of them misread (see [`timing_wrong`]), are at
/// least three-quarters right: a cheap test that rejects most wrong triples,
/// dimensions and transforms before the whole grid is sampled.
pub(crate) fn timing_plausible(wrong: usize, dim: usize) -> bool {
    wrong <= timing_limit(dim)
}

/// How many of the `2 * (dim - 16)` timing modules read wrong through `h`,
/// read through [`module_dark`]: for maps checked once each (piecewise
/// fits), not ranked by the hundred.
pub(crate) fn timing_wrong(img: &BitImage, h: &impl ModuleMap, dim: usize) -> usize {
    count_timing_wrong(dim, usize::MAX, |x, y| module_dark(img, h, x, y))
}

/// [`timing_wrong`], but stops counting past `cap` (returning `cap + 1`):
/// most hypotheses are noise, and half their timing modules read wrong.
pub(crate) fn timing_wrong_upto(
    img: &BitImage,
    h: &impl ModuleMap,
    dim: usize,
    cap: usize,
) -> usize {
    count_timing_wrong(dim, cap, |x, y| sample_module(img, h, x, y).0)
}

/// [`timing_wrong_upto`] on the binary pixel under each module centre
/// instead of interpolated grey levels: several times cheaper, for ranking
/// many candidate transforms before the best few are checked properly.
pub(crate) fn timing_wrong_coarse(
    img: &BitImage,
    h: &impl ModuleMap,
    dim: usize,
    cap: usize,
) -> usize {
    timing_wrong_coarse_early(img, h, dim, cap, usize::MAX)
}

/// [`timing_wrong_coarse`], giving up once the first `early` modules of
/// each timing pattern are read and more than half of those read wrong
/// (see `locate::transforms_with`).
pub(crate) fn timing_wrong_coarse_early(
    img: &BitImage,
    h: &impl ModuleMap,
    dim: usize,
    cap: usize,
    early: usize,
) -> usize {
    count_timing_wrong_early(dim, cap, early, |x, y| {
        let (px, py) = h.map(x as f64 + 0.5, y as f64 + 0.5);
        // Truncation is floor for the points on the image (`f64::floor` is a
        // library call on baseline x86-64, a tenth of a noisy frame's time);
        // points left of or above it read light, and `as` saturates, so
        // far-off and NaN points read light too.
        px >= 0.0 && py >= 0.0 && img.get_i(px as i64, py as i64)
    })
}

/// Modules of the timing patterns and of every alignment pattern that read
/// wrong through `h`: the symbol's known structure away from the finders,
/// which a map off by a module in one corner reads wrong there, while
/// [`fit_score`] (modules centred, whatever their colour) may not tell.
/// Stops counting past `cap` (returning more than `cap`): ranking many maps
/// needs only the best one's count exactly.
pub(crate) fn structure_wrong(img: &BitImage, h: &impl ModuleMap, dim: usize, cap: usize) -> usize {
    let mut wrong = timing_wrong_upto(img, h, dim, cap);
    let Some(version) = crate::symbol::Version::from_size(dim) else {
        return wrong;
    };
    let centres = crate::symbol::capacity::alignment_positions(version);
    let last = centres.len().saturating_sub(1);
    for (j, &cy) in centres.iter().enumerate() {
        for (i, &cx) in centres.iter().enumerate() {
            // The three corners under finder patterns hold none.
            if (i == 0 && (j == 0 || j == last)) || (i == last && j == 0) {
                continue;
            }
            for y in cy - 2..=cy + 2 {
                for x in cx - 2..=cx + 2 {
                    // Dark centre and outer ring, light ring between.
                    let ring = x.abs_diff(cx).max(y.abs_diff(cy));
                    wrong += usize::from(module_dark(img, h, x, y) != (ring != 1));
                }
            }
            if wrong > cap {
                return wrong;
            }
        }
    }
    wrong
}

/// Whether module `(x, y)` reads dark through `h` (see [`module_sample`]),
/// for the checks that read a few modules per map (function patterns,
/// format information) rather than whole grids.
#[inline]
pub(crate) fn module_dark(img: &BitImage, h: &impl ModuleMap, x: usize, y: usize) -> bool {
    module_sample(img, h, x, y).0
}

/// [`sample_module`] with the grey level read by [`point_dark`], for those
/// checks and for the grids of fitted maps (piecewise, cylinder: one grid
/// per fit, not per hypothesis). Out of line in WebAssembly, one copy per
/// map type where each inlined copy would add to the package; inlined
/// elsewhere.
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn module_sample(img: &BitImage, h: &impl ModuleMap, x: usize, y: usize) -> (bool, u8) {
    let (px, py) = h.map(x as f64 + 0.5, y as f64 + 0.5);
    if !(px >= 0.0 && py >= 0.0 && px < img.width as f64 && py < img.height as f64) {
        return (false, 0);
    }
    let (dark, margin) = point_dark(img, px, py);
    (dark, margin.saturating_mul(4).max(1))
}

/// [`BitImage::dark_at`] for [`module_sample`] and for the checks that read
/// image points rather than modules of a map (alignment rings, timing
/// lines, version information): one copy in WebAssembly, inlined elsewhere.
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn point_dark(img: &BitImage, x: f64, y: f64) -> (bool, u8) {
    img.dark_at_cold(x, y)
}

/// An alignment pattern's centre near `at` by its grey levels, for modules
/// too small for the run-length search (about 2 px): the 5 x 5 module
/// centres, spaced by the module vectors `ux` and `uy`, are laid at offsets
/// of half a module up to `reach` modules from `at`, and the placement whose
/// modules sit farthest on the right side of the threshold wins, if at most
/// one of its 25 modules reads wrong. Placements partly off the image are
/// skipped: a symbol cut by the image edge keeps the patterns still on it.
/// Out of line in WebAssembly (three callers, none per module).
#[cfg_attr(target_arch = "wasm32", inline(never))]
pub(crate) fn alignment_by_grey(
    img: &BitImage,
    at: (f64, f64),
    ux: (f64, f64),
    uy: (f64, f64),
    reach: i32,
) -> Option<(f64, f64)> {
    let mut best: Option<(i64, (f64, f64))> = None;
    let reach = 2 * reach;
    for oy in -reach..=reach {
        for ox in -reach..=reach {
            let (fx, fy) = (f64::from(ox) / 2.0, f64::from(oy) / 2.0);
            let c = (at.0 + fx * ux.0 + fy * uy.0, at.1 + fx * ux.1 + fy * uy.1);
            let Some((wrong, score)) = ring_read(img, c, ux, uy) else {
                continue;
            };
            if wrong <= RING_SLACK && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, c));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// An alignment pattern on a timing line (row or column 6) near `guess`,
/// placed by the line itself: `steps` modules on from the located point
/// `from` (a grid point of the same line), every module in between read
/// along the straight line from `from` must alternate (dark on even
/// indices, as the timing pattern and the alignment patterns on it do), and
/// the 5 x 5 ring at the candidate must read as an alignment pattern. The
/// candidates lie at half-module offsets up to [`TIMING_REACH`] modules from
/// `guess` along the module vectors `ux` and `uy`; the one with the fewest
/// misread modules wins, if at most [`TIMING_SLACK`] of the line's and one of
/// the ring's read wrong. Curled paper bends the symbol's edges away from
/// where one homography (or a parallelogram of neighbours) puts them, by
/// more than the ordinary search's reach; the timing line follows the bend.
pub(crate) fn alignment_on_timing(
    img: &BitImage,
    from: (f64, f64),
    guess: (f64, f64),
    steps: usize,
    ux: (f64, f64),
    uy: (f64, f64),
) -> Option<(f64, f64)> {
    let (w, h) = (img.width as f64, img.height as f64);
    let on_image = |p: (f64, f64)| p.0 >= 0.0 && p.1 >= 0.0 && p.0 < w && p.1 < h;
    let reach = 2 * TIMING_REACH;
    let mut best: Option<(usize, i64, (f64, f64))> = None;
    for oy in -reach..=reach {
        for ox in -reach..=reach {
            let (fx, fy) = (f64::from(ox) / 2.0, f64::from(oy) / 2.0);
            let c = (
                guess.0 + fx * ux.0 + fy * uy.0,
                guess.1 + fx * ux.1 + fy * uy.1,
            );
            if !on_image(c) {
                continue;
            }
            // The line first: it rejects almost every candidate within a
            // few modules.
            let wrong = timing_line_wrong(img, from, c, steps, TIMING_SLACK);
            if wrong > TIMING_SLACK {
                continue;
            }
            let Some((ring_wrong, score)) = ring_read(img, c, ux, uy) else {
                continue;
            };
            if ring_wrong > RING_SLACK {
                continue;
            }
            let total = wrong + ring_wrong;
            if best.is_none_or(|(t, s, _)| total < t || (total == t && score > s)) {
                best = Some((total, score, c));
            }
        }
    }
    best.map(|(_, _, c)| c)
}

/// Modules of the 5 x 5 alignment pattern centred at `c` (module vectors
/// `ux`, `uy`) that read wrong by the grey levels, with the summed margins
/// of those that read right less those that do not; `None` when part of it
/// is off the image. The count stops past [`RING_SLACK`] wrong. Out of line
/// in WebAssembly, like [`module_dark`].
#[cfg_attr(target_arch = "wasm32", inline(never))]
fn ring_read(
    img: &BitImage,
    c: (f64, f64),
    ux: (f64, f64),
    uy: (f64, f64),
) -> Option<(usize, i64)> {
    let (w, h) = (img.width as f64, img.height as f64);
    // The 25 centres form a parallelogram: all are on the image when its
    // four corners are, and the corners' least and greatest coordinates are
    // the centre's less and plus two of each vector's reach along the axis
    // (the same sums). Checked first, so the count below may stop early.
    let (rx, ry) = (
        (2.0 * ux.0.abs(), 2.0 * uy.0.abs()),
        (2.0 * ux.1.abs(), 2.0 * uy.1.abs()),
    );
    let (x0, x1) = (c.0 - rx.0 - rx.1, c.0 + rx.0 + rx.1);
    let (y0, y1) = (c.1 - ry.0 - ry.1, c.1 + ry.0 + ry.1);
    if !(x0 >= 0.0 && y0 >= 0.0 && x1 < w && y1 < h) {
        return None;
    }
    let (mut wrong, mut score) = (0, 0i64);
    for j in -2i32..=2 {
        for i in -2i32..=2 {
            let (a, b) = (f64::from(i), f64::from(j));
            let (px, py) = (c.0 + a * ux.0 + b * uy.0, c.1 + a * ux.1 + b * uy.1);
            let (dark, margin) = point_dark(img, px, py);
            if dark == (i.abs().max(j.abs()) != 1) {
                score += i64::from(margin);
            } else {
                score -= i64::from(margin);
                wrong += 1;
                // Every caller rejects a pattern with two modules wrong:
                // most placements tried are not one, and stop here.
                if wrong > RING_SLACK {
                    return Some((wrong, score));
                }
            }
        }
    }
    Some((wrong, score))
}

/// Modules of an alignment pattern that may read wrong for it to count as
/// one (of its 25).
pub(crate) const RING_SLACK: usize = 1;

/// Modules of the alignment pattern centred at `c` that read wrong (see
/// [`ring_read`]); `None` when part of it is off the image.
pub(crate) fn ring_wrong(
    img: &BitImage,
    c: (f64, f64),
    ux: (f64, f64),
    uy: (f64, f64),
) -> Option<usize> {
    ring_read(img, c, ux, uy).map(|r| r.0)
}

/// Modules strictly between two grid points `steps` modules apart on a
/// timing line (row or column 6), read along the straight line from `from`
/// to `to`, that do not alternate (dark on even indices): counted up to
/// `cap + 1`. Out of line in WebAssembly, like [`module_dark`].
#[cfg_attr(target_arch = "wasm32", inline(never))]
pub(crate) fn timing_line_wrong(
    img: &BitImage,
    from: (f64, f64),
    to: (f64, f64),
    steps: usize,
    cap: usize,
) -> usize {
    let mut wrong = 0;
    for t in 1..steps {
        let f = t as f64 / steps as f64;
        let p = (from.0 + (to.0 - from.0) * f, from.1 + (to.1 - from.1) * f);
        if point_dark(img, p.0, p.1).0 != (t % 2 == 0) {
            wrong += 1;
            if wrong > cap {
                break;
            }
        }
    }
    wrong
}

/// How far (modules, along either axis) [`alignment_on_timing`] looks from
/// its guess.
const TIMING_REACH: i32 = 5;

/// Modules of the line between two grid points that may read wrong for
/// [`alignment_on_timing`].
pub(crate) const TIMING_SLACK: usize = 3;

/// Timing modules (row 6 and column 6 between the finders, dark on even
/// indices) that `dark` reads wrong, counted up to `cap + 1`.
#[inline]
fn count_timing_wrong(dim: usize, cap: usize, dark: impl Fn(usize, usize) -> bool) -> usize {
    count_timing_wrong_early(dim, cap, usize::MAX, dark)
}

/// [`count_timing_wrong`], giving up (`cap + 1`) once the first `early`
/// modules of each timing pattern are read and more than half of those
/// read wrong.
#[inline]
fn count_timing_wrong_early(
    dim: usize,
    cap: usize,
    early: usize,
    dark: impl Fn(usize, usize) -> bool,
) -> usize {
    let mut wrong = 0;
    for i in 8..dim - 8 {
        wrong += usize::from(dark(i, 6) != (i % 2 == 0)) + usize::from(dark(6, i) != (i % 2 == 0));
        if wrong > cap || (i - 7 == early && wrong > early) {
            return cap.saturating_add(1);
        }
    }
    wrong
}

/// Timing modules read wrong (coarsely) beyond which a transform reads the
/// timing patterns about as often right as a coin would: noise, not a
/// warped symbol.
pub(crate) fn timing_noise(dim: usize) -> usize {
    timing_limit(dim) * 7 / 4
}

/// Most timing modules that may read wrong for [`timing_plausible`].
pub(crate) fn timing_limit(dim: usize) -> usize {
    (dim - 16) / 2
}

/// Samples the whole `dim` x `dim` grid through `h` (see [`sample_module`]).
pub(crate) fn sample(
    img: &BitImage,
    h: &impl ModuleMap,
    dim: usize,
    mut set: impl FnMut(usize, usize, bool, u8),
) {
    for y in 0..dim {
        for x in 0..dim {
            let (dark, conf) = sample_module(img, h, x, y);
            set(x, y, dark, conf);
        }
    }
}

/// Samples the grid through `h` against one threshold of the symbol's own:
/// Otsu's split of the grey levels at its module centres. The local
/// threshold of a small symbol near its quiet zone takes in the light label
/// around it, and a global one the whole frame; either can sit well above
/// the symbol's own dark-light split, and then most blurred light modules
/// of 2 px read dark. With `per_column`, each column of modules gets a split
/// of its own instead: across a label wrapped round a pole the light falls
/// off and the edge columns blur into each other, so one split for the
/// whole symbol reads them wrong. Sets every module of `grid` and returns
/// whether any with a grey level reads other than in `like` (only then is
/// there anything new to decode).
/// Out of line in WebAssembly, one copy for every map (a rescue, run for
/// few maps).
#[cfg_attr(target_arch = "wasm32", inline(never))]
pub(crate) fn sample_own_threshold(
    img: &BitImage,
    h: &dyn ModuleMap,
    dim: usize,
    per_column: bool,
    like: &ModuleGrid,
    grid: &mut ModuleGrid,
) -> bool {
    let (w, ht) = (img.width as f64, img.height as f64);
    // Column by column (x outer), as `own_threshold` takes them.
    let mut levels = Vec::with_capacity(dim * dim);
    for x in 0..dim {
        for y in 0..dim {
            let (px, py) = h.map(x as f64 + 0.5, y as f64 + 0.5);
            let inside = px >= 0.0 && py >= 0.0 && px < w && py < ht;
            levels.push(if inside { img.grey_at(px, py) } else { None });
        }
    }
    own_threshold(&levels, img.inverted, dim, per_column, like, grid)
}

/// [`sample_own_threshold`] from the grey levels at the module centres,
/// column by column (`levels[x * dim + y]`, `None` off the image or without
/// grey levels), of bits inverted as `inverted` says.
pub(crate) fn own_threshold(
    levels: &[Option<u8>],
    inverted: bool,
    dim: usize,
    per_column: bool,
    like: &ModuleGrid,
    grid: &mut ModuleGrid,
) -> bool {
    // Per column, the column's levels sorted, for Otsu's split of just the
    // levels present (a few dozen, not 256 bins); else one histogram.
    let mut column: Vec<u8> = Vec::with_capacity(dim);
    let mut hist = [0u64; 256];
    let mut splits = Vec::with_capacity(dim);
    for x in 0..dim {
        for level in levels.iter().skip(x * dim).take(dim).flatten() {
            if per_column {
                column.push(*level);
            } else {
                hist[usize::from(*level)] += 1;
            }
        }
        if per_column {
            column.sort_unstable();
            splits.push(otsu_of(level_counts(&column)) as i32);
            column.clear();
        }
    }
    // Dark iff the level is at most Otsu's split (as in `binarize::global`).
    let whole = super::binarize::otsu(&hist) as i32;
    let mut differs = false;
    for (i, level) in levels.iter().enumerate() {
        let (x, y) = (i / dim, i % dim);
        let t = splits.get(x).copied().unwrap_or(whole);
        match *level {
            Some(v) => {
                let dark = (i32::from(v) <= t) != inverted;
                differs |= like.get(x, y) != dark;
                // Confidence as in `sample_module`: four per grey level from
                // the threshold, halfway between two levels at the split.
                let margin = (2 * i32::from(v) - (2 * t + 1)).unsigned_abs() / 2;
                grid.set(x, y, dark, margin.saturating_mul(4).clamp(1, 255) as u8);
            }
            None => grid.set(x, y, false, 0),
        }
    }
    differs
}

/// [`sample_fitted`] that keeps each module's grey level too, column by
/// column as [`own_threshold`] takes them (`levels` is cleared first): the
/// same interpolation serves both reads of a fitted map.
pub(crate) fn sample_fitted_levels(
    img: &BitImage,
    h: &impl ModuleMap,
    dim: usize,
    levels: &mut Vec<Option<u8>>,
    mut set: impl FnMut(usize, usize, bool, u8),
) {
    levels.clear();
    levels.resize(dim * dim, None);
    let (w, ht) = (img.width as f64, img.height as f64);
    for y in 0..dim {
        for x in 0..dim {
            let (px, py) = h.map(x as f64 + 0.5, y as f64 + 0.5);
            if !(px >= 0.0 && py >= 0.0 && px < w && py < ht) {
                set(x, y, false, 0);
                continue;
            }
            let (dark, margin, grey) = img.dark_and_grey(px, py);
            set(x, y, dark, margin.saturating_mul(4).max(1));
            levels[x * dim + y] = grey;
        }
    }
}

/// [`sample`] through [`module_sample`], for the grids of fitted maps.
pub(crate) fn sample_fitted(
    img: &BitImage,
    h: &impl ModuleMap,
    dim: usize,
    mut set: impl FnMut(usize, usize, bool, u8),
) {
    for y in 0..dim {
        for x in 0..dim {
            let (dark, conf) = module_sample(img, h, x, y);
            set(x, y, dark, conf);
        }
    }
}

/// Sorts maps by their key, least first, equal keys in the order given: one
/// sort (one copy in the package) for the rankings of maps.
pub(crate) fn rank(maps: &mut [(u64, Homography)]) {
    maps.sort_by_key(|m| m.0);
}

/// The symbol's outer corners (TL, TR, BR, BL) in image coordinates.
pub(crate) fn corners(h: &impl ModuleMap, dim: usize) -> [(f32, f32); 4] {
    let d = dim as f64;
    [(0.0, 0.0), (d, 0.0), (d, d), (0.0, d)].map(|(u, v)| {
        let (x, y) = h.map(u, v);
        (x as f32, y as f32)
    })
}

/// Module coordinates to image pixels.
pub(crate) trait ModuleMap {
    fn map(&self, u: f64, v: f64) -> (f64, f64);
}

impl ModuleMap for Homography {
    #[inline]
    fn map(&self, u: f64, v: f64) -> (f64, f64) {
        Homography::map(self, u, v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_early_timing_test_gives_up_only_on_a_noisy_start() {
        // Version 4 (33 modules): 17 timing modules along each pattern.
        let (dim, cap) = (33, 20);
        let right = |i: usize| i % 2 == 0;
        // Wrong on 9 of the first 16 reads (both patterns' first eight),
        // right after: the full count is 9, under the cap, but the early
        // test gives up.
        let noisy_start = |x: usize, y: usize| {
            let (i, along_row) = if y == 6 { (x, true) } else { (y, false) };
            let wrong = i < 12 || (i == 12 && along_row);
            right(i) != wrong
        };
        assert_eq!(count_timing_wrong(dim, cap, noisy_start), 9);
        assert_eq!(count_timing_wrong_early(dim, cap, 8, noisy_start), cap + 1);
        // Half of the first 16 wrong (8) is kept, and counted to the end.
        let half = |x: usize, y: usize| {
            let i = if y == 6 { x } else { y };
            right(i) != (i < 12)
        };
        assert_eq!(count_timing_wrong_early(dim, cap, 8, half), 8);
        // Wrong only past the first eight: counted in full, up to the cap.
        let late = |x: usize, y: usize| {
            let i = if y == 6 { x } else { y };
            right(i) != (i >= 16)
        };
        assert_eq!(count_timing_wrong_early(dim, cap, 8, late), 18);
        assert_eq!(count_timing_wrong_early(dim, 10, 8, late), 11);
    }

    #[test]
    fn maps_the_four_points_exactly() {
        let src = [(3.5, 3.5), (25.5, 3.5), (22.5, 22.5), (3.5, 25.5)];
        let dst = [(100.0, 80.0), (300.0, 95.0), (270.0, 290.0), (90.0, 260.0)];
        let h = Homography::from_quads(src, dst).expect("non-degenerate");
        for (s, d) in src.iter().zip(&dst) {
            let (x, y) = h.map(s.0, s.1);
            assert!(
                (x - d.0).abs() < 1e-6 && (y - d.1).abs() < 1e-6,
                "{s:?} -> ({x}, {y}) not {d:?}"
            );
        }
        assert!(Homography::from_quads(src, [(0.0, 0.0); 4]).is_none());
    }

    /// A version 10 symbol (57 modules, alignment patterns on rows and
    /// columns 6, 28 and 50) at 3 px per module with a 4-module quiet zone,
    /// blurred once and binarized locally; module `(u, v)` is at pixel
    /// `(12 + 3 u, 12 + 3 v)`.
    fn drawn_v10() -> BitImage {
        let code = crate::encode_text(
            "the timing pattern places the alignment pattern",
            &crate::EncodeOptions::default()
                .version(crate::Version::new(10).expect("v10"))
                .ec_level(crate::EcLevel::M),
        )
        .expect("fits");
        let grid = civiqr_testkit::Grid::from_fn(57, 57, |x, y| code.get(x, y));
        let drawn = civiqr_testkit::Raster::new(3).levels(40, 210).draw(&grid);
        super::super::binarize::local(&drawn.box3_blur().into())
    }

    /// A version 1 symbol of `text` drawn at `m` px a module from (`at`,
    /// `at`) on a `side` px square of grey `background`, module (x, dark)
    /// at grey `level(x, dark)`; its global threshold's bits and its map.
    fn drawn_v1(
        text: &str,
        (side, at, m): (usize, f64, f64),
        background: u8,
        level: impl Fn(u8, bool) -> u8,
    ) -> (crate::QrCode, BitImage, Homography) {
        let code = crate::encode_text(text, &crate::EncodeOptions::default()).expect("fits");
        let mut data = vec![background; side * side];
        for (i, v) in data.iter_mut().enumerate() {
            let (u, w) = ((i % side) as f64 - at, (i / side) as f64 - at);
            let (x, y) = ((u / m).floor(), (w / m).floor());
            if (0.0..21.0).contains(&x) && (0.0..21.0).contains(&y) {
                *v = level(x as u8, code.get(x as usize, y as usize));
            }
        }
        let gray = super::super::image::Gray {
            width: side,
            height: side,
            data: std::sync::Arc::new(data),
        };
        let img = super::super::binarize::global(&gray);
        let src = [(0.0, 0.0), (21.0, 0.0), (21.0, 21.0), (0.0, 21.0)];
        let dst = src.map(|(u, v)| (at + m * u, at + m * v));
        let h = Homography::from_quads(src, dst).expect("non-degenerate");
        (code, img, h)
    }

    /// Modules of `grid` that read other than `code`'s.
    fn modules_wrong(grid: &ModuleGrid, code: &crate::QrCode) -> usize {
        (0..21 * 21)
            .filter(|&i| grid.get(i % 21, i / 21) != code.get(i % 21, i / 21))
            .count()
    }

    #[test]
    fn the_symbols_own_threshold_reads_light_modules_a_frame_threshold_calls_dark() {
        // Version 1 at 3 px a module, dark 60 and light 150, on a white
        // (250) frame that fills most of the image: Otsu's split of the
        // whole frame falls between 150 and 250, so every module reads dark.
        let (code, img, h) = drawn_v1("own threshold", (150, 30.0, 3.0), 250, |_, dark| {
            if dark {
                60
            } else {
                150
            }
        });
        let mut frame = ModuleGrid::new(21);
        sample(&img, &h, 21, |x, y, dark, conf| frame.set(x, y, dark, conf));
        assert!(modules_wrong(&frame, &code) > 100);
        let mut own = ModuleGrid::new(21);
        assert!(sample_own_threshold(&img, &h, 21, false, &frame, &mut own));
        assert_eq!(modules_wrong(&own, &code), 0);
        // Nothing to resample when the grid already reads the same.
        let mut again = ModuleGrid::new(21);
        assert!(!sample_own_threshold(&img, &h, 21, false, &own, &mut again));
    }

    /// [`drawn_v1`] at 4 px a module on a 120 px image, lit from its left:
    /// column x's light modules are 230 - 8x and its dark ones 150 - 6x.
    fn lit_from_left(text: &str) -> (crate::QrCode, BitImage, Homography) {
        drawn_v1(text, (120, 18.0, 4.0), 240, |x, dark| {
            if dark {
                150 - 6 * x
            } else {
                230 - 8 * x
            }
        })
    }

    #[test]
    fn a_split_per_column_reads_a_symbol_whose_light_falls_off_across_it() {
        // Version 1 lit from its left (see `lit_from_left`): the right
        // half's light modules are darker than the left half's dark ones.
        // One split for the whole symbol reads some modules wrong; a split
        // per column reads every one.
        let (code, img, h) = lit_from_left("per column");
        let wrong = |per_column: bool| {
            let mut own = ModuleGrid::new(21);
            sample_own_threshold(&img, &h, 21, per_column, &ModuleGrid::new(21), &mut own);
            modules_wrong(&own, &code)
        };
        assert!(wrong(false) > 20, "{} modules wrong", wrong(false));
        assert_eq!(wrong(true), 0);
    }

    #[test]
    fn levels_kept_while_sampling_give_the_grids_of_sampling_twice() {
        // The fitted map's grid read once with its levels kept must be the
        // grid of `sample_fitted`, and the own-threshold grid from those
        // levels that of `sample_own_threshold`, module for module, with the
        // symbol lit unevenly and its map hanging off the image's left edge.
        let (_, img, _) = lit_from_left("levels once");
        let src = [(0.0, 0.0), (21.0, 0.0), (21.0, 21.0), (0.0, 21.0)];
        let dst = [(-10.0, 20.0), (70.0, 14.0), (76.0, 95.0), (-6.0, 101.0)];
        let h = Homography::from_quads(src, dst).expect("non-degenerate");
        let mut twice = ModuleGrid::new(21);
        sample_fitted(&img, &h, 21, |x, y, dark, conf| twice.set(x, y, dark, conf));
        let mut once = ModuleGrid::new(21);
        let mut levels = vec![Some(7); 3];
        sample_fitted_levels(&img, &h, 21, &mut levels, |x, y, dark, conf| {
            once.set(x, y, dark, conf)
        });
        assert_eq!(levels.len(), 21 * 21);
        assert!(
            levels.iter().any(Option::is_none),
            "part of the map is off the image"
        );
        for per_column in [false, true] {
            let (mut a, mut b) = (ModuleGrid::new(21), ModuleGrid::new(21));
            let differs_a = sample_own_threshold(&img, &h, 21, per_column, &twice, &mut a);
            let differs_b = own_threshold(&levels, img.inverted, 21, per_column, &once, &mut b);
            assert_eq!(differs_a, differs_b);
            for i in 0..21 * 21 {
                let (x, y) = (i % 21, i / 21);
                assert_eq!(once.get(x, y), twice.get(x, y), "module ({x}, {y})");
                assert_eq!(once.confidence(x, y), twice.confidence(x, y));
                assert_eq!(a.get(x, y), b.get(x, y), "own module ({x}, {y})");
                assert_eq!(a.confidence(x, y), b.confidence(x, y));
            }
        }
    }

    fn px(u: f64, v: f64) -> (f64, f64) {
        (12.0 + 3.0 * u, 12.0 + 3.0 * v)
    }

    #[test]
    fn the_timing_line_places_an_alignment_pattern_three_modules_from_its_guess() {
        let img = drawn_v10();
        let (from, truth) = (px(6.5, 6.5), px(28.5, 6.5));
        assert_eq!(timing_line_wrong(&img, from, truth, 22, usize::MAX), 0);
        // Two modules short over the same 22 steps: the samples drift off
        // the alternation.
        assert!(timing_line_wrong(&img, from, px(26.5, 6.5), 22, usize::MAX) > TIMING_SLACK);
        let guess = (truth.0 + 9.0, truth.1 - 6.0);
        let found = alignment_on_timing(&img, from, guess, 22, (3.0, 0.0), (0.0, 3.0))
            .expect("the pattern on row 6");
        assert!(
            (found.0 - truth.0).abs() <= 1.5 && (found.1 - truth.1).abs() <= 1.5,
            "{found:?}"
        );
        // Along column 6 from the same corner point, down to row 28.
        let down = alignment_on_timing(&img, from, px(7.5, 30.5), 22, (3.0, 0.0), (0.0, 3.0))
            .expect("the pattern on column 6");
        let truth = px(6.5, 28.5);
        assert!(
            (down.0 - truth.0).abs() <= 1.5 && (down.1 - truth.1).abs() <= 1.5,
            "{down:?}"
        );
        // A guess in the quiet zone, far from any timing line: nothing.
        assert!(alignment_on_timing(
            &img,
            px(-3.0, 20.0),
            px(-3.0, 40.0),
            22,
            (3.0, 0.0),
            (0.0, 3.0)
        )
        .is_none());
    }

    #[test]
    fn least_squares_fit_recovers_a_projective_map() {
        let src = [(0.0, 0.0), (139.0, 0.0), (139.0, 17.0), (0.0, 17.0)];
        let dst = [(10.0, 20.0), (600.0, 40.0), (580.0, 120.0), (12.0, 95.0)];
        let h = Homography::from_quads(src, dst).expect("non-degenerate");
        let pairs: Vec<PointPair> = [
            (3.5, 3.5),
            (21.0, 1.0),
            (55.0, 1.0),
            (111.0, 15.0),
            (136.5, 14.5),
            (70.0, 9.0),
        ]
        .into_iter()
        .map(|p| (p, h.map(p.0, p.1)))
        .collect();
        let fit = Homography::fit(&pairs).expect("fits");
        for (u, v) in [(0.0, 0.0), (139.0, 17.0), (80.0, 5.0)] {
            let (a, b) = (h.map(u, v), fit.map(u, v));
            assert!(
                (a.0 - b.0).abs() < 1e-6 && (a.1 - b.1).abs() < 1e-6,
                "{a:?} vs {b:?}"
            );
        }
    }
}

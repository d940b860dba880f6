//! From finder patterns to symbol hypotheses: group finders into triples
//! (top-left, top-right, bottom-left), estimate the symbol's dimension, find
//! the bottom-right alignment pattern, and build the module-to-image transform.

use super::binarize::BitImage;
use super::find::{runs_along, Finder};
use super::sample::{
    alignment_by_grey, rank, timing_limit, timing_noise, timing_wrong_coarse,
    timing_wrong_coarse_early, Homography,
};

/// Three finders in symbol order, with a score (lower is better).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Triple {
    pub(crate) tl: usize,
    pub(crate) tr: usize,
    pub(crate) bl: usize,
    pub(crate) score: f32,
    /// Module sizes of tl, tr and bl (see [`Finder::modules`]).
    pub(crate) modules: [f32; 3],
    /// A finder was confirmed on fewer than [`STRONG_ROWS`] rows (or the
    /// triple came past the best ones, see [`triples`]): most such triples
    /// are noise or texture, and get only the cheap tries.
    pub(crate) weak: bool,
}

/// Rows on which a finder must be confirmed for its triples not to be weak.
pub(crate) const STRONG_ROWS: u32 = 3;

/// Rows on which each finder of a triple past the best ones (see
/// [`triples`]) must be confirmed for it to get every rescue, not only the
/// cheap tries: a strongly tilted symbol's finders, well above what texture
/// makes.
pub(super) const SURE_ROWS: u32 = 5;

/// Whether each finder of `t` was confirmed on [`SURE_ROWS`] rows or more.
pub(super) fn sure(finders: &[Finder], t: &Triple) -> bool {
    [t.tl, t.tr, t.bl]
        .iter()
        .all(|&i| finders.get(i).is_some_and(|f| f.count >= SURE_ROWS))
}

/// How many finders of `t` were confirmed on [`SURE_ROWS`] rows or more.
fn sure_count(finders: &[Finder], t: &Triple) -> usize {
    [t.tl, t.tr, t.bl]
        .iter()
        .filter(|&&i| finders.get(i).is_some_and(|f| f.count >= SURE_ROWS))
        .count()
}

fn dist(a: &Finder, b: &Finder) -> f32 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

/// Plausible triples, best first, at most `max`, then at most `strong_max`
/// more of well-confirmed finders that did not make the first `max`.
///
/// A symbol under strong perspective scores poorly on shape (unequal legs
/// and module sizes), and a textured or noisy background makes hundreds of
/// weak triples of small blots that score better: its finders, each
/// confirmed on several rows, would otherwise never be tried.
pub(crate) fn triples(finders: &[Finder], max: usize, strong_max: usize) -> Vec<Triple> {
    let n = finders.len();
    // Squared distances between finder centres, for the cheap shape test.
    let d2 = |a: &Finder, b: &Finder| (a.x - b.x).powi(2) + (a.y - b.y).powi(2);
    let pairs: Vec<f32> = (0..n * n)
        .map(|p| d2(&finders[p / n], &finders[p % n]))
        .collect();
    let mut kept = Kept::new(max, strong_max);
    for i in 0..n {
        for j in i + 1..n {
            for k in j + 1..n {
                if !any_corner_possible(pairs[i * n + j], pairs[i * n + k], pairs[j * n + k]) {
                    continue;
                }
                // A triple whose score cannot beat the worst of each list it
                // could go to would only be dropped (see `score_floor`).
                if kept.full() && kept.drops(score_floor(finders, [i, j, k])) {
                    continue;
                }
                for t in order_triple(finders, [i, j, k]).into_iter().flatten() {
                    kept.keep(finders, t);
                }
            }
        }
    }
    kept.into_list()
}

/// The triples [`triples`] keeps: the best `max` so far, best first, ties
/// in the order found (texture gives thousands of candidates, of which few
/// are kept); strong ones that fall out of it go to the best `strong_max`
/// of those, and sure ones that fall out of those to the best
/// [`SURE_TRIPLES`].
struct Kept {
    out: Vec<Triple>,
    strong: Vec<Triple>,
    sure: Vec<Triple>,
    /// Weak triples with two finders seen on [`SURE_ROWS`] rows or more.
    two_sure: Vec<Triple>,
    max: usize,
    strong_max: usize,
}

impl Kept {
    fn new(max: usize, strong_max: usize) -> Kept {
        Kept {
            out: Vec::new(),
            strong: Vec::new(),
            sure: Vec::new(),
            two_sure: Vec::new(),
            max,
            strong_max,
        }
    }

    /// Whether the first list holds `max` triples (before that, every
    /// triple is kept).
    fn full(&self) -> bool {
        self.out.len() >= self.max
    }

    /// Whether a triple whose score is at least `floor`, its finders seen
    /// on `support` rows or more, would be dropped from every list it could
    /// go to.
    fn drops(&self, (floor, support, sure): (f32, u32, usize)) -> bool {
        let drops = |list: &[Triple], most: usize| {
            list.len() >= most
                && list
                    .last()
                    .is_none_or(|l| floor.total_cmp(&l.score).is_ge())
        };
        drops(&self.out, self.max)
            && (sure < 2
                || support >= STRONG_ROWS
                || drops(&self.two_sure, TWO_SURE_TRIPLES.min(self.strong_max)))
            && (support < STRONG_ROWS
                || drops(&self.strong, self.strong_max)
                    && (support < SURE_ROWS
                        || drops(&self.sure, SURE_TRIPLES.min(self.strong_max))))
    }

    fn keep(&mut self, finders: &[Finder], t: Triple) {
        let Some(dropped) = keep_best(&mut self.out, t, self.max) else {
            return;
        };
        // These get a weak triple's cheap tries: a textured frame has
        // strong triples of its own.
        if dropped.weak {
            if sure_count(finders, &dropped) >= 2 {
                keep_best(
                    &mut self.two_sure,
                    dropped,
                    TWO_SURE_TRIPLES.min(self.strong_max),
                );
            }
            return;
        }
        let seen = [dropped.tl, dropped.tr, dropped.bl]
            .map(|i| finders[i].count)
            .into_iter()
            .min()
            .unwrap_or(0);
        let cheap = Triple {
            weak: seen < SURE_ROWS,
            ..dropped
        };
        if let Some(out) = keep_best(&mut self.strong, cheap, self.strong_max) {
            if !out.weak {
                keep_best(&mut self.sure, out, SURE_TRIPLES.min(self.strong_max));
            }
        }
    }

    fn into_list(mut self) -> Vec<Triple> {
        self.out.extend(self.strong);
        self.out.extend(self.sure);
        self.out.extend(self.two_sure);
        self.out
    }
}

/// The least score [`order_triple`] can give any ordering of `idx`, the
/// terms that do not depend on which finder is the corner (the module
/// sizes' spread and the support), and the support: the fewest rows any of
/// the three was seen on. The corner terms it leaves out are never
/// negative, and adding them to this sum cannot round it lower.
fn score_floor(f: &[Finder], idx: [usize; 3]) -> (f32, u32, usize) {
    let Sizes {
        min, max, support, ..
    } = Sizes::of(f, idx);
    let sure = idx.iter().filter(|&&i| f[i].count >= SURE_ROWS).count();
    (
        (max - min) / max + SUPPORT_WEIGHT / support as f32,
        support,
        sure,
    )
}

/// What [`order_triple`]'s score takes from three finders whatever the
/// corner (and [`score_floor`] from it, computed alike): their module sizes
/// measured one way (see [`Finder::modules`]), the least and greatest, and
/// the fewest rows any was seen on (at least 1).
struct Sizes {
    modules: [f32; 3],
    min: f32,
    max: f32,
    support: u32,
}

impl Sizes {
    fn of(f: &[Finder], idx: [usize; 3]) -> Sizes {
        let modules = Finder::modules(idx.map(|i| &f[i]));
        Sizes {
            modules,
            min: modules.iter().cloned().fold(f32::MAX, f32::min),
            max: modules.iter().cloned().fold(0.0, f32::max),
            support: idx.iter().map(|&i| f[i].count).min().unwrap_or(1).max(1),
        }
    }
}

/// Triples of finders each seen on [`SURE_ROWS`] rows or more that fall
/// out of [`triples`]' strong ones too: a symbol under strong perspective
/// in a busy frame scores worse than texture's many triples of finders
/// seen on three rows, and few frames without a code show three finders
/// that sure.
const SURE_TRIPLES: usize = 4;

/// Weak triples with two finders each seen on [`SURE_ROWS`] rows or more
/// kept after every other list: a symbol seen steeply whose far finder the
/// scan confirmed on a row or two.
const TWO_SURE_TRIPLES: usize = 2;

/// Inserts `t` into `list` (best score first, at most `max`, ties in the
/// order inserted); returns the triple that no longer fits, if any.
fn keep_best(list: &mut Vec<Triple>, t: Triple, max: usize) -> Option<Triple> {
    if list.len() == max
        && list
            .last()
            .is_none_or(|l| t.score.total_cmp(&l.score).is_ge())
    {
        return Some(t);
    }
    let at = list.partition_point(|o| o.score.total_cmp(&t.score).is_le());
    list.insert(at, t);
    if list.len() > max {
        list.pop()
    } else {
        None
    }
}

/// Whether some corner of a triangle with these squared side lengths can
/// pass [`order_triple`]'s angle and leg-ratio tests (legs 37-143 degrees
/// apart, within 2.5:1): a test on the sides alone, with a margin for
/// rounding, that rejects most combinations of texture's finders before
/// their module sizes and orderings are worked out. `order_triple` decides.
fn any_corner_possible(ab: f32, ac: f32, bc: f32) -> bool {
    // At the corner between legs of squared lengths `u` and `v`, opposite
    // side `w`: cos = (u + v - w) / (2 sqrt(u v)) (law of cosines).
    let corner = |u: f32, v: f32, w: f32| {
        let (lo, hi) = (u.min(v), u.max(v));
        hi <= LEG_RATIO_SQ * lo && (u + v - w).abs() <= COS_MAX * 2.0 * (u * v).sqrt()
    };
    corner(ab, ac, bc) || corner(ab, bc, ac) || corner(ac, bc, ab)
}

/// [`order_triple`]'s limits with a margin: 2.5 squared, and 0.8.
const LEG_RATIO_SQ: f32 = 6.25 * 1.001;
const COS_MAX: f32 = 0.8 * 1.001;

/// Picks the corner finder (the one at the most nearly right angle) and orders
/// the other two clockwise; rejects implausible shapes. Strong perspective
/// can make another finder's angle look as right as the true corner's (the
/// near side of a tilted symbol widens): a second corner whose angle is
/// within [`CORNER_TIE`] of the best one's is returned as well, after it.
pub(super) fn order_triple(f: &[Finder], idx: [usize; 3]) -> [Option<Triple>; 2] {
    let Sizes {
        modules: ms,
        min: mmin,
        max: mmax,
        support,
    } = Sizes::of(f, idx);
    let module_of = |i: usize| ms[idx.iter().position(|&j| j == i).unwrap_or(0)];
    // A symbol seen steeply from one corner has that finder's modules about
    // three times the far one's.
    if mmax > mmin * 3.5 + 1.0 {
        return [None, None];
    }
    // (|cos| at the corner, ordering), one per plausible corner.
    // Fixed storage: this runs for every combination of three finders.
    let mut corners: [Option<(f32, Triple)>; 3] = [None; 3];
    for c in 0..3 {
        let (a, b) = (idx[(c + 1) % 3], idx[(c + 2) % 3]);
        let corner = &f[idx[c]];
        let (ux, uy) = (f[a].x - corner.x, f[a].y - corner.y);
        let (vx, vy) = (f[b].x - corner.x, f[b].y - corner.y);
        let (lu, lv) = ((ux * ux + uy * uy).sqrt(), (vx * vx + vy * vy).sqrt());
        if lu < 1.0 || lv < 1.0 {
            return [None, None];
        }
        let cos = (ux * vx + uy * vy) / (lu * lv);
        // Legs 37-143 degrees apart (shear) and within 2.5:1 of each other (perspective).
        if cos.abs() > 0.8 || lu.max(lv) > 2.5 * lu.min(lv) {
            continue;
        }
        // The legs span 14 to 170 modules between finder centres.
        let module = (ms[0] + ms[1] + ms[2]) / 3.0;
        let span = (lu + lv) / 2.0 / module;
        if !(10.0..=180.0).contains(&span) {
            continue;
        }
        // With y down, top-right x bottom-left is positive.
        let cross = ux * vy - uy * vx;
        let (tr, bl) = if cross > 0.0 { (a, b) } else { (b, a) };
        // Shape (square, equal legs, equal modules), then support: a finder
        // confirmed on few rows is more often noise or texture.
        let score = cos.abs()
            + (lu - lv).abs() / (lu + lv)
            + (mmax - mmin) / mmax
            + SUPPORT_WEIGHT / support as f32;
        corners[c] = Some((
            cos.abs(),
            Triple {
                tl: idx[c],
                tr,
                bl,
                score,
                modules: [module_of(idx[c]), module_of(tr), module_of(bl)],
                weak: support < STRONG_ROWS,
            },
        ));
    }
    // Best score first, the corners that make no triple last, ties in
    // corner order: a stable insertion sort by hand, as three entries do not
    // pay for a copy of the library's sort.
    let score = |c: usize| corners[c].map(|(_, t)| t.score);
    let before = |a: usize, b: usize| match (score(a), score(b)) {
        (Some(a), Some(b)) => a.total_cmp(&b).is_lt(),
        (a, b) => a.is_some() && b.is_none(),
    };
    let mut order = [0, 1, 2];
    for i in 1..3 {
        let mut j = i;
        while j > 0 && before(order[j], order[j - 1]) {
            order.swap(j, j - 1);
            j -= 1;
        }
    }
    let Some((best_cos, best)) = corners[order[0]] else {
        return [None, None];
    };
    let mut out = [Some(best), None];
    // The runner-up keeps the best one's score plus the gap, so that it
    // sorts after the best of its own finders but near it.
    if let Some((cos, alt)) = corners[order[1]] {
        if !best.weak && cos - best_cos <= CORNER_TIE {
            out[1] = Some(Triple {
                score: best.score + (alt.score - best.score).max(0.0) + CORNER_TIE,
                ..alt
            });
        }
    }
    out
}

/// How much nearer a right angle (in |cos|) the best corner of a triple must
/// be than another for that other not to be tried as well.
const CORNER_TIE: f32 = 0.1;

/// Weight of a triple's least-confirmed finder in its score (see
/// [`order_triple`]).
const SUPPORT_WEIGHT: f32 = 0.4;

/// Of the best `candidates` triples of `finders` (see [`triples`]), the one
/// whose finder centres' parallelogram holds the most other finders, at
/// least `least`: a large symbol's data make finder-like blots whose small
/// triangles outrank its own triple, and its own triple is the one that
/// holds them. `None` when no triple holds that many.
pub(crate) fn most_enclosing(
    finders: &[Finder],
    candidates: usize,
    least: usize,
) -> Option<Triple> {
    let held = |t: &Triple| {
        let (a, b, c) = (&finders[t.tl], &finders[t.tr], &finders[t.bl]);
        let (u, v) = ((b.x - a.x, b.y - a.y), (c.x - a.x, c.y - a.y));
        let det = u.0 * v.1 - u.1 * v.0;
        if det.abs() < 1.0 {
            return 0;
        }
        // Each finder's position as a + s u + r v: inside for s and r in (0, 1).
        let inside = |f: &Finder| {
            let p = (f.x - a.x, f.y - a.y);
            let s = (p.0 * v.1 - p.1 * v.0) / det;
            let r = (u.0 * p.1 - u.1 * p.0) / det;
            s > 0.0 && s < 1.0 && r > 0.0 && r < 1.0
        };
        let own = [t.tl, t.tr, t.bl];
        (finders.iter().enumerate())
            .filter(|&(i, f)| !own.contains(&i) && inside(f))
            .count()
    };
    // The first of the most held, best ranked first.
    let mut best: Option<(usize, Triple)> = None;
    for t in triples(finders, candidates, 0) {
        let n = held(&t);
        if n >= least && best.as_ref().is_none_or(|b| n > b.0) {
            best = Some((n, t));
        }
    }
    best.map(|b| b.1)
}

/// Candidate symbol sizes (modules) for a triple, most likely first.
pub(crate) fn dimensions(f: &[Finder], t: &Triple) -> Vec<usize> {
    let (tl, tr, bl) = (&f[t.tl], &f[t.tr], &f[t.bl]);
    // Module size along each leg from the two finders on it.
    let [mtl, mtr, mbl] = t.modules;
    let top = dist(tl, tr) / ((mtl + mtr) / 2.0);
    let left = dist(tl, bl) / ((mtl + mbl) / 2.0);
    let raw = (top + left) / 2.0 + 7.0;
    let snapped = snapped_size(raw) as usize;
    let mut dims = vec![snapped];
    for delta in [4i32, -4, 8, -8] {
        let d = snapped as i32 + delta;
        if (21..=177).contains(&d) && (d as f32 - raw).abs() < 8.0 {
            dims.push(d as usize);
        }
    }
    dims
}

/// A symbol's size (modules) from a measured one: the nearest version's.
pub(super) fn snapped_size(raw: f32) -> f32 {
    (((raw - 17.0) / 4.0).round() * 4.0 + 17.0).clamp(21.0, 177.0)
}

/// Searches near `(px, py)` for alignment patterns (dark centre module, light
/// ring, dark ring: 1:1:1:1:1 across) of module size `module`; returns up to
/// `max` distinct centres, nearest first.
pub(crate) fn find_alignments(
    img: &BitImage,
    px: f32,
    py: f32,
    module: f32,
    radius: f32,
    max: usize,
) -> Vec<(f32, f32)> {
    // The light ring and the centre must be about one module each; the outer
    // dark ring may merge with dark data modules beside it, so only its
    // presence is checked.
    let ok = |r: &[u32; 5]| {
        let m = (r[1] + r[2] + r[3]) as f32 / 3.0;
        (m - module).abs() < module * 0.6 + 1.0
            && r[1..4]
                .iter()
                .all(|&x| (x as f32 - m).abs() < m * 0.6 + 0.5)
            && r[0] as f32 >= m * 0.5
            && r[4] as f32 >= m * 0.5
    };
    let max_run = (module * 6.0).ceil() as u32 + 2;
    let (x0, x1) = (
        (px - radius).max(0.0) as i64,
        ((px + radius) as i64).min(img.width as i64 - 1),
    );
    let (y0, y1) = (
        (py - radius).max(0.0) as i64,
        ((py + radius) as i64).min(img.height as i64 - 1),
    );
    let mut hits: Vec<(f32, f32, f32)> = Vec::new();
    let step = ((module / 3.0) as i64).max(1);
    let mut y = y0;
    while y <= y1 {
        let row = img.row(y as usize);
        for x in x0..=x1 {
            // The left edge of a dark run (left of the image reads light):
            // treat it as a possible centre module.
            let xu = x as usize;
            if row[xu] != 0 && (xu == 0 || row[xu - 1] == 0) {
                let cx = x as f32 + module / 2.0;
                if let Some((h, hoff)) = runs_along(img, cx as i64, y, 1, 0, max_run) {
                    if ok(&h) {
                        let cx = (cx as u32) as f32 + hoff; // cx >= 0: floor
                        if let Some((v, voff)) = runs_along(img, cx as i64, y, 0, 1, max_run) {
                            if ok(&v) {
                                let cy = y as f32 + voff;
                                let d = (cx - px).powi(2) + (cy - py).powi(2);
                                let dup = hits.iter().any(|h| {
                                    (h.0 - cx).abs() < module && (h.1 - cy).abs() < module
                                });
                                if !dup && hits.len() < 64 {
                                    hits.push((cx, cy, d));
                                }
                            }
                        }
                    }
                }
            }
        }
        y += step;
    }
    hits.sort_by(by_last);
    hits.iter().take(max).map(|&(x, y, _)| (x, y)).collect()
}

/// Module-to-image transforms to try for a triple at dimension `dim`: through
/// the alignment pattern when found, then the parallelogram's fourth corner.
///
/// `alignments` caches the bottom-right alignment candidates between calls
/// for one triple (start with `None`).
pub(crate) fn transforms(
    img: &BitImage,
    f: &[Finder],
    t: &Triple,
    dim: usize,
    alignments: &mut Option<Vec<(f32, f32)>>,
) -> Vec<Homography> {
    transforms_with(img, f, t, dim, (0.0, 0.0), alignments)
}

/// Timing modules along each pattern after which a weak triple's first
/// guess is dropped when more than half of them read wrong: a triple of
/// texture reads its timing patterns about as often wrong as right, and
/// otherwise reads three quarters of them before its count passes the cap;
/// a symbol's map, pinned to its finders, reads those nearest them mostly
/// right. Half or more of 8 lost a far-away read, as did 6 (see
/// docs/BENCHMARKS.md).
const WEAK_EARLY_TIMING: usize = 8;

/// [`transforms`] with the fourth point (alignment centre or parallelogram
/// corner) moved by `shift`, in modules along the symbol's axes: a second
/// chance for symbols whose fourth point was misjudged (curl, perspective).
pub(crate) fn transforms_with(
    img: &BitImage,
    f: &[Finder],
    t: &Triple,
    dim: usize,
    shift: (f64, f64),
    alignments: &mut Option<Vec<(f32, f32)>>,
) -> Vec<Homography> {
    let (tl, tr, bl) = (&f[t.tl], &f[t.tr], &f[t.bl]);
    let d = dim as f64;
    let src3 = [(3.5, 3.5), (d - 3.5, 3.5), (3.5, d - 3.5)];
    let p = |g: &Finder| (g.x as f64, g.y as f64);
    // One module along each axis, in pixels (affine estimate).
    let ux = (
        (tr.x - tl.x) as f64 / (d - 7.0),
        (tr.y - tl.y) as f64 / (d - 7.0),
    );
    let uy = (
        (bl.x - tl.x) as f64 / (d - 7.0),
        (bl.y - tl.y) as f64 / (d - 7.0),
    );
    let moved = |(x, y): (f64, f64)| {
        (
            x + shift.0 * ux.0 + shift.1 * uy.0,
            y + shift.0 * ux.1 + shift.1 * uy.1,
        )
    };
    let (ax, ay) = ((tr.x - tl.x) as f64, (tr.y - tl.y) as f64);
    let (bx, by) = ((bl.x - tl.x) as f64, (bl.y - tl.y) as f64);
    let src = [src3[0], src3[1], (d - 3.5, d - 3.5), src3[2]];
    // The finders' module sizes tell the perspective: a projective map with
    // w = 1 + g u + h v scales areas by 1 / w^3, so a finder's module size
    // (the mean of its two axes, about the root of its area) goes as
    // w^-3/2, and the far corner moves in. (Taking module size as 1 / w
    // puts the corner 20-30 px off on symbols tilted 2:1.)
    let [mtl, mtr, mbl] = t.modules;
    let g = f64::from(mtl / mtr).powf(2.0 / 3.0) - 1.0;
    let hh = f64::from(mtl / mbl).powf(2.0 / 3.0) - 1.0;
    let w = 1.0 + g + hh;
    let persp = if (g.abs() > 0.05 || hh.abs() > 0.05) && w > 0.2 {
        Some((
            tl.x as f64 + ((1.0 + g) * ax + (1.0 + hh) * bx) / w,
            tl.y as f64 + ((1.0 + g) * ay + (1.0 + hh) * by) / w,
        ))
    } else {
        None
    };
    let br = (tl.x as f64 + ax + bx, tl.y as f64 + ay + by);
    // First guess of the whole map: perspective corner, else parallelogram.
    let guess = Homography::from_quads(src, [p(tl), p(tr), persp.unwrap_or(br), p(bl)]);
    // Coarse timing over 1.5x the misreads `timing_plausible` allows is
    // hopeless: weak triples (mostly noise) drop such transforms rather than
    // pay the precise check; strong ones keep them for warped-symbol fits.
    let limit = timing_limit(dim);
    let hopeless = limit + limit / 2;
    // The timing patterns run beside the three finders, which every
    // transform here shares: when the first guess reads them as noise, so
    // will the others, and a weak triple (mostly noise: a camera frame
    // without a code has dozens) skips the alignment search.
    //
    // A strong triple whose first guess reads the timing patterns as noise
    // (see [`timing_noise`]) skips the alignment search too: the alignment
    // centre moves only the far ends of the timing patterns, and no
    // transform of such a triple gets a warped-symbol fit either: such a
    // search costs most on unreadable images and never reads.
    let noise = timing_noise(dim);
    let guess_wrong = guess.map(|g| {
        if t.weak {
            timing_wrong_coarse_early(img, &g, dim, hopeless, WEAK_EARLY_TIMING)
        } else {
            timing_wrong_coarse(img, &g, dim, noise)
        }
    });
    if t.weak && guess_wrong.is_some_and(|w| w > hopeless) {
        return Vec::new();
    }
    let noise_like = !t.weak && guess_wrong.is_some_and(|w| w > noise);
    let mut out = Vec::new();
    if let (true, Some(guess)) = (dim > 21 && !noise_like, guess) {
        // Where the first guess puts the bottom-right alignment centre. Under
        // strong perspective the guess can be modules off and data modules
        // nearer to it can look like alignment patterns, so several
        // candidates are kept and ranked by how well the timing patterns
        // then read.
        let (ex, ey) = guess.map(d - 6.5, d - 6.5);
        // The predicted centre moves by well under a module between the
        // dimensions tried for one triple, so one search serves them all.
        let hits = alignments.get_or_insert_with(|| {
            let module = (mtl + mtr + mbl) / 3.0;
            let search = |module: f32| {
                [4.0f32, 8.0]
                    .into_iter()
                    .map(|radius| {
                        find_alignments(
                            img,
                            ex as f32,
                            ey as f32,
                            module,
                            module * radius,
                            2 * ALIGNMENT_CANDIDATES,
                        )
                    })
                    .find(|found| !found.is_empty())
                    .unwrap_or_default()
            };
            let mut found = search(module);
            // Under strong perspective the pattern's modules are those of
            // the fourth corner, which the first guess makes wider or
            // narrower than the finders' by its local scale there: when
            // that is past what the search above accepts, that size is
            // searched too.
            let scale = |u: f64, v: f64| {
                let (c, a, b) = (
                    guess.map(u, v),
                    guess.map(u + 1.0, v),
                    guess.map(u, v + 1.0),
                );
                ((a.0 - c.0) * (b.1 - c.1) - (a.1 - c.1) * (b.0 - c.0))
                    .abs()
                    .sqrt()
            };
            let at_finders = src3.iter().map(|&(u, v)| scale(u, v)).sum::<f64>() / 3.0;
            let ratio = (scale(d - 6.5, d - 6.5) / at_finders) as f32;
            if ratio.is_finite() && !(1.0 / FAR_MODULE_RATIO..=FAR_MODULE_RATIO).contains(&ratio) {
                for (x, y) in search(module * ratio) {
                    if !found
                        .iter()
                        .any(|&(a, b)| (a - x).abs() < module && (b - y).abs() < module)
                    {
                        found.push((x, y));
                    }
                }
            }
            // The run-length search reads the binary image, whose local
            // threshold near a small symbol's edge takes in the light quiet
            // zone and label: at about 2 px a module the pattern's light
            // ring reads dark there and only data modules are found. Its
            // grey levels place it still (a strong triple only: texture
            // makes many weak ones).
            if !t.weak {
                let at = |u: f64, v: f64| guess.map(u, v);
                let c = at(d - 6.5, d - 6.5);
                let (a, b) = (at(d - 5.5, d - 6.5), at(d - 6.5, d - 5.5));
                let (ux, uy) = ((a.0 - c.0, a.1 - c.1), (b.0 - c.0, b.1 - c.1));
                if let Some((gx, gy)) = alignment_by_grey(img, c, ux, uy, GREY_ALIGNMENT_REACH) {
                    let (gx, gy) = (gx as f32, gy as f32);
                    let known = found
                        .iter()
                        .any(|&(x, y)| (x - gx).abs() < module && (y - gy).abs() < module);
                    if !known {
                        found.push((gx, gy));
                    }
                }
            }
            found
        });
        let d2 = |x: f32, y: f32| (x - ex as f32).powi(2) + (y - ey as f32).powi(2);
        let mut nearest: Vec<(f32, f32, f32)> =
            hits.iter().map(|&(x, y)| (x, y, d2(x, y))).collect();
        nearest.sort_by(by_last);
        let kept = if t.weak { 2 } else { ALIGNMENT_CANDIDATES };
        for &(ax, ay, _) in nearest.iter().take(kept) {
            let src = [src3[0], src3[1], (d - 6.5, d - 6.5), src3[2]];
            let dst = [p(tl), p(tr), moved((ax as f64, ay as f64)), p(bl)];
            if let Some(h) = Homography::from_quads(src, dst) {
                out.push(h);
            }
        }
    }
    let mut ranked: Vec<(u64, Homography)> = out
        .into_iter()
        .map(|h| (timing_wrong_coarse(img, &h, dim, hopeless) as u64, h))
        .collect();
    // Unshifted, the fourth-corner transform of the first guess is the guess
    // itself, whose timing was read above (with a cap at least `hopeless`).
    let unshifted = shift == (0.0, 0.0);
    let corners = [persp, Some(br)];
    for (i, corner) in corners.into_iter().flatten().enumerate() {
        let wrong = match (i, unshifted, guess, guess_wrong) {
            (0, true, Some(g), Some(w)) => Some((w.min(hopeless + 1) as u64, g)),
            _ => Homography::from_quads(src, [p(tl), p(tr), moved(corner), p(bl)])
                .map(|h| (timing_wrong_coarse(img, &h, dim, hopeless) as u64, h)),
        };
        ranked.extend(wrong);
    }
    // Best timing first; ties (and all the implausible ones) keep the order
    // above (alignment, nearest first).
    ranked.retain(|&(wrong, _)| !(t.weak && wrong > hopeless as u64));
    rank(&mut ranked);
    ranked.truncate(TRANSFORMS_KEPT);
    ranked.into_iter().map(|(_, h)| h).collect()
}

/// Orders points by their third part, a distance (stable: one sort, one
/// copy in the package, for both orders of alignment candidates).
fn by_last(a: &(f32, f32, f32), b: &(f32, f32, f32)) -> std::cmp::Ordering {
    a.2.total_cmp(&b.2)
}

/// How far (modules) from the first guess the bottom-right alignment pattern
/// is looked for by its grey levels (see [`transforms_with`]).
const GREY_ALIGNMENT_REACH: i32 = 5;

/// How much wider or narrower than the finders' the modules at the first
/// guess's bottom-right alignment pattern must be for a search at that size
/// as well (see [`transforms_with`]): the search at the finders' size accepts
/// patterns of about 1.6 times it.
const FAR_MODULE_RATIO: f32 = 1.5;

/// Alignment-pattern candidates considered for the bottom-right point.
const ALIGNMENT_CANDIDATES: usize = 6;

/// Transforms per triple and dimension passed on for decoding, best timing first.
const TRANSFORMS_KEPT: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::sample::{
        alignment_by_grey, fit_score, refine, sample_module, structure_wrong,
    };

    fn finder(x: f32, y: f32, module: f32) -> Finder {
        Finder {
            x,
            y,
            module,
            diagonal: module,
            count: 8,
        }
    }

    #[test]
    fn the_triple_round_a_large_symbols_data_blots_is_the_most_enclosing() {
        // A large symbol wrapped round a pole: its edge finders squeezed
        // (smaller modules) and seen on few rows; its data's finder-like
        // blots inside it, plain, make small near-square triples that
        // outrank its own.
        let mut f = vec![
            Finder {
                count: 3,
                ..finder(100.0, 100.0, 3.0)
            },
            Finder {
                count: 3,
                ..finder(300.0, 100.0, 2.2)
            },
            Finder {
                count: 3,
                ..finder(100.0, 300.0, 2.4)
            },
        ];
        for (x, y) in [
            (150.0, 150.0),
            (180.0, 150.0),
            (150.0, 180.0),
            (240.0, 160.0),
            (200.0, 240.0),
            (230.0, 240.0),
            (200.0, 270.0),
            (250.0, 210.0),
        ] {
            f.push(finder(x, y, 3.0));
        }
        // Texture outside it.
        f.push(finder(420.0, 420.0, 3.0));
        let ids = |t: &Triple| {
            let mut ids = [t.tl, t.tr, t.bl];
            ids.sort_unstable();
            ids
        };
        let ranked = triples(&f, 64, 0);
        assert_ne!(ids(&ranked[0]), [0, 1, 2], "a blots' triple ranks first");
        let t = most_enclosing(&f, 64, 8).expect("the symbol's triple holds its 8 blots");
        assert_eq!(ids(&t), [0, 1, 2]);
        // It holds 8, not 9: none at all when 9 are asked for.
        assert!(most_enclosing(&f, 64, 9).is_none());
    }

    /// Finders 0-24: blots on a 5 x 5 grid, each seen on `rows` rows with
    /// modules of `module` px, which make hundreds of neat triples of equal
    /// modules; then a steeply seen symbol's three (x, y, module, rows).
    fn steep_over_blots(rows: u32, module: f32, symbol: [(f32, f32, f32, u32); 3]) -> Vec<Finder> {
        let blot = |i: usize| Finder {
            count: rows,
            ..finder(
                300.0 + 40.0 * (i % 5) as f32,
                40.0 + 40.0 * (i / 5) as f32,
                module,
            )
        };
        let symbol = symbol.map(|(x, y, module, count)| Finder {
            count,
            ..finder(x, y, module)
        });
        (0..25).map(blot).chain(symbol).collect()
    }

    /// The place in `t` of the triple of finders 25-27 (see
    /// [`steep_over_blots`]).
    fn symbol_at(t: &[Triple]) -> Option<usize> {
        t.iter().position(|t| {
            let mut ids = [t.tl, t.tr, t.bl];
            ids.sort_unstable();
            ids == [25, 26, 27]
        })
    }

    #[test]
    fn a_steep_symbols_sure_finders_are_tried_past_textures_many_triples() {
        // Texture seen on three rows; the symbol's near finder's modules
        // 1.7x the far ones', each finder seen on 6-9 rows (seed 909 mixed
        // 026 at 90).
        let f = steep_over_blots(
            3,
            3.0,
            [
                (522.0, 432.0, 7.4, 9),
                (154.0, 223.0, 5.4, 6),
                (232.5, 457.5, 4.3, 6),
            ],
        );
        let t = triples(&f, 80, 8);
        let at = symbol_at(&t).expect("the symbol's triple is kept");
        assert!(!t[at].weak, "and gets every rescue");
        assert_eq!((t[at].tl, t[at].tr, t[at].bl), (27, 26, 25));
    }

    #[test]
    fn a_steep_symbols_two_sure_finders_are_tried_with_a_far_finder_seen_on_two_rows() {
        // Noise seen on two rows; the symbol's two near finders seen on 8
        // and 9 rows, the far one (modules 0.6x theirs) on two (seed 7474
        // mixed 005 at 180 degrees).
        let f = steep_over_blots(
            2,
            1.8,
            [
                (410.0, 187.0, 8.3, 8),
                (185.0, 56.0, 7.5, 9),
                (265.0, 349.0, 4.7, 2),
            ],
        );
        let t = triples(&f, 80, 8);
        let at = symbol_at(&t).expect("the symbol's triple is kept");
        assert_eq!(t[at].tl, 25, "the near corner finder");
        // Not with the light-on-dark scan's lists (no strong ones).
        assert!(symbol_at(&triples(&f, 80, 0)).is_none());
    }

    #[test]
    fn triples_that_could_only_be_dropped_are_skipped_without_changing_the_result() {
        // Every combination ordered and kept as `triples` keeps them, with
        // no skipping: the lists must come out the same, for texture-like
        // finders of every support and small and large limits.
        fn unpruned(f: &[Finder], max: usize, strong_max: usize) -> Vec<Triple> {
            let mut kept = Kept::new(max, strong_max);
            for i in 0..f.len() {
                for j in i + 1..f.len() {
                    for k in j + 1..f.len() {
                        for t in order_triple(f, [i, j, k]).into_iter().flatten() {
                            kept.keep(f, t);
                        }
                    }
                }
            }
            kept.into_list()
        }
        let key = |t: &Triple| (t.tl, t.tr, t.bl, t.score.to_bits(), t.weak);
        let mut state = 12345u32;
        let mut next = |n: u32| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 8) % n
        };
        for round in 0..20 {
            // Blots on a jittered grid, as texture makes: many near-square
            // triples, so that the kept lists fill and the skip has work.
            let f: Vec<Finder> = (0..30)
                .map(|i| Finder {
                    count: 1 + next(8),
                    ..finder(
                        (40 + 60 * (i % 6) + next(16)) as f32,
                        (40 + 60 * (i / 6) + next(16)) as f32,
                        2.5 + next(20) as f32 / 10.0,
                    )
                })
                .collect();
            for (max, strong_max) in [(10, 8), (80, 8), (3, 0), (1, 2)] {
                let (a, b) = (triples(&f, max, strong_max), unpruned(&f, max, strong_max));
                assert_eq!(
                    a.iter().map(key).collect::<Vec<_>>(),
                    b.iter().map(key).collect::<Vec<_>>(),
                    "round {round}, max {max}, strong {strong_max}"
                );
            }
        }
    }

    #[test]
    fn a_frontal_triple_has_one_ordering() {
        let f = [
            finder(20.0, 20.0, 4.0),
            finder(120.0, 20.0, 4.0),
            finder(20.0, 120.0, 4.0),
        ];
        let t = triples(&f, 10, 0);
        assert_eq!(t.len(), 1);
        assert_eq!((t[0].tl, t[0].tr, t[0].bl), (0, 1, 2));
    }

    #[test]
    fn strong_perspective_also_tries_the_runner_up_corner() {
        // Finder centres of samples/qrcode-2/fix-finderpattern-order.webp:
        // tilted so that the top-right finder's angle (cos 0.36) is nearer a
        // right angle than the true top-left's (0.37).
        let f = [
            finder(123.0, 32.0, 4.8),
            finder(192.0, 168.0, 10.3),
            finder(48.0, 115.0, 7.4),
        ];
        let t = triples(&f, 10, 0);
        assert_eq!(t.len(), 2);
        assert_eq!(
            (t[0].tl, t[1].tl),
            (0, 2),
            "best angle first, then the true corner"
        );
        assert_eq!((t[1].tr, t[1].bl), (0, 1));
        assert!(t[0].score < t[1].score);
    }

    /// Finder centres and module sizes of a version 3 symbol photographed
    /// steeply from its bottom-left side (d1/qrcode-perspective/035 of the
    /// generated corpus): the bottom-left finder's modules are 2.9 times the
    /// top-right one's.
    fn steep() -> [Finder; 3] {
        [
            finder(94.5, 104.5, 6.14),
            finder(201.0, 116.0, 3.34),
            finder(80.0, 255.3, 9.69),
        ]
    }

    #[test]
    fn a_steeply_tilted_triple_is_kept() {
        let t = triples(&steep(), 10, 0);
        assert!(t.iter().any(|t| (t.tl, t.tr, t.bl) == (0, 1, 2)), "{t:?}");
    }

    #[test]
    fn strong_triples_past_the_best_are_tried_cheaply_unless_every_finder_is_sure() {
        // A noisy background's blots, each seen on one row, in a grid: their
        // square triples score better than the tilted symbol's.
        let mut f = steep().to_vec();
        for i in 0..3 {
            for j in 0..3 {
                f.push(Finder {
                    count: 1,
                    ..finder(300.0 + 40.0 * i as f32, 300.0 + 40.0 * j as f32, 2.0)
                });
            }
        }
        let best = triples(&f, 4, 0);
        assert_eq!(best.len(), 4);
        assert!(best.iter().all(|t| t.tl >= 3), "{best:?}");
        // Its finders seen on 8 rows each: past the best, with every rescue.
        let more = triples(&f, 4, 1);
        assert_eq!(more.len(), 6);
        let last = more[4];
        assert_eq!((last.tl, last.tr, last.bl), (0, 1, 2));
        assert!(!last.weak, "every rescue for finders seen on 8 rows");
        // Then one of two of them and a blot (see `TWO_SURE_TRIPLES`).
        let two = [more[5].tl, more[5].tr, more[5].bl];
        assert_eq!(two.iter().filter(|&&i| i < 3).count(), 2, "{two:?}");
        assert!(more[5].weak);
        // One of them seen on 4 rows: only the cheap tries.
        f[1].count = 4;
        let last = triples(&f, 4, 1)[4];
        assert_eq!((last.tl, last.tr, last.bl), (0, 1, 2));
        assert!(last.weak, "only the cheap tries");
    }

    /// A version 2 symbol (25 modules) at 6 px per module with a 4-module
    /// quiet zone, blurred twice with a 3 x 3 box, binarized locally.
    fn drawn_v2() -> (BitImage, crate::QrCode) {
        let code = crate::encode_text(
            "https://example.org/stop/42",
            &crate::EncodeOptions::default()
                .version(crate::Version::new(2).expect("v2"))
                .ec_level(crate::EcLevel::L),
        )
        .expect("fits");
        assert_eq!(code.size(), 25);
        let grid = civiqr_testkit::Grid::from_fn(25, 25, |x, y| code.get(x, y));
        let drawn = civiqr_testkit::Raster::new(6).levels(40, 210).draw(&grid);
        let gray = drawn.box3_blur().box3_blur().into();
        (super::super::binarize::local(&gray), code)
    }

    /// The map from module to pixel coordinates of [`drawn_v2`], with the
    /// image point of module-space anchor `i` moved by `off` pixels.
    fn v2_map(i: usize, off: (f64, f64)) -> Homography {
        let src = [(3.5, 3.5), (21.5, 3.5), (18.5, 18.5), (3.5, 21.5)];
        let mut dst = src.map(|(u, v)| (24.0 + 6.0 * u, 24.0 + 6.0 * v));
        dst[i] = (dst[i].0 + off.0, dst[i].1 + off.1);
        Homography::from_quads(src, dst).expect("a map")
    }

    /// Modules of `code` that `h` samples wrong in `img`.
    fn misread(img: &BitImage, h: &Homography, code: &crate::QrCode) -> usize {
        let mut wrong = 0;
        for y in 0..25 {
            for x in 0..25 {
                wrong += usize::from(sample_module(img, h, x, y).0 != code.get(x, y));
            }
        }
        wrong
    }

    #[test]
    fn refining_moves_a_misplaced_anchor_back_onto_the_grid() {
        let (img, code) = drawn_v2();
        let right = v2_map(0, (0.0, 0.0));
        assert_eq!(misread(&img, &right, &code), 0);
        // Each anchor in turn 3 px (half a module) off along a diagonal: the
        // far side of the grid then samples module edges.
        for i in 0..4 {
            let off = v2_map(i, (3.0, -3.0));
            let before = misread(&img, &off, &code);
            assert!(before > 15, "anchor {i}: {before} wrong before");
            let fixed = refine(&img, &off, 25).expect("a better fit");
            assert!(fit_score(&img, &fixed, 25) > fit_score(&img, &off, 25));
            let after = misread(&img, &fixed, &code);
            assert_eq!(after, 0, "anchor {i}: {before} wrong before");
        }
    }

    #[test]
    fn a_fourth_point_a_module_off_reads_the_structure_wrong() {
        let (img, _) = drawn_v2();
        let right = structure_wrong(&img, &v2_map(0, (0.0, 0.0)), 25, usize::MAX);
        assert_eq!(right, 0);
        // The alignment centre a module (6 px) off along both axes.
        let off = structure_wrong(&img, &v2_map(2, (6.0, 6.0)), 25, usize::MAX);
        assert!(off >= 8, "{off} wrong");
    }

    #[test]
    fn grey_levels_place_an_alignment_pattern_of_two_pixel_modules() {
        let (_, code) = drawn_v2();
        let grid = civiqr_testkit::Grid::from_fn(25, 25, |x, y| code.get(x, y));
        let gray = civiqr_testkit::Raster::new(2).levels(40, 210).draw(&grid);
        let img = super::super::binarize::local(&gray.box3_blur().into());
        // The 4-module quiet zone puts the centre of module (18, 18) at 45 px.
        let (x, y) =
            alignment_by_grey(&img, (46.0, 44.0), (2.0, 0.0), (0.0, 2.0), 1).expect("the pattern");
        assert!((x - 45.0).hypot(y - 45.0) < 0.6, "({x}, {y})");
        // Placements partly off the 66 px image are skipped, not the search.
        let (x, y) =
            alignment_by_grey(&img, (46.0, 44.0), (2.0, 0.0), (0.0, 2.0), 10).expect("the pattern");
        assert!((x - 45.0).hypot(y - 45.0) < 0.6, "({x}, {y})");
        // Where no alignment pattern is (a finder's centre), none is placed.
        assert!(alignment_by_grey(&img, (15.0, 15.0), (2.0, 0.0), (0.0, 2.0), 1).is_none());
    }

    #[test]
    fn a_strong_triple_finds_by_grey_levels_an_alignment_pattern_the_runs_miss() {
        let (_, code) = drawn_v2();
        let grid = civiqr_testkit::Grid::from_fn(25, 25, |x, y| code.get(x, y));
        let gray = civiqr_testkit::Raster::new(2).levels(40, 210).draw(&grid);
        let mut img = super::super::binarize::local(&gray.box3_blur().into());
        // The pattern (modules 16-20, pixels 40-49) gone from the binary image
        // only, as a threshold too high for it reads its light ring dark.
        for y in 40..50 {
            img.data[y * img.width + 40..y * img.width + 50].fill(1);
        }
        // Finder centres at modules 3.5 and 21.5: pixels 15 and 51.
        let f = [
            finder(15.0, 15.0, 2.0),
            finder(51.0, 15.0, 2.0),
            finder(15.0, 51.0, 2.0),
        ];
        let t = Triple {
            tl: 0,
            tr: 1,
            bl: 2,
            score: 0.0,
            modules: [2.0; 3],
            weak: false,
        };
        let mut alignments = None;
        transforms(&img, &f, &t, 25, &mut alignments);
        let found = alignments.unwrap_or_default();
        assert!(
            found.iter().any(|&(x, y)| (x - 45.0).hypot(y - 45.0) < 0.6),
            "{found:?}"
        );
        // A weak triple (texture, mostly) does not pay for that search.
        let mut alignments = None;
        transforms(&img, &f, &Triple { weak: true, ..t }, 25, &mut alignments);
        let found = alignments.unwrap_or_default();
        assert!(!found.iter().any(|&(x, y)| (x - 45.0).hypot(y - 45.0) < 0.6));
    }

    #[test]
    fn refining_leaves_a_right_map_alone() {
        let (img, _) = drawn_v2();
        let right = v2_map(0, (0.0, 0.0));
        if let Some(h) = refine(&img, &right, 25) {
            // Any move is a small one (ties in the blur's plateaus).
            for (u, v) in [(0.0, 0.0), (25.0, 0.0), (25.0, 25.0), (0.0, 25.0)] {
                let (a, b) = (right.map(u, v), h.map(u, v));
                assert!((a.0 - b.0).hypot(a.1 - b.1) < 3.0, "{a:?} became {b:?}");
            }
        }
    }
}

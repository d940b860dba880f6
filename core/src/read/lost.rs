//! A finder lost under a sticker, placed by the timing pattern that runs
//! towards it from a found corner finder. Squaring off the found pair puts
//! the lost finder where it would sit seen head-on; tilted 10 degrees, a
//! version 4 symbol's lost finder lies four or five modules from there, too
//! far for any nudge. The timing pattern leaves the found corner along the
//! symbol's own row (or column), and its modules, which shrink or grow
//! along it with the perspective, say how far the lost finder is.

use super::binarize::BitImage;
use super::find::Finder;
use super::locate::snapped_size;
use super::sample::Homography;

/// Widest turn from the squared-off direction that is walked, as its
/// tangent (17 degrees): a perspective of 0.15 (the `covered` kind's
/// strongest) turns a side by about 12 degrees.
const MAX_TURN: f32 = 0.3;

/// Timing modules that must alternate before a walked line is trusted:
/// a line through data or texture seldom alternates for eight modules.
const MIN_RUNS: usize = 8;

/// Turns of the fine sweep per turn of the coarse one (see `walk`): two
/// modules apart at the sweep's far end, so that the nearest coarse turn
/// follows a timing row for half its length or more.
const COARSE: i32 = 4;

/// Timing modules a coarse turn must alternate for before the fine sweep.
const MIN_COARSE_RUNS: usize = 4;

/// Most timing modules walked per direction while turning: enough to tell
/// the turns apart, few enough that a large symbol costs no more.
const SWEEP_MODULES: f32 = 24.0;

/// Shortest and longest timing module along a walked line, in the module
/// its last two runs say: blur widens the dark ones and narrows the light
/// ones, but a run of two modules (half of a line through data) ends it.
const RUN_MODULES: (f32, f32) = (0.6, 1.5);

/// The finder's ring row before the first timing module: 3.5 modules from
/// the centre's column, within these bounds.
const RING_MODULES: (f32, f32) = (2.5, 5.0);

/// A walked timing line: row (or column) 6 leaving a corner finder, with
/// the distance `s` along it of the boundary `u` modules from the finder's
/// centre fitted as `s = a u / (1 + g u)` (one axis of a projective map).
#[derive(Clone, Copy, Debug)]
struct Walk {
    start: (f32, f32),
    dir: (f32, f32),
    a: f32,
    g: f32,
    /// `u` of the farthest boundary walked.
    last: f32,
}

impl Walk {
    /// The `u` of the point `s` pixels along the line; `None` past the
    /// line's horizon.
    fn u_at(&self, s: f32) -> Option<f32> {
        let w = self.a - self.g * s;
        (w > 0.0).then(|| s / w)
    }

    /// The line's point `u` modules from the finder's centre column, and
    /// the module there (pixels); `None` past the line's horizon.
    fn at(&self, u: f32) -> Option<((f32, f32), f32)> {
        let w = 1.0 + self.g * u;
        if w < 0.25 {
            return None;
        }
        let s = self.a * u / w;
        let p = (self.start.0 + s * self.dir.0, self.start.1 + s * self.dir.1);
        Some((p, self.a / (w * w)))
    }
}

/// Where the lost third finder of the pair `a`, `b` sits by its timing
/// patterns, and its module (pixels). `corner` is the symbol's corner
/// finder, the one next to both others (0 `a`, 1 `b`, 2 the lost one), and
/// `guess` where squaring the pair off puts the lost one (see
/// `pair::third_positions`).
/// - A side pair: through the projective map that the pair's centres and
///   two points of the line walked from the corner fix, for a symbol of
///   the size the pair's own timing pattern says.
/// - A diagonal pair: where the lines walked from both finders cross,
///   three modules on along each; when only one alternates, through the
///   map it and the pair fix, for the size their distance says.
///
/// `None` when no line alternates for [`MIN_RUNS`] modules.
pub(super) fn walked_third(
    bits: &BitImage,
    a: &Finder,
    b: &Finder,
    corner: usize,
    guess: (f32, f32),
) -> Option<(f32, f32, f32)> {
    let m = (a.module + b.module) / 2.0;
    let dist = |p: (f32, f32), q: (f32, f32)| (p.0 - q.0).hypot(p.1 - q.1);
    let (pa, pb) = ((a.x, a.y), (b.x, b.y));
    // Each walked line gives two points of known module coordinates, its
    // farthest boundary and the one midway; with the pair's centres, the
    // four fix the symbol's projective map, which places the lost centre.
    let points = |w: &Walk, module: &dyn Fn(f32) -> (f32, f32)| {
        let far = w.at(w.last)?.0;
        let mid = w.at((3.5 + w.last) / 2.0)?.0;
        Some([(module(w.last), far), (module((3.5 + w.last) / 2.0), mid)])
    };
    if corner < 2 {
        // The corner at the top left, the other finder below it, the lost
        // one to its right.
        let (c, o) = if corner == 0 { (a, b) } else { (b, a) };
        let (pc, po) = ((c.x, c.y), (o.x, o.y));
        let inward = unit((po.0 - pc.0, po.1 - pc.1))?;
        let row = walk(bits, c, c.module, guess, Some(inward), po, MAX_TURN)?;
        // The symbol's size from the side the pair spans: its own timing
        // pattern, walked towards the other finder three modules inside
        // (along the lost side's row), reaches it `d - 7` modules on;
        // measured from the finders' distance when that one is covered.
        let d = match walk(bits, c, row.a, po, Some(row.dir), po, 0.0) {
            Some(side) => {
                let s = (po.0 - side.start.0) * side.dir.0 + (po.1 - side.start.1) * side.dir.1;
                snapped_size(side.u_at(s)? + 7.0)
            }
            None => snapped_size(dist(pc, po) / m + 7.0),
        };
        let [far, mid] = points(&row, &|u| (3.5 + u, 6.5))?;
        let src = [(3.5, 3.5), (3.5, d - 3.5), far.0, mid.0];
        return place(src, [pc, po, far.1, mid.1], (d - 3.5, 3.5));
    }
    // `a` at the top right, `b` at the bottom left: the lost top-left
    // finder is the same point either way round.
    let wa = walk(bits, a, a.module, guess, None, pb, MAX_TURN);
    let wb = walk(bits, b, b.module, guess, None, pa, MAX_TURN);
    if let (Some(wa), Some(wb)) = (&wa, &wb) {
        // Row 6 and column 6 cross at module (6.5, 6.5); the lost centre
        // lies three modules on along each line. (Two points that near the
        // lost corner would fix the map's perspective poorly.)
        let (x, s_a, s_b) = crossing(wa, wb)?;
        let scale = |w: &Walk, s: f32| w.at(w.u_at(s)?).map(|(_, k)| k);
        let (ka, kb) = (scale(wa, s_a)?, scale(wb, s_b)?);
        return Some((
            x.0 + 3.0 * (ka * wa.dir.0 + kb * wb.dir.0),
            x.1 + 3.0 * (ka * wa.dir.1 + kb * wb.dir.1),
            (ka + kb) / 2.0,
        ));
    }
    let d = snapped_size(dist(pa, pb) / (m * std::f32::consts::SQRT_2) + 7.0);
    let [p, q] = match (&wa, &wb) {
        (Some(w), _) => points(w, &|u| (d - 3.5 - u, 6.5))?,
        (_, Some(w)) => points(w, &|u| (6.5, d - 3.5 - u))?,
        (None, None) => return None,
    };
    let src = [(d - 3.5, 3.5), (3.5, d - 3.5), p.0, q.0];
    place(src, [pa, pb, p.1, q.1], (3.5, 3.5))
}

/// Through the projective map taking the module coordinates `src` to the
/// image points `dst`, where module point `at` lies and the module there
/// (pixels, the root of a module's area).
fn place(src: [(f32, f32); 4], dst: [(f32, f32); 4], at: (f32, f32)) -> Option<(f32, f32, f32)> {
    let wide = |p: (f32, f32)| (f64::from(p.0), f64::from(p.1));
    let h = Homography::from_quads(src.map(wide), dst.map(wide))?;
    let (u, v) = wide(at);
    let (c, e, f) = (h.map(u, v), h.map(u + 1.0, v), h.map(u, v + 1.0));
    let area = ((e.0 - c.0) * (f.1 - c.1) - (e.1 - c.1) * (f.0 - c.0)).abs();
    let module = area.sqrt() as f32;
    let (x, y) = (c.0 as f32, c.1 as f32);
    (x.is_finite() && y.is_finite() && module.is_finite()).then_some((x, y, module))
}

/// Where two walked lines cross, with the distance along each.
fn crossing(a: &Walk, b: &Walk) -> Option<((f32, f32), f32, f32)> {
    // start_a + s dir_a = start_b + t dir_b, by Cramer's rule.
    let det = a.dir.0 * (-b.dir.1) - a.dir.1 * (-b.dir.0);
    if det.abs() < 0.3 {
        return None;
    }
    let (rx, ry) = (b.start.0 - a.start.0, b.start.1 - a.start.1);
    let s = (rx * (-b.dir.1) - ry * (-b.dir.0)) / det;
    let t = (a.dir.0 * ry - a.dir.1 * rx) / det;
    (s > 0.0 && t > 0.0).then_some(((a.start.0 + s * a.dir.0, a.start.1 + s * a.dir.1), s, t))
}

/// `v` scaled to length 1; `None` for a null vector.
fn unit(v: (f32, f32)) -> Option<(f32, f32)> {
    let n = v.0.hypot(v.1);
    (n > 1e-3).then(|| (v.0 / n, v.1 / n))
}

/// The timing line leaving corner finder `c` towards `guess`, turned to
/// where it alternates longest, and fitted; three modules inside the
/// line through the centres, towards `inward` when given (a side pair's
/// other finder lies along the corner's column), else square to the line
/// on the side of `side`. `m` is the module (pixels) it starts from, and
/// `max_turn` the tangent of the widest turn (0: straight at `guess`).
fn walk(
    bits: &BitImage,
    c: &Finder,
    m: f32,
    guess: (f32, f32),
    inward: Option<(f32, f32)>,
    side: (f32, f32),
    max_turn: f32,
) -> Option<Walk> {
    let base = unit((guess.0 - c.x, guess.1 - c.y))?;
    let length = (guess.0 - c.x).hypot(guess.1 - c.y);
    let sweep = (length - 8.0 * m).clamp(0.0, SWEEP_MODULES * m);
    if sweep < MIN_RUNS as f32 * m {
        return None;
    }
    // Turned by the angle whose tangent is `turn` (no trigonometry: the
    // WebAssembly package would carry its code).
    let line = |turn: f32| {
        let (x, y) = (base.0 - turn * base.1, base.1 + turn * base.0);
        let n = x.hypot(y);
        let dir = (x / n, y / n);
        let across = inward.unwrap_or_else(|| {
            let n = (-dir.1, dir.0);
            let toward = (side.0 - c.x) * n.0 + (side.1 - c.y) * n.1;
            if toward >= 0.0 {
                n
            } else {
                (-n.0, -n.1)
            }
        });
        let start = (c.x + 3.0 * m * across.0, c.y + 3.0 * m * across.1);
        (start, dir)
    };
    // Turns half a module apart at the sweep's far end, looked at every
    // [`COARSE`]-th first (most lines through texture end within a few
    // runs, at every turn), then one by one round the best of those.
    let step = 0.5 * m / (sweep + 4.0 * m);
    let turns = (max_turn / step) as i32;
    let runs_at = |k: i32| {
        let (start, dir) = line(k as f32 * step);
        alternating(bits, start, dir, m, sweep + 4.0 * m, None)
    };
    let mut coarse = (0usize, 0i32);
    for k in (-turns..=turns).step_by(COARSE as usize) {
        let runs = runs_at(k);
        if runs > coarse.0 {
            coarse = (runs, k);
        }
    }
    if coarse.0 < MIN_COARSE_RUNS {
        return None;
    }
    let mut best = (0usize, 0i32, 0i32);
    for k in (coarse.1 - COARSE).max(-turns)..=(coarse.1 + COARSE).min(turns) {
        let runs = runs_at(k);
        if runs > best.0 {
            best = (runs, k, k);
        } else if runs == best.0 && runs > 0 && k == best.2 + 1 {
            best.2 = k;
        }
    }
    if best.0 < MIN_RUNS {
        return None;
    }
    // The middle of the best turns (each walked alike), its boundaries kept.
    let (start, dir) = line(((best.1 + best.2) / 2) as f32 * step);
    let mut edges: Vec<f32> = Vec::new();
    let runs = alternating(bits, start, dir, m, length, Some(&mut edges));
    if runs < MIN_RUNS {
        return None;
    }
    // Boundary k lies 3.5 + k modules from the centre's column. Least
    // squares for s = a u - g (u s), linear in a and g.
    let (mut uu, mut us2, mut u2s, mut su, mut s2u) = (0.0f32, 0.0f32, 0.0f32, 0.0f32, 0.0f32);
    for (k, &s) in edges.iter().enumerate() {
        let u = 3.5 + k as f32;
        let us = u * s;
        uu += u * u;
        u2s += u * us;
        us2 += us * us;
        su += s * u;
        s2u += s * us;
    }
    // Normal equations: [uu, -u2s; -u2s, us2] [a; g] = [su; -s2u].
    let det = uu * us2 - u2s * u2s;
    if det.abs() < f32::EPSILON * uu * us2 {
        return None;
    }
    let a = (su * us2 - u2s * s2u) / det;
    let g = (uu * -s2u + u2s * su) / det;
    if !(a > 0.0 && a.is_finite() && g.is_finite()) {
        return None;
    }
    Some(Walk {
        start,
        dir,
        a,
        g,
        last: 3.5 + runs as f32,
    })
}

/// Timing modules along the line from `start` (on the corner finder's
/// ring row) in direction `dir`, sampled every quarter of `m` up to `reach`:
/// the ring's dark run of [`RING_MODULES`] of `m`, then runs of alternating
/// colours, each within [`RUN_MODULES`] of the last two runs' mean (at
/// first `m`), which follows the modules as the perspective shrinks or
/// grows them; counted until the first that is not. Each boundary's
/// distance goes to `edges`, the ring's end first.
fn alternating(
    bits: &BitImage,
    start: (f32, f32),
    dir: (f32, f32),
    m: f32,
    reach: f32,
    mut edges: Option<&mut Vec<f32>>,
) -> usize {
    let step = m / 4.0;
    let dark = |s: f32| bits.get_i((start.0 + s * dir.0) as i64, (start.1 + s * dir.1) as i64);
    if !dark(0.0) {
        return 0;
    }
    let mut s = 0.0;
    let mut from = 0.0f32;
    let mut colour = true;
    let mut runs = 0usize;
    // The last two timing runs, for the module they say.
    let mut last = [m, m];
    while s < reach {
        s += step;
        if dark(s) == colour {
            continue;
        }
        // A boundary midway between the two samples.
        let at = s - step / 2.0;
        let run = at - from;
        if runs == 0 && from == 0.0 {
            // The ring row runs from the centre's column, 3.5 modules.
            if !(RING_MODULES.0 * m..=RING_MODULES.1 * m).contains(&run) {
                return 0;
            }
        } else {
            let local = (last[0] + last[1]) / 2.0;
            if !(RUN_MODULES.0 * local..=RUN_MODULES.1 * local).contains(&run) {
                return runs;
            }
            last = [last[1], run];
            runs += 1;
        }
        if let Some(edges) = edges.as_deref_mut() {
            edges.push(at);
        }
        from = at;
        colour = !colour;
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::binarize;
    use civiqr_testkit::Quad;

    const N: usize = 33;

    /// A version 4 symbol at level H seen from its bottom left, the
    /// sides 1.2 to 1.6 times as long as the one opposite, with the finder at corner
    /// `covered` (0 top-left, 1 top-right, 2 bottom-left) and its separator
    /// under a light patch, and with `broken` of its timing modules (from
    /// the found corner's end) kept, the rest dark: the binary image and
    /// the map from the unit square.
    fn tilted(covered: usize, broken: Option<usize>) -> (BitImage, Quad) {
        let code = crate::encode_text(
            "https://www.saint-omer.fr/rs5hqgt",
            &crate::EncodeOptions::default()
                .ec_level(crate::EcLevel::H)
                .version(crate::Version::new(4).expect("v4")),
        )
        .expect("fits");
        assert_eq!(code.size(), N);
        let q = Quad::new([(100.0, 70.0), (300.0, 50.0), (360.0, 350.0), (40.0, 330.0)]);
        let (x0, y0) = [(0, 0), (N - 8, 0), (0, N - 8)][covered];
        let dark = |x: usize, y: usize| {
            let timing = (x == 6) != (y == 6) && (8..N - 8).contains(&(x + y - 6));
            if (x0..x0 + 8).contains(&x) && (y0..y0 + 8).contains(&y) {
                false
            } else if let (true, Some(kept)) = (timing, broken) {
                x + y - 6 >= 8 + kept || code.get(x, y)
            } else {
                code.get(x, y)
            }
        };
        (binarize::local(&q.draw(N, dark, 400).into()), q)
    }

    /// The finder centred at module `(u, v)` through `q`, its module the
    /// map's scale there.
    fn finder_at(q: &Quad, u: f64, v: f64) -> Finder {
        let n = N as f64;
        let p = q.point(u / n, v / n);
        let (e, f) = (q.point((u + 1.0) / n, v / n), q.point(u / n, (v + 1.0) / n));
        let module = ((e.0 - p.0).hypot(e.1 - p.1) + (f.0 - p.0).hypot(f.1 - p.1)) / 2.0;
        Finder {
            x: p.0 as f32,
            y: p.1 as f32,
            module: module as f32,
            diagonal: module as f32,
            count: 10,
        }
    }

    const CENTRES: [(f64, f64); 3] = [(3.5, 3.5), (N as f64 - 3.5, 3.5), (3.5, N as f64 - 3.5)];

    /// The found pair and the lost finder when the one at `covered` is
    /// lost, with the corner index for [`walked_third`] and the squared-off
    /// guess nearest the lost one.
    fn case(q: &Quad, covered: usize) -> (Finder, Finder, usize, Finder, (f32, f32)) {
        let [tl, tr, bl] = CENTRES.map(|(u, v)| finder_at(q, u, v));
        let (a, b, corner, lost) = match covered {
            0 => (tr, bl, 2, tl),
            1 => (tl, bl, 0, tr),
            _ => (tl, tr, 0, bl),
        };
        // Squared off as `pair::third_positions` does, on the lost side.
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let (base, reach) = if corner == 2 {
            (((a.x + b.x) / 2.0, (a.y + b.y) / 2.0), 0.5)
        } else {
            ((a.x, a.y), 1.0)
        };
        let guess = [1.0, -1.0]
            .map(|s| (base.0 - s * reach * dy, base.1 + s * reach * dx))
            .into_iter()
            .min_by(|p, r| {
                let d = |p: &(f32, f32)| (p.0 - lost.x).hypot(p.1 - lost.y);
                d(p).total_cmp(&d(r))
            })
            .expect("two guesses");
        (a, b, corner, lost, guess)
    }

    #[test]
    fn a_tilted_symbols_lost_finder_is_placed_by_its_timing_patterns() {
        for covered in 0..3 {
            let (bits, q) = tilted(covered, None);
            let (a, b, corner, lost, guess) = case(&q, covered);
            let off = |p: (f32, f32)| (p.0 - lost.x).hypot(p.1 - lost.y) / lost.module;
            let squared = off(guess);
            let (x, y, module) = walked_third(&bits, &a, &b, corner, guess).expect("walked");
            let walked = off((x, y));
            eprintln!("finder {covered}: walked {walked:.2} modules off, squared off {squared:.2}");
            assert!(
                walked < 0.5 && squared > 4.0,
                "finder {covered}: walked {walked:.2} modules off, squared off {squared:.2}"
            );
            assert!(
                (module / lost.module - 1.0).abs() < 0.15,
                "module {module} vs {}",
                lost.module
            );
        }
    }

    #[test]
    fn a_timing_pattern_broken_short_of_eight_modules_places_nothing() {
        // Side pairs only: with the finder at the top right lost, the top
        // timing row is the only line towards it.
        for kept in [3, 6] {
            let (bits, q) = tilted(1, Some(kept));
            let (a, b, corner, _, guess) = case(&q, 1);
            assert_eq!(
                walked_third(&bits, &a, &b, corner, guess),
                None,
                "{kept} kept"
            );
        }
        // Kept whole, the same line places it.
        let (bits, q) = tilted(1, Some(N));
        let (a, b, corner, _, guess) = case(&q, 1);
        assert!(walked_third(&bits, &a, &b, corner, guess).is_some());
    }
}

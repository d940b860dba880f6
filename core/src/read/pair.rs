//! A symbol of which only two finder patterns were found: a sticker, dirt or
//! glare over the third. The third is placed where the pair's geometry puts
//! it (a side pair: either end, either side, at the pair's distance; a
//! diagonal pair: the two other corners) and the triple tried like any other;
//! before that, where the timing patterns that run towards it lead (see
//! `lost.rs`), which under perspective is elsewhere.
//! Triples whose two timing patterns both alternate are tried first: the
//! timing patterns run between the finders' inner edges, so a covered
//! finder leaves them, while texture rarely makes two such lines at right
//! angles. The others follow (the caller bounds them): on a far-away
//! symbol blur and a misplaced inferred corner break the timing lines of
//! a real pair too. Reed-Solomon decides, as for every triple.

use super::binarize::BitImage;
use super::centre::{core_centre, inferred_centre};
use super::find::Finder;
use super::group::runs_ok;
use super::locate::{order_triple, Triple, STRONG_ROWS};
use super::lost::walked_third;

/// Pairs of a scan looked at, best confirmed first: a symbol's own two
/// finders are among its best confirmed, and a frame of texture has
/// hundreds of pairs whose timing lines would each be walked.
const PAIRS: usize = 8;

// Each pair's six candidate corners are one bit of a `u64` (see
// `try_inferred_triples`).
const _: () = assert!(PAIRS * 6 <= 64);

/// Most ratio of the module sizes of a pair's two finders: a symbol seen at
/// an angle (its near side 1.3 times the far one, and blur) makes them
/// differ, and the walked placement (`lost.rs`) gives the inferred finder
/// its own side's module. Steeper views put it too far off to read.
const MODULE_RATIO: f32 = 1.45;

/// Modules (pixels) under which a finder seen on two scanned rows may pair
/// with a well-confirmed one (see [`try_inferred_triples`]).
const SMALL_PAIR_MODULE: f32 = 3.0;

/// Modules (pixels) under which an inferred finder is also placed by its
/// grey levels (see `centre::inferred_centre`): the far-away symbols that
/// need it have modules of 2-2.6 px, and the search's cost grows with the
/// square of the module on every frame of texture.
const INFERRED_SEARCH_MODULE: f32 = 2.8;

/// A triple with an inferred finder: the three finders (the inferred one
/// last) and their order.
pub(super) type Inferred = ([Finder; 3], Triple);

/// For the [`PAIRS`] best confirmed pairs of `finders`, the inferred
/// triples, passed to `try_triple` until it returns `true`: each with a
/// copy of the pair and the inferred finder (indices 0 and 1 the pair, 2
/// the inferred finder), the second placement of a small inferred finder
/// (moved to where its grey levels are point-symmetric; worked out only
/// when asked for, after the first read nothing), whether its timing
/// patterns alternate, and whether the pair is one of a well-confirmed
/// finder and a small one seen on two rows. Those that alternate come
/// first, in pair order, then the rest in pair order; the pairs of
/// well-confirmed finders first, then the others. Each position is offered
/// walked along its timing patterns (see `lost.rs`) before squared off.
pub(super) fn try_inferred_triples(
    bits: &BitImage,
    finders: &[Finder],
    mut try_triple: impl FnMut(&[Finder; 3], Triple, &dyn Fn() -> Option<Inferred>, bool, bool) -> bool,
) {
    // The pairs of well-confirmed finders, then (after all of those) the
    // pairs of one such finder and a small one seen on two rows: at about
    // 2 px a module a finder's centre crosses two or three scanned rows.
    let mut pairs: Vec<(u32, usize, usize)> = Vec::new();
    let mut small: Vec<(u32, usize, usize)> = Vec::new();
    let strong = |f: &Finder| f.count >= STRONG_ROWS;
    let seen = |f: &Finder| strong(f) || (f.count >= 2 && f.module < SMALL_PAIR_MODULE);
    for (i, a) in finders.iter().enumerate().filter(|(_, f)| seen(f)) {
        for (j, b) in finders
            .iter()
            .enumerate()
            .skip(i + 1)
            .filter(|(_, f)| seen(f))
        {
            let (lo, hi) = (a.module.min(b.module), a.module.max(b.module));
            if hi > lo * MODULE_RATIO {
                continue;
            }
            // Centres 14 to 170 modules apart along a side (see
            // `order_triple`), up to sqrt 2 times that across.
            let span = (a.x - b.x).hypot(a.y - b.y) / ((a.module + b.module) / 2.0);
            if !(14.0..=240.0).contains(&span) {
                continue;
            }
            let key = (!a.count.min(b.count), i, j);
            match (strong(a), strong(b)) {
                (true, true) => pairs.push(key),
                (true, false) | (false, true) => small.push(key),
                (false, false) => {}
            }
        }
    }
    // Best confirmed first (the count is complemented), ties in finder
    // order; the keys are unique, so an unstable sort gives that order.
    pairs.sort_unstable();
    small.sort_unstable();
    pairs.truncate(PAIRS);
    small.truncate(PAIRS);
    for (pairs, small) in [(pairs, false), (small, true)] {
        if try_pairs(bits, finders, &pairs, small, &mut try_triple) {
            return;
        }
    }
}

/// [`try_inferred_triples`] for one list of pairs (at most [`PAIRS`]),
/// `small` saying which list; `true` once `try_triple` has.
fn try_pairs(
    bits: &BitImage,
    finders: &[Finder],
    pairs: &[(u32, usize, usize)],
    small: bool,
    try_triple: &mut impl FnMut(&[Finder; 3], Triple, &dyn Fn() -> Option<Inferred>, bool, bool) -> bool,
) -> bool {
    // Which candidates' timing patterns did not alternate (bit 6 pair +
    // position), from the first round: the second tries those without
    // walking their lines again.
    let mut untimed = 0u64;
    for timed in [true, false] {
        for (p, &(_, i, j)) in pairs.iter().enumerate() {
            let (a, b) = (&finders[i], &finders[j]);
            for (k, (corner, x, y)) in third_positions(a, b).into_iter().enumerate() {
                let bit = 1u64 << (6 * p + k);
                if !timed && untimed & bit == 0 {
                    continue;
                }
                // The third finder at `(x, y)` with `module`, the triple
                // ordered with the corner this position is for.
                let candidate = |x: f32, y: f32, module: f32, diagonal: f32| {
                    if !(0.0..bits.width as f32).contains(&x)
                        || !(0.0..bits.height as f32).contains(&y)
                    {
                        return None;
                    }
                    let third = Finder {
                        x,
                        y,
                        module,
                        diagonal,
                        count: a.count.min(b.count),
                    };
                    let three = [*a, *b, third];
                    let t = order_triple(&three, [0, 1, 2])
                        .into_iter()
                        .flatten()
                        .find(|t| t.tl == corner)?;
                    Some((three, t))
                };
                let mean = (a.module + b.module) / 2.0;
                let squared = candidate(x, y, mean, (a.diagonal + b.diagonal) / 2.0);
                let timed_ok = |c: &([Finder; 3], Triple)| timing_alternates(bits, &c.0, &c.1);
                // Walked along the timing patterns where they lead (see
                // `lost.rs`): under perspective the lost finder lies
                // elsewhere than squared off, and its modules are those of
                // its side of the symbol, which the map's perspective
                // follows. Tried first, unless it is the squared-off one.
                let walked = if timed {
                    walked_third(bits, a, b, corner, (x, y))
                        .filter(|&(wx, wy, m)| {
                            (wx - x).hypot(wy - y) > m / 2.0 || (m - mean).abs() > mean / 10.0
                        })
                        .and_then(|(x, y, module)| candidate(x, y, module, module))
                        .filter(timed_ok)
                } else {
                    None
                };
                let squared = squared.filter(|c| {
                    let ok = !timed || timed_ok(c);
                    if !ok {
                        untimed |= bit;
                    }
                    ok
                });
                for (three, t) in [walked, squared].into_iter().flatten() {
                    let third = three[2];
                    // A small finder the scan missed is also looked for near
                    // its place by its grey levels (see
                    // `centre::inferred_centre`), and tried there second.
                    // (Built here, not through `candidate`: a third inlined
                    // copy of that costs the WebAssembly package 314 bytes.)
                    let placed = || {
                        if third.module >= INFERRED_SEARCH_MODULE {
                            return None;
                        }
                        let (x, y) = inferred_centre(bits, (third.x, third.y), third.module)?;
                        let three = [*a, *b, Finder { x, y, ..third }];
                        let t = order_triple(&three, [0, 1, 2])
                            .into_iter()
                            .flatten()
                            .find(|t| t.tl == corner)?;
                        Some((three, t))
                    };
                    if try_triple(&three, t, &placed, timed, small) {
                        return true;
                    }
                }
            }
        }
    }
    false
}

/// Whether the timing patterns of a triple with an inferred finder (index 2
/// of `three`) alternate, each with one slip allowed (see
/// [`runs_ok`]): with a finder lost to noise or dirt, the timing patterns
/// are seldom clean. A side pair's own timing pattern is checked whole,
/// the one towards the inferred finder over its half nearest the found
/// corner only: the inferred finder squares the pair off, and under
/// perspective the true one lies a few degrees away, which takes the far
/// end of that line off the one-module timing row. A diagonal pair's lines
/// both end at the inferred corner: each is checked over its half nearest
/// its found end, shifted inwards as the found end's side runs.
fn timing_alternates(bits: &BitImage, three: &[Finder; 3], t: &Triple) -> bool {
    let at = |i: usize| (three[i].x, three[i].y);
    let m = (t.modules[0] + t.modules[1] + t.modules[2]) / 3.0;
    let tl = at(t.tl);
    if t.tl == 2 {
        let (tr, bl) = (at(t.tr), at(t.bl));
        // From `p`, the direction of the side from the corner to `side`.
        let inwards = |p: (f32, f32), side: (f32, f32)| (p.0 + side.0 - tl.0, p.1 + side.1 - tl.1);
        return runs_ok(bits, tr, tl, inwards(tr, bl), m, 0.5, 1)
            && runs_ok(bits, bl, tl, inwards(bl, tr), m, 0.5, 1);
    }
    let (a, b) = (at(1 - t.tl), at(2));
    runs_ok(bits, tl, a, b, m, 1.0, 1) && runs_ok(bits, tl, b, a, m, 0.5, 1)
}

/// Where the third finder of a symbol with finders `a` and `b` may sit,
/// each with the index of the corner finder (0 `a`, 1 `b`, 2 the inferred
/// one): for a side pair, square off either end to either side; for a
/// diagonal pair, the two other corners of the square over it.
fn third_positions(a: &Finder, b: &Finder) -> [(usize, f32, f32); 6] {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let mid = ((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
    let ends = [((a.x, a.y), 1.0), ((b.x, b.y), 1.0), (mid, 0.5)];
    std::array::from_fn(|k| {
        let ((x, y), reach) = ends[k / 2];
        let s = if k % 2 == 0 { reach } else { -reach };
        (k / 2, x - s * dy, y + s * dx)
    })
}

/// Where the third finder of a symbol wrapped round a pole may be, when the
/// scans found two of its finders, `a` and `b`: on either side of either
/// end, the farthest dark core (see `centre::core_centre`) along the
/// perpendicular, from [`WRAPPED_NEAREST`] to [`WRAPPED_FARTHEST`] times the
/// pair's distance. Unlike a flat pair's, the third's distance is not the
/// pair's: the wrap foreshortens whichever side runs round the pole. A ray
/// from a finder across the symbol crosses its data's blots first, and the
/// symbol's own finder is the last core before the quiet zone. Each
/// position once (within a module of another); none for a pair closer than
/// [`WRAPPED_PAIR_SPAN`] modules or of unlike module sizes.
pub(super) fn wrapped_thirds(bits: &BitImage, a: &Finder, b: &Finder) -> Vec<Finder> {
    let module = (a.module + b.module) / 2.0;
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let d = dx.hypot(dy);
    let mut thirds: Vec<Finder> = Vec::new();
    if d < WRAPPED_PAIR_SPAN * module
        || a.module.max(b.module) > MODULE_RATIO * a.module.min(b.module)
    {
        return thirds;
    }
    let finder_at = |x: f32, y: f32| Finder {
        x,
        y,
        module,
        diagonal: module,
        count: 1,
    };
    for (end, side) in [(a, 1.0), (a, -1.0), (b, 1.0), (b, -1.0)] {
        let (nx, ny) = (-dy / d * side, dx / d * side);
        // Walked from the far end in: the first dark run a core's width
        // long that is a core is the farthest.
        let mut dark_from = None;
        let mut t = WRAPPED_FARTHEST * d;
        while t > WRAPPED_NEAREST * d {
            let (x, y) = (end.x + nx * t, end.y + ny * t);
            if bits.get_i(x as i64, y as i64) {
                dark_from.get_or_insert(t);
            } else if let Some(from) = dark_from.take() {
                let run = from - t;
                let middle = t + run / 2.0;
                let probe = finder_at(end.x + nx * middle, end.y + ny * middle);
                let core = (CORE_RUN.0 * module..=CORE_RUN.1 * module)
                    .contains(&run)
                    .then(|| core_centre(bits, &probe))
                    .flatten();
                if let Some((x, y)) = core {
                    let (x, y) = (x as f32, y as f32);
                    if thirds.iter().all(|f| (f.x - x).hypot(f.y - y) >= module) {
                        thirds.push(finder_at(x, y));
                    }
                    break;
                }
            }
            t -= RAY_STEP;
        }
    }
    thirds
}

/// Shortest distance between a wrapped pair's finders (see
/// [`wrapped_thirds`]), in modules: a version 1 symbol's finders are 14 apart.
const WRAPPED_PAIR_SPAN: f32 = 10.0;

/// Nearest and farthest a wrapped pair's third finder is looked for, in
/// the pair's distances (see [`wrapped_thirds`]): a side along the pole
/// keeps its length, one round it shrinks to about a third at the
/// strongest wraps (1.4 rad each way, seen from 3 radii).
const WRAPPED_NEAREST: f32 = 0.3;
const WRAPPED_FARTHEST: f32 = 2.6;

/// A finder's core along a ray, in the pair's modules: 3 modules across,
/// squeezed by the wrap to under one, or longer along a diagonal.
const CORE_RUN: (f32, f32) = (0.8, 4.0);

/// Pixels between samples along a ray of [`wrapped_thirds`].
const RAY_STEP: f32 = 0.5;

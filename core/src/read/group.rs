//! Finder triples on pages of many symbols (a print sheet, a grid of labels,
//! a photo of several stickers). Trying every combination of three finders
//! is cubic, and on such a page the best-shaped combinations are often
//! made of finders of neighbouring symbols. Here each finder is grouped only
//! with its nearest finders of a similar size, which holds a symbol's own
//! finders (they are a symbol's width apart, and a neighbour's finders
//! across the quiet zone are no nearer than that), so the work is linear in
//! the number of finders. The finders of neighbouring symbols also make
//! well-shaped triples (three top-left finders of a grid make a perfect one),
//! so triples whose timing patterns read as timing patterns go first.

use super::binarize::BitImage;
use super::find::Finder;
use super::locate::{order_triple, Triple};

/// Nearest finders each finder is grouped with. A symbol's own two other
/// finders come first or second along each axis; eight leaves room for the
/// finders of the neighbours above, below and to each side.
const NEIGHBOURS: usize = 8;

/// Two finders of one symbol differ in size, and so in the rows that
/// confirmed them, by at most this ratio (the perspective of a photographed
/// page; [`order_triple`] allows more). Finder-like blots in a symbol's data,
/// nearer to its finders than their partners, are confirmed on few rows.
const SIZE_RATIO: f32 = 2.0;

/// Plausible triples made of the finders listed in `pool` (indices into
/// `finders`): those whose timing patterns alternate first (see
/// [`timing_runs_ok`]), then the rest, each part best first by
/// [`order_triple`]'s score.
pub(super) fn neighbour_triples(
    bits: &BitImage,
    finders: &[Finder],
    pool: &[usize],
) -> Vec<Triple> {
    let mut by_x: Vec<usize> = pool.to_vec();
    // Equal x in pool order (ascending), as a stable sort would keep them.
    by_x.sort_unstable_by(|&a, &b| finders[a].x.total_cmp(&finders[b].x).then(a.cmp(&b)));
    let mut sets: Vec<[usize; 3]> = Vec::new();
    let mut near: Vec<(f32, usize)> = Vec::with_capacity(NEIGHBOURS + 1);
    for (rank, &i) in by_x.iter().enumerate() {
        nearest(finders, &by_x, rank, &mut near);
        for (a, &(_, j)) in near.iter().enumerate() {
            for &(_, k) in &near[a + 1..] {
                let mut set = [i, j, k];
                set.sort_unstable();
                sets.push(set);
            }
        }
    }
    // Each symbol's set is found from each of its three finders.
    sets.sort_unstable();
    sets.dedup();
    let out: Vec<Triple> = sets
        .into_iter()
        .flat_map(|set| order_triple(finders, set).into_iter().flatten())
        .collect();
    let mut ranked: Vec<(bool, Triple)> = out
        .into_iter()
        .map(|t| (!timing_runs_ok(bits, finders, &t), t))
        .collect();
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.score.total_cmp(&b.1.score)));
    ranked.into_iter().map(|(_, t)| t).collect()
}

/// Whether both timing patterns of a triple (row 6 between the top finders,
/// column 6 between the left ones, three modules inside the line through the
/// finder centres) look like one: no run of one colour longer than
/// [`TIMING_RUN`] modules between the separators. The line from one symbol's
/// finder to a neighbour's crosses a finder's edge or the quiet zone.
pub(super) fn timing_runs_ok(bits: &BitImage, finders: &[Finder], t: &Triple) -> bool {
    let [tl, tr, bl] = [t.tl, t.tr, t.bl].map(|i| (finders[i].x, finders[i].y));
    let [mtl, mtr, mbl] = t.modules;
    runs_ok(bits, tl, tr, bl, (mtl + mtr) / 2.0, 1.0, 0)
        && runs_ok(bits, tl, bl, tr, (mtl + mbl) / 2.0, 1.0, 0)
}

/// Longest run of one colour on a timing pattern, in modules: timing modules
/// alternate, and perspective across a page stretches them little.
const TIMING_RUN: f32 = 2.5;

/// Longest run, in modules, that counts as a slip (see [`runs_ok`]): one
/// light timing module lost in sensor noise joins two dark ones into three.
const SLIP_RUN: f32 = 4.0;

/// The timing line from finder `a` towards finder `b`, shifted three modules
/// towards finder `c`, sampled every third of a module between the
/// separators, over the fraction `reach` of that span nearest `a`; up to
/// `slips` runs longer than [`TIMING_RUN`] but not [`SLIP_RUN`] pass.
pub(super) fn runs_ok(
    bits: &BitImage,
    a: (f32, f32),
    b: (f32, f32),
    c: (f32, f32),
    m: f32,
    reach: f32,
    slips: usize,
) -> bool {
    let unit = |p: (f32, f32)| {
        let (dx, dy) = (p.0 - a.0, p.1 - a.1);
        let len = dx.hypot(dy).max(1.0);
        ((dx / len, dy / len), len)
    };
    let ((ux, uy), len) = unit(b);
    let ((vx, vy), _) = unit(c);
    let step = m / 3.0;
    let (x0, y0) = (a.0 + 3.0 * m * vx, a.1 + 3.0 * m * vy);
    let samples = ((len - 8.0 * m) * reach / step).max(0.0) as usize;
    let mut run = 0.0f32;
    let mut last = None;
    let mut slips_left = slips;
    for k in 0..=samples {
        let s = 4.0 * m + k as f32 * step;
        let dark = bits.get_i((x0 + s * ux) as i64, (y0 + s * uy) as i64);
        if last == Some(dark) {
            let before = run;
            run += step;
            if run > TIMING_RUN * m {
                // Counted once per run, as it first grows too long.
                if before <= TIMING_RUN * m {
                    if slips_left == 0 {
                        return false;
                    }
                    slips_left -= 1;
                }
                if run > SLIP_RUN * m {
                    return false;
                }
            }
        } else {
            run = step;
            last = Some(dark);
        }
    }
    true
}

/// The [`NEIGHBOURS`] finders nearest to `by_x[rank]` of a similar size, into
/// `near` as (squared distance, index), nearest first. Walks outward along
/// `by_x` (sorted by x) and stops on each side once the gap in x alone
/// exceeds the farthest neighbour kept.
fn nearest(finders: &[Finder], by_x: &[usize], rank: usize, near: &mut Vec<(f32, usize)>) {
    near.clear();
    let f = &finders[by_x[rank]];
    let consider = |near: &mut Vec<(f32, usize)>, j: usize| -> bool {
        let g = &finders[j];
        let dx = g.x - f.x;
        let full = near.len() == NEIGHBOURS;
        if full && dx * dx > near[NEIGHBOURS - 1].0 {
            return false;
        }
        let (small, large) = (f.module.min(g.module), f.module.max(g.module));
        let (few, many) = (f.count.min(g.count), f.count.max(g.count));
        if large > small * SIZE_RATIO + 1.0 || many as f32 > few as f32 * SIZE_RATIO + 1.0 {
            return true;
        }
        let d2 = dx * dx + (g.y - f.y).powi(2);
        if full && d2 >= near[NEIGHBOURS - 1].0 {
            return true;
        }
        let at = near.partition_point(|&(e, _)| e <= d2);
        near.insert(at, (d2, j));
        near.truncate(NEIGHBOURS);
        true
    };
    for &j in by_x[rank + 1..].iter() {
        if !consider(near, j) {
            break;
        }
    }
    for &j in by_x[..rank].iter().rev() {
        if !consider(near, j) {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finder(x: f32, y: f32) -> Finder {
        Finder {
            x,
            y,
            module: 3.0,
            diagonal: 3.0,
            count: 8,
        }
    }

    fn blank() -> BitImage {
        BitImage {
            width: 8,
            height: 8,
            data: vec![0; 64],
            levels: None,
            inverted: false,
        }
    }

    #[test]
    fn groups_each_symbol_of_a_grid_with_its_own_finders() {
        // 6 x 6 symbols of 25 modules at 3 px, 4-module quiet zones: finder
        // centres 3.5 and 21.5 modules from the symbol's corner.
        let mut finders = Vec::new();
        for r in 0..6 {
            for c in 0..6 {
                let (x0, y0) = (c as f32 * 33.0 * 3.0, r as f32 * 33.0 * 3.0);
                let at = |u: f32, v: f32| finder(x0 + (4.0 + u) * 3.0, y0 + (4.0 + v) * 3.0);
                finders.extend([at(3.5, 3.5), at(21.5, 3.5), at(3.5, 21.5)]);
            }
        }
        let pool: Vec<usize> = (0..finders.len()).collect();
        let triples = neighbour_triples(&blank(), &finders, &pool);
        for s in 0..36 {
            let own = triples
                .iter()
                .any(|t| t.tl == 3 * s && t.tr == 3 * s + 1 && t.bl == 3 * s + 2);
            assert!(own, "symbol {s} has no triple of its own finders");
        }
        // Linear, not cubic: a few candidates per finder.
        assert!(triples.len() < 20 * finders.len(), "{}", triples.len());
    }

    #[test]
    fn finders_of_very_different_sizes_are_not_grouped() {
        let mut finders = vec![finder(0.0, 0.0), finder(60.0, 0.0), finder(0.0, 60.0)];
        finders[1].module = 9.0;
        assert!(neighbour_triples(&blank(), &finders, &[0, 1, 2]).is_empty());
    }
}

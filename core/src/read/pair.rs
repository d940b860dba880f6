//! A symbol of which only two finder patterns were found: a sticker, dirt or
//! glare over the third. The third is placed where the pair's geometry puts
//! it (a side pair: either end, either side, at the pair's distance; a
//! diagonal pair: the two other corners) and the triple tried like any other.
//! Only triples whose two timing patterns both alternate are tried: the
//! timing patterns run between the finders' inner edges, so a covered
//! finder leaves them, while texture rarely makes two such lines at right
//! angles. Reed-Solomon decides, as for every triple.

use super::binarize::BitImage;
use super::find::Finder;
use super::group::timing_runs_ok;
use super::locate::{order_triple, Triple, STRONG_ROWS};

/// Pairs of a scan looked at, best confirmed first: a symbol's own two
/// finders are among its best confirmed, and a frame of texture has
/// hundreds of pairs whose timing lines would each be walked.
const PAIRS: usize = 8;

/// Two finders of one symbol seen head-on differ in module size by at most
/// this ratio; the inferred finder takes their mean, so a steeper view
/// would put it too far off to read.
const MODULE_RATIO: f32 = 1.3;

/// For the [`PAIRS`] best confirmed pairs of `finders`, the inferred
/// triples whose timing patterns alternate: each with a copy of the pair and
/// the inferred finder (indices 0 and 1 the pair, 2 the inferred finder).
pub(super) fn inferred_triples(bits: &BitImage, finders: &[Finder]) -> Vec<([Finder; 3], Triple)> {
    let strong: Vec<&Finder> = finders.iter().filter(|f| f.count >= STRONG_ROWS).collect();
    let mut pairs: Vec<(u32, usize, usize)> = Vec::new();
    for (i, a) in strong.iter().enumerate() {
        for (j, b) in strong.iter().enumerate().skip(i + 1) {
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
            pairs.push((a.count.min(b.count), i, j));
        }
    }
    // Best confirmed first, ties in finder order.
    pairs.sort_by_key(|&(count, i, j)| (std::cmp::Reverse(count), i, j));
    let mut out = Vec::new();
    for &(_, i, j) in pairs.iter().take(PAIRS) {
        let (a, b) = (strong[i], strong[j]);
        for (x, y) in third_positions(a, b) {
            let third = Finder {
                x,
                y,
                module: (a.module + b.module) / 2.0,
                diagonal: (a.diagonal + b.diagonal) / 2.0,
                count: a.count.min(b.count),
            };
            if !(0.0..bits.width as f32).contains(&x) || !(0.0..bits.height as f32).contains(&y) {
                continue;
            }
            let three = [*a, *b, third];
            for t in order_triple(&three, [0, 1, 2]).into_iter().flatten() {
                if timing_runs_ok(bits, &three, &t) {
                    out.push((three, t));
                }
            }
        }
    }
    out
}

/// Where the third finder of a symbol with finders `a` and `b` may sit: for
/// a side pair, square off either end to either side; for a diagonal pair,
/// the two other corners of the square over it.
fn third_positions(a: &Finder, b: &Finder) -> [(f32, f32); 6] {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (mx, my) = ((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
    [
        (a.x - dy, a.y + dx),
        (a.x + dy, a.y - dx),
        (b.x - dy, b.y + dx),
        (b.x + dy, b.y - dx),
        (mx - dy / 2.0, my + dx / 2.0),
        (mx + dy / 2.0, my - dx / 2.0),
    ]
}

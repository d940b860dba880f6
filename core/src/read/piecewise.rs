//! The piecewise map of larger versions (7 and up): one homography per cell
//! of the alignment-pattern grid.

use super::binarize::BitImage;
use super::locate::find_alignments;
use super::sample::{self, Homography, ModuleMap};

/// A piecewise transform for larger versions: the alignment patterns found
/// near where a first transform puts them cut the symbol into cells, each
/// with its own homography, which follows curvature and lens distortion that
/// one homography cannot (ISO/IEC 18004 6.3.6: that is what they are for).
pub(crate) struct Piecewise {
    /// Cell boundaries along each axis, in modules (alignment centres).
    lines: Vec<f64>,
    /// `cells[j * (n - 1) + i]` maps cell column i, row j.
    cells: Vec<Homography>,
}

impl ModuleMap for Piecewise {
    fn map(&self, u: f64, v: f64) -> (f64, f64) {
        let n = self.lines.len();
        // Outside the outer lines, extrapolate the nearest cell.
        let cell = |t: f64| self.lines[1..n - 1].iter().take_while(|&&l| t >= l).count();
        let (i, j) = (cell(u), cell(v));
        self.cells[j * (n - 1) + i].map(u, v)
    }
}

/// How [`Piecewise::fit`] places each alignment pattern.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placement {
    /// The run-length search near the prediction (at about 2 px per module
    /// also the grey levels, where that search found nothing).
    Search,
    /// Also each hit checked by its grey levels (within a few modules of the
    /// prediction where it fails), and on row and column 6 placed by the
    /// timing pattern: several times the work of a fit, for a symbol whose
    /// version information was read (not for every map of a camera frame's
    /// texture).
    Checked,
}

impl Piecewise {
    /// Locates the alignment patterns of a `dim`-module symbol near where `h`
    /// puts them and builds the cells; `None` when fewer than half are found
    /// (then `h` alone is as good a guess).
    pub(crate) fn fit(
        img: &BitImage,
        h: &Homography,
        dim: usize,
        placement: Placement,
    ) -> Option<Piecewise> {
        let version = crate::symbol::Version::from_size(dim)?;
        let centres = crate::symbol::capacity::alignment_positions(version);
        let n = centres.len();
        if n < 3 {
            return None;
        }
        let last = n - 1;
        let mut points = vec![(0.0, 0.0); n * n];
        // Whether a point was located (an alignment centre found, or a corner
        // beside a finder, where `h` is right by construction).
        let mut located = vec![false; n * n];
        let mut found = 0;
        let mut tried = 0;
        // Outward from the top-left, anti-diagonal by anti-diagonal, so each
        // point is predicted from located neighbours above and to the left:
        // on curved or lens-distorted symbols `h` drifts with the distance
        // from the finders, its neighbours' errors much less.
        for sum in 0..2 * n - 1 {
            for j in sum.saturating_sub(last)..=sum.min(last) {
                let i = sum - j;
                let (u, v) = (centres[i] as f64 + 0.5, centres[j] as f64 + 0.5);
                let from_h = h.map(u, v);
                let k = j * n + i;
                // The three corners under finder patterns hold no alignment pattern.
                if (i == 0 && (j == 0 || j == last)) || (i == last && j == 0) {
                    points[k] = from_h;
                    located[k] = true;
                    continue;
                }
                // `h`, corrected by how far it was off at located neighbours.
                let mut shift = (0.0, 0.0);
                let mut count = 0.0;
                let neighbours = [
                    (i > 0).then(|| k - 1),
                    (j > 0).then(|| k - n),
                    (i > 0 && j > 0).then(|| k - n - 1),
                    (i < last && j > 0).then(|| k - n + 1),
                ];
                for m in neighbours.into_iter().flatten() {
                    if located[m] {
                        let (ni, nj) = (m % n, m / n);
                        let expect = h.map(centres[ni] as f64 + 0.5, centres[nj] as f64 + 0.5);
                        shift.0 += points[m].0 - expect.0;
                        shift.1 += points[m].1 - expect.1;
                        count += 1.0;
                    }
                }
                let corrected = if count > 0.0 {
                    (from_h.0 + shift.0 / count, from_h.1 + shift.1 / count)
                } else {
                    from_h
                };
                // Parallelogram of the three neighbours: exact where the
                // symbol is locally affine.
                let parallelogram =
                    (i > 0 && j > 0 && located[k - 1] && located[k - n] && located[k - n - 1])
                        .then(|| {
                            let (a, b, c) = (points[k - 1], points[k - n], points[k - n - 1]);
                            (a.0 + b.0 - c.0, a.1 + b.1 - c.1)
                        });
                let predicted = parallelogram.unwrap_or(corrected);
                points[k] = predicted;
                tried += 1;
                let (px, py) = h.map(u + 1.0, v);
                let module = ((px - from_h.0).powi(2) + (py - from_h.1).powi(2)).sqrt() as f32;
                let search = |at: (f64, f64)| {
                    find_alignments(img, at.0 as f32, at.1 as f32, module, module * 2.5, 1)
                };
                let mut near = search(predicted);
                // Under strong perspective the parallelogram is off by up to
                // a few modules (the far cells shrink), while `h` models the
                // perspective: where the parallelogram finds nothing, `h`'s
                // corrected guess is searched too, when it is a module or
                // more away (nearer, the first search covered it).
                let apart = (predicted.0 - corrected.0).hypot(predicted.1 - corrected.1);
                if near.is_empty() && apart >= f64::from(module) {
                    near = search(corrected);
                }
                // One module along each axis at this point: from the
                // parallelogram's neighbours where they were located (they
                // follow the symbol's local scale, which curl changes), else
                // by `h`.
                let (qx, qy) = h.map(u, v + 1.0);
                let by_h = (
                    (px - from_h.0, py - from_h.1),
                    (qx - from_h.0, qy - from_h.1),
                );
                let (ux, uy) = if parallelogram.is_some() {
                    let (a, b, c) = (points[k - 1], points[k - n], points[k - n - 1]);
                    let si = (centres[i] - centres[i - 1]) as f64;
                    let sj = (centres[j] - centres[j - 1]) as f64;
                    (
                        ((b.0 - c.0) / si, (b.1 - c.1) / si),
                        ((a.0 - c.0) / sj, (a.1 - c.1) / sj),
                    )
                } else {
                    by_h
                };
                // Modules of about 2 px defeat the run-length search: the
                // grey levels place the pattern then, once that search found
                // one (a grid of noise gets no such second chance).
                let mut hit = near
                    .first()
                    .map(|&(ax, ay)| (ax as f64, ay as f64))
                    .or_else(|| {
                        (module < 3.0 && found > 0)
                            .then(|| sample::alignment_by_grey(img, predicted, by_h.0, by_h.1, 1))
                            .flatten()
                    });
                // At about 2 px per module data often passes the run-length
                // test a few pixels from the pattern itself: a hit whose
                // 5 x 5 ring does not read as one (by the grey levels) gives
                // way to a placement by the grey levels within a few modules
                // of the prediction, when one reads.
                let checked = placement == Placement::Checked;
                if let Some(p) = hit.filter(|_| checked && module < 3.0) {
                    if sample::ring_wrong(img, p, ux, uy).is_none_or(|w| w > sample::RING_SLACK) {
                        hit = sample::alignment_by_grey(img, predicted, ux, uy, RECHECK_REACH)
                            .or(hit);
                    }
                }
                // On row or column 6 the timing pattern runs from the
                // previous grid point to this one: a pattern found where
                // the line between them does not alternate is data that
                // looks like one (common at 2 px per module), or the edge
                // bends (curled paper) past where `h` and the neighbours put
                // it. The line itself then places the pattern, if it can.
                let prev = match (i, j) {
                    (0, _) => k - n,
                    (_, 0) => k - 1,
                    _ => k,
                };
                if checked && prev != k && located[prev] {
                    let (pi, pj) = (prev % n, prev / n);
                    let steps = (centres[i] - centres[pi]) + (centres[j] - centres[pj]);
                    let from = points[prev];
                    let alternates = |p: (f64, f64)| {
                        sample::timing_line_wrong(img, from, p, steps, sample::TIMING_SLACK)
                            <= sample::TIMING_SLACK
                    };
                    if !hit.is_some_and(alternates) {
                        let on_line =
                            sample::alignment_on_timing(img, from, predicted, steps, ux, uy);
                        hit = on_line.or(hit);
                    }
                }
                if let Some(p) = hit {
                    points[k] = p;
                    located[k] = true;
                    found += 1;
                } else if (tried - found) * 2 > n * n - 3 {
                    // Most are missing: not a symbol of this size here.
                    return None;
                }
            }
        }
        if found * 2 < tried {
            return None;
        }
        // The three grid points beside the finders hold no alignment pattern,
        // and `h`'s guess there is only as good as `h` is far from the
        // finders. `h` passes through the finder centres, though, and the
        // points one step in along both axes were just found: a local map
        // through those four puts the corner point where the symbol's own
        // curvature does.
        {
            let d = dim as f64;
            let centre = |i: usize| centres[i] as f64 + 0.5;
            for (k, (i0, j0, i1, j1)) in
                [(0, 0, 1, 1), (last, 0, last - 1, 1), (0, last, 1, last - 1)]
                    .into_iter()
                    .enumerate()
            {
                let fc = [(3.5, 3.5), (d - 3.5, 3.5), (3.5, d - 3.5)][k];
                let src = [
                    fc,
                    (centre(i1), centre(j0)),
                    (centre(i1), centre(j1)),
                    (centre(i0), centre(j1)),
                ];
                let dst = [
                    h.map(fc.0, fc.1),
                    points[j0 * n + i1],
                    points[j1 * n + i1],
                    points[j1 * n + i0],
                ];
                if let Some(local) = Homography::from_quads(src, dst) {
                    points[j0 * n + i0] = local.map(centre(i0), centre(j0));
                }
            }
        }
        let lines: Vec<f64> = centres.iter().map(|&c| c as f64 + 0.5).collect();
        let mut cells = Vec::with_capacity((n - 1) * (n - 1));
        for j in 0..n - 1 {
            for i in 0..n - 1 {
                let src = [
                    (lines[i], lines[j]),
                    (lines[i + 1], lines[j]),
                    (lines[i + 1], lines[j + 1]),
                    (lines[i], lines[j + 1]),
                ];
                let dst = [
                    points[j * n + i],
                    points[j * n + i + 1],
                    points[(j + 1) * n + i + 1],
                    points[(j + 1) * n + i],
                ];
                cells.push(Homography::from_quads(src, dst)?);
            }
        }
        Some(Piecewise { lines, cells })
    }
}

/// How far (modules, along either axis) from its prediction a grid point
/// whose run-length hit failed the grey-level check is looked for by the
/// grey levels: the parallelogram of neighbours can be a few modules off at
/// the edges of a curled symbol.
const RECHECK_REACH: i32 = 4;

//! The sampling grid as printed: finder and alignment pattern centroids and
//! timing-module edges measured on the image, a map fitted to them, and the
//! nonuniformity and print growth they show.

use super::fit::{fit, Observation, Projective};
use super::measure::Reflectance;
use super::reference::alignment_centres;
use crate::symbol::Version;

/// Where a symbology's measurable patterns are, in module coordinates.
pub(crate) struct Patterns {
    /// Finder centres (centroid window of 2 modules either side).
    finders: Vec<(f64, f64)>,
    /// Alignment pattern centres (window of 1 module), and rMQR's
    /// sub-finder, whose dark centre stands alone in such a window.
    alignments: Vec<(f64, f64)>,
    /// Centres of hollow patterns (rMQR's 3 x 3 alignment ring): the
    /// centroid of the light centre within half a module. A window's edge
    /// across a dark ring would pull the centroid towards any offset and
    /// run away; the light core alone pulls it back.
    hollow: Vec<(f64, f64)>,
    /// Timing patterns.
    timing: Vec<Timing>,
    /// Whether a projective map may be fitted (else affine).
    projective: bool,
}

/// A timing pattern: the row (axis 0) or column (axis 1) through its
/// module centres and the module indices along it; ink on even indices.
pub(crate) type Timing = (usize, f64, std::ops::Range<usize>);

impl Patterns {
    /// Finder and alignment centres and timing runs, fitted projective.
    pub(crate) fn new(
        finders: Vec<(f64, f64)>,
        alignments: Vec<(f64, f64)>,
        hollow: Vec<(f64, f64)>,
        timing: Vec<Timing>,
    ) -> Patterns {
        Patterns {
            finders,
            alignments,
            hollow,
            timing,
            projective: true,
        }
    }

    /// Finder and alignment centres measured.
    #[cfg(test)]
    pub(crate) fn point_count(&self) -> usize {
        self.finders.len() + self.alignments.len() + self.hollow.len()
    }

    /// QR Code: three finders, the alignment patterns, row and column 6.
    pub(crate) fn qr(size: usize) -> Patterns {
        let s = size as f64;
        let alignments = Version::from_size(size)
            .map(alignment_centres)
            .unwrap_or_default()
            .into_iter()
            .map(|(x, y)| (x as f64 + 0.5, y as f64 + 0.5))
            .collect();
        let span = 8..size.saturating_sub(8);
        Patterns {
            finders: vec![(3.5, 3.5), (s - 3.5, 3.5), (3.5, s - 3.5)],
            alignments,
            hollow: Vec::new(),
            timing: vec![(0, 6.5, span.clone()), (1, 6.5, span)],
            projective: true,
        }
    }

    /// Micro QR: one finder, timing along row 0 and column 0. Too few
    /// measurements for a projective map: affine.
    pub(crate) fn micro(size: usize) -> Patterns {
        Patterns {
            finders: vec![(3.5, 3.5)],
            alignments: Vec::new(),
            hollow: Vec::new(),
            timing: vec![(0, 0.5, 8..size), (1, 0.5, 8..size)],
            projective: false,
        }
    }
}

/// The sampling grid as the reference decode finds it: the fitted map,
/// bent towards the measured pattern positions near each point (a
/// Gaussian-weighted mean of the residuals, `SIGMA` modules wide, that
/// fades to the fitted map away from any measurement), as a QR Code
/// reader samples by the nearest alignment patterns.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Warp {
    map: Projective,
    /// Module-space point and the image offset measured there.
    offsets: Vec<((f64, f64), (f64, f64))>,
}

/// Reach of a measured offset, in modules.
const SIGMA: f64 = 4.0;

impl Warp {
    /// Module coordinates to image pixels.
    pub(crate) fn map(&self, u: f64, v: f64) -> (f64, f64) {
        let p = self.map.map(u, v);
        // A zero offset as if measured two reaches away keeps lone far
        // measurements from pulling the whole grid.
        let (mut sx, mut sy, mut sw) = (0.0, 0.0, (-2.0f64).exp());
        for &(at, off) in &self.offsets {
            let d2 = (u - at.0).powi(2) + (v - at.1).powi(2);
            let w = (-d2 / (2.0 * SIGMA * SIGMA)).exp();
            sx += w * off.0;
            sy += w * off.1;
            sw += w;
        }
        (p.0 + sx / sw, p.1 + sy / sw)
    }

    /// The same grid with the module axes swapped (a mirrored symbol).
    pub(crate) fn transposed(&self) -> Warp {
        Warp {
            map: self.map.transposed(),
            offsets: self
                .offsets
                .iter()
                .map(|&(at, off)| ((at.1, at.0), off))
                .collect(),
        }
    }
}

/// The grid measured from the image.
pub(crate) struct Geometry {
    /// The sampling grid.
    pub(crate) warp: Warp,
    /// Axial nonuniformity.
    pub(crate) an: f64,
    /// Grid nonuniformity in modules (`None` with too few measurements).
    pub(crate) gn: Option<f64>,
    /// Mean ink growth along rows and along columns, in modules.
    pub(crate) growth: (Option<f64>, Option<f64>),
}

/// An ink run of a timing pattern: its axis, module centre and width in pixels.
struct Run {
    axis: usize,
    at: (f64, f64),
    width_px: f64,
}

/// Measures the grid twice (the second time through the first fit, so a
/// starting map off by part of a module still finds the right runs) and
/// derives AN, GN and print growth from the second fit.
pub(crate) fn measure_grid(
    refl: &Reflectance<'_>,
    start: Projective,
    patterns: &Patterns,
    (w, h): (usize, usize),
    gt: f64,
    ink_low: bool,
) -> Geometry {
    let mut map = start;
    let mut last = (Vec::new(), Vec::new());
    for _ in 0..2 {
        last = observe(refl, &map, patterns, gt, ink_low);
        if let Some(m) = fit(&last.0, patterns.projective) {
            map = m;
        }
    }
    let (obs, runs) = last;
    let gn = (obs.len() >= 6).then(|| {
        obs.iter()
            .map(|o| {
                let (u, v) = o.at();
                let (a, b) = map.steps(u, v);
                o.residual(&map) / ((a + b) / 2.0).max(1e-9)
            })
            .fold(0.0, f64::max)
    });
    let (mut sx, mut sy) = (0.0, 0.0);
    for y in 0..h {
        for x in 0..w {
            let (a, b) = map.steps(x as f64 + 0.5, y as f64 + 0.5);
            sx += a;
            sy += b;
        }
    }
    let an = if sx + sy > 0.0 {
        (sx - sy).abs() / ((sx + sy) / 2.0)
    } else {
        0.0
    };
    let growth_along = |axis: usize| {
        let d: Vec<f64> = runs
            .iter()
            .filter(|r| r.axis == axis)
            .map(|r| {
                let steps = map.steps(r.at.0, r.at.1);
                let step = if axis == 0 { steps.0 } else { steps.1 };
                r.width_px / step.max(1e-9) - 1.0
            })
            .collect();
        (!d.is_empty()).then(|| d.iter().sum::<f64>() / d.len() as f64)
    };
    let offsets = obs
        .iter()
        .map(|o| {
            let at = o.at();
            let p = map.map(at.0, at.1);
            let off = match *o {
                Observation::Point { seen, .. } => (seen.0 - p.0, seen.1 - p.1),
                Observation::Along { seen, dir, .. } => {
                    let r = (seen.0 - p.0) * dir.0 + (seen.1 - p.1) * dir.1;
                    (r * dir.0, r * dir.1)
                }
            };
            (at, off)
        })
        .collect();
    Geometry {
        warp: Warp { map, offsets },
        an,
        gn,
        growth: (growth_along(0), growth_along(1)),
    }
}

/// The measurements through `map`: the finder and alignment centroids, the
/// centre of every timing module's run, and the ink runs' widths.
fn observe(
    refl: &Reflectance<'_>,
    map: &Projective,
    patterns: &Patterns,
    gt: f64,
    ink_low: bool,
) -> (Vec<Observation>, Vec<Run>) {
    let mut obs = Vec::new();
    let windows = patterns.finders.iter().map(|&c| (c, 2.0));
    let windows = windows.chain(patterns.alignments.iter().map(|&c| (c, 1.0)));
    let dark = windows.map(|(c, half)| (c, half, ink_low));
    let light = patterns.hollow.iter().map(|&c| (c, 0.5, !ink_low));
    for (at, half, low) in dark.chain(light) {
        if let Some(seen) = refl.centroid(map, at, half, gt, low) {
            obs.push(Observation::Point { at, seen });
        }
    }
    let mut runs = Vec::new();
    for (axis, line, span) in &patterns.timing {
        let axis = *axis;
        for i in span.clone() {
            let ink = i % 2 == 0;
            let at = if axis == 0 {
                (i as f64 + 0.5, *line)
            } else {
                (*line, i as f64 + 0.5)
            };
            let Some((lo, hi)) = refl.run_edges(map, at, axis, gt, ink == ink_low) else {
                continue;
            };
            let along = |t: f64| if axis == 0 { (t, at.1) } else { (at.0, t) };
            let point = |t: f64| {
                let (u, v) = along(t);
                map.map(u, v)
            };
            let c = (lo + hi) / 2.0;
            let (a, b) = (point(c - 0.5), point(c + 0.5));
            let len = (b.0 - a.0).hypot(b.1 - a.1);
            if len <= 0.0 {
                continue;
            }
            obs.push(Observation::Along {
                at,
                seen: point(c),
                dir: ((b.0 - a.0) / len, (b.1 - a.1) / len),
            });
            if ink {
                let (p, q) = (point(lo), point(hi));
                runs.push(Run {
                    axis,
                    at,
                    width_px: (q.0 - p.0).hypot(q.1 - p.1),
                });
            }
        }
    }
    (obs, runs)
}

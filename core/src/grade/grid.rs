//! The sampling grid as printed: finder and alignment pattern centroids and
//! timing-module edges measured on the image, a map fitted to them, and the
//! nonuniformity and print growth they show.

use super::fit::{fit, Observation, Projective};
use super::measure::Reflectance;
use super::reference::alignment_centres;
use crate::symbol::Version;

/// The grid measured from the image.
pub(crate) struct Geometry {
    /// The fitted map from module coordinates to pixels.
    pub(crate) map: Projective,
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
    size: usize,
    gt: f64,
    ink_low: bool,
) -> Geometry {
    let mut map = start;
    let mut last = (Vec::new(), Vec::new());
    for _ in 0..2 {
        last = observe(refl, &map, size, gt, ink_low);
        if let Some(m) = fit(&last.0, true) {
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
    for y in 0..size {
        for x in 0..size {
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
    Geometry {
        map,
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
    size: usize,
    gt: f64,
    ink_low: bool,
) -> (Vec<Observation>, Vec<Run>) {
    let s = size as f64;
    let mut obs = Vec::new();
    for at in [(3.5, 3.5), (s - 3.5, 3.5), (3.5, s - 3.5)] {
        if let Some(seen) = refl.centroid(map, at, 2.0, gt, ink_low) {
            obs.push(Observation::Point { at, seen });
        }
    }
    if let Some(v) = Version::from_size(size) {
        for (x, y) in alignment_centres(v) {
            let at = (x as f64 + 0.5, y as f64 + 0.5);
            if let Some(seen) = refl.centroid(map, at, 1.0, gt, ink_low) {
                obs.push(Observation::Point { at, seen });
            }
        }
    }
    let mut runs = Vec::new();
    for i in 8..size.saturating_sub(8) {
        let ink = i % 2 == 0;
        for axis in 0..2 {
            let at = if axis == 0 {
                (i as f64 + 0.5, 6.5)
            } else {
                (6.5, i as f64 + 0.5)
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

//! The parameters of one symbol from its module reflectances, the
//! reference decode and the measured grid.

use super::grid::Geometry;
use super::reference::{ModuleKind, Reference};
use super::score::{self, grade_at_least, grade_at_most, SegmentGrade};
use super::symbol::{Contrast, Parameters};
use super::Measure;

/// Edge contrast ISO/IEC 15416 asks for (grade 4 at or above, else 0).
const EDGE_CONTRAST_MIN: f64 = 0.15;

/// Every parameter and the fixed-pattern segments. `r` and `read` are
/// row-major per module; `ink_low` says ink reflects less than the paper.
pub(crate) fn parameters(
    contrast: &Contrast,
    r: &[f64],
    read: &[bool],
    reference: Option<&Reference>,
    geometry: &Geometry,
    ink_low: bool,
) -> (Parameters, Vec<SegmentGrade>) {
    let sc = contrast.sc();
    let rmin_ok = contrast.rmin <= 0.5 * contrast.rmax;
    let an = geometry.an;
    let growth = match geometry.growth {
        (Some(h), Some(v)) => Some(if h.abs() >= v.abs() { h } else { v }),
        (h, v) => h.or(v),
    };
    let mut p = Parameters {
        decode: Measure::new(f64::from(u8::from(reference.is_some())), 0),
        symbol_contrast: Measure::new(sc, grade_at_least(sc, score::SC)),
        minimum_reflectance: Measure::new(contrast.rmin, if rmin_ok { 4 } else { 0 }),
        minimum_edge_contrast: Measure::UNMEASURED,
        modulation: Measure::UNMEASURED,
        reflectance_margin: Measure::UNMEASURED,
        fixed_pattern_damage: Measure::UNMEASURED,
        axial_nonuniformity: Measure::new(an, grade_at_most(an, score::AN)),
        grid_nonuniformity: geometry.gn.map_or(Measure::UNMEASURED, |gn| {
            Measure::new(gn, grade_at_most(gn, score::GN))
        }),
        unused_error_correction: Measure::UNMEASURED,
        print_growth: growth.map_or(Measure::UNMEASURED, |d| {
            Measure::new(d, grade_at_most(d.abs() / 0.5, score::GROWTH))
        }),
    };
    let Some(re) = reference else {
        return (p, Vec::new());
    };
    p.decode.grade = 4;
    let size = (r.len() as f64).sqrt().round() as usize;
    p.minimum_edge_contrast = edge_contrast(r, re, size);
    let codeword = |i: usize| matches!(re.kinds.get(i), Some(ModuleKind::Data { .. }));
    let modulation: Vec<f64> = r.iter().map(|&v| contrast.modulation(v)).collect();
    let margin: Vec<f64> = r
        .iter()
        .zip(&re.ideal)
        .map(|(&v, &ideal)| contrast.margin(v, ideal == ink_low))
        .collect();
    let band = |v: &[f64]| -> Vec<u8> {
        v.iter()
            .map(|&m| grade_at_least(m, score::MODULATION))
            .collect()
    };
    let (mod_grades, margin_grades) = (band(&modulation), band(&margin));
    let lowest = |v: &[f64], keep: &dyn Fn(usize) -> bool| {
        (0..v.len())
            .filter(|&i| codeword(i) && keep(i))
            .map(|i| v[i])
            .fold(f64::INFINITY, f64::min)
    };
    let uniformity = lowest(&modulation, &|_| true);
    let right = |i: usize| read.get(i) == re.ideal.get(i);
    let least_margin = lowest(&margin, &right);
    p.modulation = Measure::new(
        finite_or_zero(uniformity),
        score::overlay(&mod_grades, &re.kinds, &re.blocks),
    );
    p.reflectance_margin = Measure::new(
        finite_or_zero(least_margin),
        score::overlay(&margin_grades, &re.kinds, &re.blocks),
    );
    let wrong: Vec<bool> = (0..read.len()).map(|i| !right(i)).collect();
    let (fpd, mean, segments) = score::fixed_pattern(&margin_grades, &wrong, &re.kinds);
    p.fixed_pattern_damage = Measure::new(mean, fpd);
    let uec = re
        .blocks
        .iter()
        .map(|b| b.unused)
        .fold(f64::INFINITY, f64::min);
    let uec = finite_or_zero(uec);
    p.unused_error_correction = Measure::new(uec, grade_at_least(uec, score::UEC));
    (p, segments)
}

fn finite_or_zero(v: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        0.0
    }
}

/// The smallest reflectance difference between side-by-side modules whose
/// ideal colours differ (remainder bits, whose colour is not fixed, left out).
fn edge_contrast(r: &[f64], re: &Reference, size: usize) -> Measure {
    let ideal = |i: usize| match re.kinds.get(i) {
        Some(ModuleKind::Remainder) | None => None,
        Some(_) => re.ideal.get(i),
    };
    let mut least = f64::INFINITY;
    for y in 0..size {
        for x in 0..size {
            let i = y * size + x;
            for j in [(x + 1 < size).then_some(i + 1), (y + 1 < size).then_some(i + size)]
                .into_iter()
                .flatten()
            {
                if let (Some(a), Some(b)) = (ideal(i), ideal(j)) {
                    if a == b {
                        continue;
                    }
                    if let (Some(a), Some(b)) = (r.get(i), r.get(j)) {
                        least = least.min((a - b).abs());
                    }
                }
            }
        }
    }
    if least.is_finite() {
        let grade = if least >= EDGE_CONTRAST_MIN { 4 } else { 0 };
        Measure::new(least, grade)
    } else {
        Measure::UNMEASURED
    }
}

//! The parameters of one symbol from its module reflectances, the
//! reference decode and the measured grid.

use super::grid::Geometry;
use super::reference::{ModuleKind, Reference};
use super::score::{self, grade_at_least, grade_at_most, SegmentGrade};
use super::Measure;

/// Edge contrast ISO/IEC 15416 asks for (grade 4 at or above, else 0).
const EDGE_CONTRAST_MIN: f64 = 0.15;

/// Every parameter of one symbol (values in docs/GRADING.md's units).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Parameters {
    /// Reference decode: 4 when the binarised symbol decodes, else 0.
    pub decode: Measure,
    /// `Rmax - Rmin`, 0..1.
    pub symbol_contrast: Measure,
    /// `Rmin`, 0..1; ISO/IEC 15416's rule (`Rmin <= 0.5 Rmax`), informative.
    pub minimum_reflectance: Measure,
    /// Smallest reflectance step between neighbouring modules of unlike
    /// colour, 0..1; ISO/IEC 15416's 15 % rule, informative.
    pub minimum_edge_contrast: Measure,
    /// The modulation overlay's grade; the value is the lowest module's
    /// modulation (contrast uniformity).
    pub modulation: Measure,
    /// The reflectance margin overlay's grade; the value is the lowest
    /// margin among the modules of the right colour.
    pub reflectance_margin: Measure,
    /// Finder, timing, alignment, format and version segments; the value is
    /// the segments' mean grade.
    pub fixed_pattern_damage: Measure,
    /// `|X - Y| / ((X + Y) / 2)` of the mean module spacings.
    pub axial_nonuniformity: Measure,
    /// Largest distance of a measured grid point from the fitted grid, in modules.
    pub grid_nonuniformity: Measure,
    /// The lowest block's `1 - (e + 2t) / (d - p)`.
    pub unused_error_correction: Measure,
    /// Growth of ink modules as a fraction of a module, the axis of larger
    /// magnitude; graded `|D| / 0.5` on the 2000 edition's bands, informative.
    pub print_growth: Measure,
}

impl Parameters {
    /// The parameters as `(name, measure)`, in the JSON interface's names and order.
    pub fn named(&self) -> [(&'static str, Measure); 11] {
        [
            ("decode", self.decode),
            ("symbol_contrast", self.symbol_contrast),
            ("minimum_reflectance", self.minimum_reflectance),
            ("minimum_edge_contrast", self.minimum_edge_contrast),
            ("modulation", self.modulation),
            ("reflectance_margin", self.reflectance_margin),
            ("fixed_pattern_damage", self.fixed_pattern_damage),
            ("axial_nonuniformity", self.axial_nonuniformity),
            ("grid_nonuniformity", self.grid_nonuniformity),
            ("unused_error_correction", self.unused_error_correction),
            ("print_growth", self.print_growth),
        ]
    }

    /// The parameters whose grades make the overall grade (ISO/IEC 15415's
    /// matrix set; minimum reflectance, edge contrast and print growth are
    /// reported but informative).
    pub(crate) fn graded(&self) -> [Measure; 8] {
        [
            self.decode,
            self.symbol_contrast,
            self.modulation,
            self.reflectance_margin,
            self.fixed_pattern_damage,
            self.axial_nonuniformity,
            self.grid_nonuniformity,
            self.unused_error_correction,
        ]
    }
}

/// The symbol's extreme reflectances and global threshold.
pub(crate) struct Contrast {
    pub(crate) rmax: f64,
    pub(crate) rmin: f64,
    pub(crate) gt: f64,
}

impl Contrast {
    pub(crate) fn sc(&self) -> f64 {
        self.rmax - self.rmin
    }

    /// `2 |R - GT| / SC`.
    pub(crate) fn modulation(&self, r: f64) -> f64 {
        if self.sc() <= 0.0 {
            return 0.0;
        }
        2.0 * (r - self.gt).abs() / self.sc()
    }

    /// The modulation on the side the module should be, 0 on the wrong side.
    pub(crate) fn margin(&self, r: f64, should_be_low: bool) -> f64 {
        if (r < self.gt) == should_be_low {
            self.modulation(r)
        } else {
            0.0
        }
    }
}

/// Every parameter and the fixed-pattern segments. `r` and `read` are
/// row-major per module; `ink_low` says ink reflects less than the paper.
pub(crate) fn parameters(
    contrast: &Contrast,
    r: &[f64],
    read: &[bool],
    reference: Option<&Reference>,
    geometry: &Geometry,
    ink_low: bool,
    width: usize,
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
    p.minimum_edge_contrast = edge_contrast(r, re, width);
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
/// ideal colours differ (remainder bits, whose colour is not fixed, left
/// out); `r` holds rows of `width` modules.
fn edge_contrast(r: &[f64], re: &Reference, width: usize) -> Measure {
    let ideal = |i: usize| match re.kinds.get(i) {
        Some(ModuleKind::Remainder) | None => None,
        Some(_) => re.ideal.get(i),
    };
    let mut least = f64::INFINITY;
    let height = r.len() / width.max(1);
    for y in 0..height {
        for x in 0..width {
            let i = y * width + x;
            for j in [
                (x + 1 < width).then_some(i + 1),
                (y + 1 < height).then_some(i + width),
            ]
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

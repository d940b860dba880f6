//! Grading one symbol (QR Code, Micro QR, rMQR): the sampling grid fitted to the measured patterns,
//! the reference reflectance at every module, the reference decode and the
//! parameters.

use super::fit::Projective;
use super::grid::{measure_grid, Patterns, Warp};
use super::measure::Reflectance;
use super::params::{self, Contrast, Parameters};
use super::reference::{reference_micro, reference_qr, BlockUse, ModuleKind, Reference};
use super::rmqr::{self, reference_rmqr};
use super::score::SegmentGrade;
use super::{Aperture, GradeOptions, Ungraded, DEFAULT_APERTURE};
use crate::decode::{Decoded, Point};
use crate::symbol::SymbolVersion;

/// One module as graded.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct ModuleState {
    /// Its colour in the symbol rebuilt from the corrected codewords
    /// (`None` when the reference decode failed, and for remainder bits).
    pub ideal_dark: Option<bool>,
    /// Its colour read at the global threshold.
    pub read_dark: bool,
    /// Its reference reflectance, 0..1.
    pub reflectance: f64,
    /// The part of the symbol it belongs to (`None` when undecoded).
    pub kind: Option<ModuleKind>,
    /// Whether its codeword was corrected by Reed-Solomon.
    pub corrected: bool,
}

impl ModuleState {
    /// Whether it read the other colour than the rebuilt symbol has.
    pub fn wrong(&self) -> bool {
        self.ideal_dark.is_some_and(|d| d != self.read_dark)
    }
}

/// Where every module is in the image and how it read.
#[derive(Clone, Debug, PartialEq)]
pub struct DamageMap {
    width: usize,
    height: usize,
    map: Warp,
    modules: Vec<ModuleState>,
}

impl DamageMap {
    /// Modules per side of a square symbol; an rMQR symbol's width.
    pub fn size(&self) -> usize {
        self.width
    }

    /// Modules along a row.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Modules along a column (the width, but for rMQR).
    pub fn height(&self) -> usize {
        self.height
    }

    /// Module `(x, y)`, oriented as the symbol reads.
    pub fn module(&self, x: usize, y: usize) -> Option<&ModuleState> {
        (x < self.width)
            .then(|| self.modules.get(y * self.width + x))
            .flatten()
    }

    /// The image point of module-space point `(u, v)` (module `(x, y)`
    /// spans `x..x+1`, `y..y+1`).
    pub fn point(&self, u: f64, v: f64) -> Point {
        let (x, y) = self.map.map(u, v);
        Point {
            x: x as f32,
            y: y as f32,
        }
    }

    /// The modules that read wrong, as `(x, y)`.
    pub fn wrong_modules(&self) -> Vec<(usize, usize)> {
        (0..self.modules.len())
            .filter(|&i| self.modules[i].wrong())
            .map(|i| (i % self.width, i / self.width))
            .collect()
    }
}

/// A graded symbol.
#[derive(Clone, Debug, PartialEq)]
pub struct SymbolGrade {
    parameters: Parameters,
    calibrated: bool,
    aperture_px: f64,
    blocks: Vec<BlockUse>,
    segments: Vec<SegmentGrade>,
    growth: (Option<f64>, Option<f64>),
    damage: DamageMap,
}

impl SymbolGrade {
    /// Every parameter.
    pub fn parameters(&self) -> &Parameters {
        &self.parameters
    }

    /// The overall grade: the lowest of the graded parameters.
    pub fn overall(&self) -> u8 {
        self.parameters
            .graded()
            .iter()
            .map(|m| m.grade)
            .min()
            .unwrap_or(0)
    }

    /// Whether an aperture and a reflectance calibration were given; when
    /// `false` the reflectance-based grades are indicative only.
    pub fn calibrated(&self) -> bool {
        self.calibrated
    }

    /// The synthetic aperture used, in pixels.
    pub fn aperture_px(&self) -> f64 {
        self.aperture_px
    }

    /// Each Reed-Solomon block's outcome, in block order.
    pub fn blocks(&self) -> &[BlockUse] {
        &self.blocks
    }

    /// The fixed-pattern segments' grades.
    pub fn segments(&self) -> &[SegmentGrade] {
        &self.segments
    }

    /// Print growth along the rows and along the columns, in modules.
    pub fn print_growth_axes(&self) -> (Option<f64>, Option<f64>) {
        self.growth
    }

    /// The modules, where they are and how they read.
    pub fn damage_map(&self) -> &DamageMap {
        &self.damage
    }
}

/// Grades one decoded symbol.
pub(crate) fn grade_symbol(
    refl: &Reflectance<'_>,
    decoded: &Decoded,
    options: &GradeOptions,
) -> Result<SymbolGrade, Ungraded> {
    // The symbology's size, quiet zone, patterns and reference decode.
    type Decoder = fn(&[bool], usize, usize) -> Option<Reference>;
    let (w, h, quiet, patterns, reference_of): (usize, usize, f64, Patterns, Decoder) =
        match decoded.symbol_version() {
            SymbolVersion::Qr(v) if !decoded.is_model1() => {
                let n = v.size();
                (n, n, 4.0, Patterns::qr(n), |ink, w, _| reference_qr(ink, w))
            }
            SymbolVersion::Micro(v) => {
                let n = v.size();
                let decoder: Decoder = |ink, w, _| reference_micro(ink, w);
                (n, n, 2.0, Patterns::micro(n), decoder)
            }
            SymbolVersion::Rmqr(v) => (
                v.width(),
                v.height(),
                2.0,
                rmqr::patterns(v),
                reference_rmqr,
            ),
            _ => return Err(Ungraded::Symbology),
        };
    // The map starts in the sampled grid's order: a mirrored symbol's is
    // its transpose (see `Decoded::corners`), turned back below.
    let mut corners = decoded.corners().map(|p| (f64::from(p.x), f64::from(p.y)));
    if decoded.mirrored() {
        corners.swap(1, 3);
    }
    let start = Projective::from_corners(w as f64, h as f64, corners).ok_or(Ungraded::Geometry)?;
    let module_px = mean_step(&start, w, h);
    let aperture_px = match options.aperture {
        Some(Aperture::Pixels(d)) => d,
        Some(Aperture::Modules(m)) => m * module_px,
        None => DEFAULT_APERTURE * module_px,
    };
    let (rmax, rmin) = refl
        .extremes(&start, (w, h), quiet, aperture_px)
        .ok_or(Ungraded::Geometry)?;
    let gt = (rmax + rmin) / 2.0;
    let ink_low = !decoded.inverted();
    let geometry = measure_grid(refl, start, &patterns, (w, h), gt, ink_low);
    let mut map = geometry.warp.clone();
    let sample = |map: &Warp| -> Vec<f64> {
        (0..w * h)
            .map(|i| {
                let (x, y) = map.map((i % w) as f64 + 0.5, (i / w) as f64 + 0.5);
                refl.aperture(x, y, aperture_px).unwrap_or(rmax)
            })
            .collect()
    };
    let mut r = sample(&map);
    let ink = |r: &[f64]| -> Vec<bool> { r.iter().map(|&v| (v < gt) == ink_low).collect() };
    let local = |r: &[f64]| local_ink(r, (w, h), rmax - rmin, ink_low);
    let mut reference = reference_of(&ink(&r), w, h);
    // The standard decodes at the global threshold only; when that fails
    // (uneven light in a photo) a local threshold still rebuilds the ideal
    // symbol, so every other parameter is measured, with decode graded F.
    let at_gt = reference.is_some();
    if !at_gt {
        reference = reference_of(&local(&r), w, h);
    }
    if reference.as_ref().is_some_and(|re| re.mirrored) {
        map = map.transposed();
        r = sample(&map);
        reference = if at_gt {
            reference_of(&ink(&r), w, h)
        } else {
            reference_of(&local(&r), w, h)
        };
    }
    let read = ink(&r);
    let contrast = Contrast { rmax, rmin, gt };
    let (mut parameters, segments) = params::parameters(
        &contrast,
        &r,
        &read,
        reference.as_ref(),
        &geometry,
        ink_low,
        w,
    );
    if !at_gt {
        parameters.decode = super::Measure::new(0.0, 0);
    }
    let modules = module_states(&r, &read, reference.as_ref());
    Ok(SymbolGrade {
        parameters,
        calibrated: options.is_calibrated(),
        aperture_px,
        blocks: reference.map(|re| re.blocks).unwrap_or_default(),
        segments,
        growth: geometry.growth,
        damage: DamageMap {
            width: w,
            height: h,
            map,
            modules,
        },
    })
}

/// Modules binarised each at the midpoint of the darkest and lightest
/// module within `LOCAL_REACH` modules (the global threshold's rule applied
/// locally); where that window's contrast is under a quarter of the
/// symbol's, at the window's mean instead of its midpoint would be noise, so
/// the midpoint of the symbol's own range is used.
fn local_ink(r: &[f64], (w, h): (usize, usize), sc: f64, ink_low: bool) -> Vec<bool> {
    const LOCAL_REACH: usize = 3;
    let mut out = Vec::with_capacity(r.len());
    let gt_all = {
        let (lo, hi) = r
            .iter()
            .fold((f64::MAX, f64::MIN), |(l, h), &v| (l.min(v), h.max(v)));
        (lo + hi) / 2.0
    };
    for y in 0..h {
        for x in 0..w {
            let (mut lo, mut hi) = (f64::MAX, f64::MIN);
            for wy in y.saturating_sub(LOCAL_REACH)..(y + LOCAL_REACH + 1).min(h) {
                for wx in x.saturating_sub(LOCAL_REACH)..(x + LOCAL_REACH + 1).min(w) {
                    if let Some(&v) = r.get(wy * w + wx) {
                        lo = lo.min(v);
                        hi = hi.max(v);
                    }
                }
            }
            let t = if hi - lo >= sc / 4.0 {
                (lo + hi) / 2.0
            } else {
                gt_all
            };
            let v = r.get(y * w + x).copied().unwrap_or(t);
            out.push((v < t) == ink_low);
        }
    }
    out
}

fn mean_step(map: &Projective, w: usize, h: usize) -> f64 {
    let (a, b) = map.steps(w as f64 / 2.0, h as f64 / 2.0);
    (a + b) / 2.0
}

fn module_states(r: &[f64], read: &[bool], reference: Option<&Reference>) -> Vec<ModuleState> {
    (0..r.len())
        .map(|i| {
            let kind = reference.and_then(|re| re.kinds.get(i).copied());
            let corrected = match (kind, reference) {
                (Some(ModuleKind::Data { block, index }), Some(re)) => re
                    .blocks
                    .get(usize::from(block))
                    .is_some_and(|b| b.corrected.contains(&usize::from(index))),
                _ => false,
            };
            // Remainder bits carry nothing, and encoders differ on whether
            // they are masked: their colour is not checked.
            let known = kind.is_some_and(|k| k != ModuleKind::Remainder);
            ModuleState {
                ideal_dark: reference
                    .filter(|_| known)
                    .and_then(|re| re.ideal.get(i).copied()),
                read_dark: read.get(i).copied().unwrap_or(false),
                reflectance: r.get(i).copied().unwrap_or(0.0),
                kind,
                corrected,
            }
        })
        .collect()
}
